// sendmail-tls-docs VERSION DIR: writes the man pages and the bash completion, printed from the
// command catalogue, into DIR at build time (app/docgen/CMakeLists.txt). Not installed.
#include "BashCompletion.h"
#include "ManPage.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

#include <cstdio>

static bool writeFile(const QString &path, const QString &text)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit())
        return true;
    std::fprintf(stderr, "sendmail-tls-docs: cannot write %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
    return false;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: sendmail-tls-docs VERSION DIR\n");
        return 2;
    }
    const QDir dir(args[2]);
    if (!dir.mkpath(QStringLiteral(".")))
        return 1;
    using namespace smtls::cli;
    const bool ok = writeFile(dir.filePath(QStringLiteral("sendmail-tls.1")), cliManPage(args[1]))
        && writeFile(dir.filePath(QStringLiteral("sendmail-tls-gui.1")), guiManPage(args[1]))
        && writeFile(dir.filePath(QStringLiteral("sendmail-tls.bash")), bashCompletion());
    return ok ? 0 : 1;
}
