// sendmail-tls: read, explain and edit sendmail's outbound STARTTLS settings.
#include "Cli.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sendmail-tls"));
    QCoreApplication::setOrganizationName(QStringLiteral("sendmail-tls"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SMTLS_VERSION));
    return smtls::cli::run(QCoreApplication::arguments());
}
