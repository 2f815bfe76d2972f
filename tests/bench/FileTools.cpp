#include "FileTools.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace smtls::bench {
namespace {

constexpr std::size_t Chunk = 256 * 1024;

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    bool closeChecked()
    {
        const int fd = m_fd;
        m_fd = -1;
        return ::close(fd) == 0;
    }

private:
    int m_fd;
};

// Reads exactly n bytes unless the file ends first; returns how many were read, -1 on error.
long long readFully(int fd, char *buffer, std::size_t n)
{
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::read(fd, buffer + got, n - got);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += std::size_t(r);
    }
    return static_cast<long long>(got);
}

// Compares the next `n` bytes of two descriptors.
bool sameBytes(int a, int b, std::uint64_t n)
{
    std::vector<char> bufA(Chunk), bufB(Chunk);
    while (n > 0) {
        const std::size_t step = std::size_t(std::min<std::uint64_t>(n, Chunk));
        if (readFully(a, bufA.data(), step) != static_cast<long long>(step)
            || readFully(b, bufB.data(), step) != static_cast<long long>(step)
            || std::memcmp(bufA.data(), bufB.data(), step) != 0)
            return false;
        n -= step;
    }
    return true;
}

std::uint64_t sizeOf(int fd)
{
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? std::uint64_t(st.st_size) : 0;
}

} // namespace

bool copyFileSynced(const std::string &from, const std::string &to)
{
    Fd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    Fd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (in.get() < 0 || out.get() < 0)
        return false;
    std::vector<char> buffer(Chunk);
    for (;;) {
        const long long n = readFully(in.get(), buffer.data(), Chunk);
        if (n < 0)
            return false;
        if (n == 0)
            break;
        if (::write(out.get(), buffer.data(), std::size_t(n)) != n)
            return false;
    }
    return ::fsync(out.get()) == 0 && out.closeChecked();
}

bool isSplicedCopy(const std::string &result, const std::string &original, std::uint64_t offset,
                   std::uint64_t length, const std::string &replacement)
{
    Fd r(::open(result.c_str(), O_RDONLY | O_CLOEXEC));
    Fd o(::open(original.c_str(), O_RDONLY | O_CLOEXEC));
    if (r.get() < 0 || o.get() < 0)
        return false;
    const std::uint64_t originalSize = sizeOf(o.get());
    if (offset + length > originalSize || sizeOf(r.get()) != originalSize - length + replacement.size())
        return false;
    if (!sameBytes(r.get(), o.get(), offset))
        return false;
    std::vector<char> middle(replacement.size());
    if (readFully(r.get(), middle.data(), middle.size()) != static_cast<long long>(middle.size())
        || !std::equal(middle.begin(), middle.end(), replacement.begin()))
        return false;
    if (::lseek(o.get(), static_cast<off_t>(offset + length), SEEK_SET) < 0)
        return false;
    return sameBytes(r.get(), o.get(), originalSize - offset - length);
}

bool fileContains(const std::string &path, const std::string &needle)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        return false;
    std::string window;  // the tail of the previous chunk, so a match across chunks is found
    std::vector<char> chunk(1 << 16);
    bool found = false;
    while (!found) {
        const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
        if (n == 0)
            break;
        window.append(chunk.data(), n);
        found = window.find(needle) != std::string::npos;
        if (window.size() > needle.size())
            window.erase(0, window.size() - needle.size());
    }
    std::fclose(f);
    return found;
}

bool sameContents(const std::string &a, const std::string &b)
{
    std::FILE *fa = std::fopen(a.c_str(), "rb");
    std::FILE *fb = std::fopen(b.c_str(), "rb");
    bool same = fa && fb;
    std::vector<char> ca(1 << 16), cb(1 << 16);
    while (same) {
        const std::size_t na = std::fread(ca.data(), 1, ca.size(), fa);
        const std::size_t nb = std::fread(cb.data(), 1, cb.size(), fb);
        same = na == nb && std::equal(ca.begin(), ca.begin() + long(na), cb.begin());
        if (na == 0)
            break;
    }
    if (fa)
        std::fclose(fa);
    if (fb)
        std::fclose(fb);
    return same;
}

} // namespace smtls::bench
