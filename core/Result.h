#pragma once
// Errors travel as values with one sentence a mail administrator can read, plus the kind of
// failure (which the command-line tool maps to its documented exit code) and, where it
// concerns a file, the file and line.

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace smtls {

enum class ErrorKind {
    Usage,          // the command was called wrongly
    InvalidInput,   // a destination, address or reason the user typed is not acceptable
    InvalidConfig,  // a configuration file cannot be understood or safely edited
    FileAccess,     // a file cannot be read or written
    Connection,     // a remote host cannot be reached (remote transport)
    Validation,     // the new configuration failed validation
    Refused,        // refused for safety (changed host key, file changed meanwhile)
    Cancelled,      // the user cancelled (a running command was stopped; nothing later runs)
    Internal,
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    QString message;  // one sentence, no trailing newline
    QString file;     // empty when not about a file
    int line = 0;     // 1-based; 0 when not about a line

    QString describe() const
    {
        if (file.isEmpty())
            return message;
        if (line > 0)
            return file + QLatin1Char(':') + QString::number(line) + QLatin1String(": ") + message;
        return file + QLatin1String(": ") + message;
    }
};

template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }
    T &value() { return std::get<T>(m_state); }
    const T &value() const { return std::get<T>(m_state); }
    T &operator*() { return value(); }
    const T &operator*() const { return value(); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    const Error &error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

// For operations that return nothing but can fail.
using Status = std::optional<Error>;

inline Error makeError(ErrorKind kind, QString message, QString file = {}, int line = 0)
{
    return Error{kind, std::move(message), std::move(file), line};
}

} // namespace smtls
