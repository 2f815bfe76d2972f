#pragma once
// sendmail.mc as far as outbound STARTTLS is concerned: the live CLIENT_OPTIONS (and the
// family and modifier letters of each), FEATURE(`access_db') with the map it names, whether
// STARTTLS is set up, and DAEMON_OPTIONS for context. Edits return new file bytes in which only
// the concerned bytes differ.

#include "ClientOptions.h"
#include "Destination.h"
#include "LineIndex.h"
#include "McScanner.h"
#include "Problem.h"
#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace smtls {

struct ClientOptionsDecl {
    int line = 0;               // 1-based
    MacroCall call;
    OptionList options{{}};
    qsizetype optionsStart = 0; // byte range of the option text inside the quotes
    qsizetype optionsEnd = 0;
    QByteArray family() const { return options.valueByLetter('F', "inet").toLower(); }
    bool skipsStartTls() const { return options.hasModifier('S'); }
};

struct DaemonOptionsDecl {
    int line = 0;
    OptionList options{{}};
    QByteArray name() const { return options.valueByLetter('N'); }
    QByteArray family() const { return options.valueByLetter('F', "inet").toLower(); }
    QByteArray address() const { return options.valueByLetter('A'); }
    QByteArray port() const { return options.valueByLetter('P', "smtp"); }
};

struct AccessDbFeature {
    int line = 0;
    QByteArray mapType = "hash";
    QByteArray mapSpec;        // the FEATURE's second argument as written, may be empty
    QString sourcePath = QStringLiteral("/etc/mail/access");  // the text file makemap reads
};

class SendmailMc {
public:
    SendmailMc() = default;
    SendmailMc(QByteArray bytes, QString fileName);

    const QByteArray &bytes() const { return m_bytes; }
    const QString &fileName() const { return m_fileName; }

    const QList<ClientOptionsDecl> &clientOptions() const { return m_clientOptions; }
    const QList<DaemonOptionsDecl> &daemonOptions() const { return m_daemonOptions; }
    const std::optional<AccessDbFeature> &accessDb() const { return m_accessDb; }
    // Line of the include of starttls.m4 or of the first certificate define; 0 when none.
    int startTlsConfiguredLine() const { return m_startTlsLine; }
    // How this sendmail writes IPv6 server addresses (and so how IPv6 Try_TLS keys must look).
    IPv6Form ipv6Form() const { return m_compressedIPv6 ? IPv6Form::Compressed : IPv6Form::Uncompressed; }
    // True when some live CLIENT_OPTIONS has the modifier S. On sendmail 8.17 one such line
    // switches client STARTTLS off for every address family (verified with a real delivery
    // over IPv4 and IPv6), so this is the global hard switch.
    bool clientStartTlsDisabled() const;
    const ClientOptionsDecl *firstClientOptionsWithS() const;
    const QList<int> &commentedClientOptionsLines() const { return m_scan.commentedClientOptions; }
    Problems problems() const;

    // The live CLIENT_OPTIONS for a family ("inet", "inet6"); the last one wins in sendmail.
    const ClientOptionsDecl *clientOptionsFor(const QByteArray &family) const;

    // New bytes with the S modifier on every live CLIENT_OPTIONS (or a new CLIENT_OPTIONS line
    // before the mailer definitions when there is none), or with S removed everywhere (our own
    // inserted line is removed whole). Refuses a file whose quoting we cannot trust.
    Result<QByteArray> withClientStartTlsDisabled() const;
    Result<QByteArray> withClientStartTlsEnabled() const;

    static QByteArray insertedMarker();
    static QByteArray insertedLine();

private:
    Status refuseIfUnsafe() const;
    // `edited` if, read back, it says what was asked (client STARTTLS off or on everywhere).
    Result<QByteArray> verifiedEdit(const QByteArray &edited, bool wantDisabled) const;

    QByteArray m_bytes;
    QString m_fileName;
    LineIndex m_lines;
    McScan m_scan;
    QList<ClientOptionsDecl> m_clientOptions;
    QList<DaemonOptionsDecl> m_daemonOptions;
    std::optional<AccessDbFeature> m_accessDb;
    int m_accessDbCount = 0;
    int m_startTlsLine = 0;
    bool m_compressedIPv6 = false;
    qsizetype m_mailerSectionStart = -1;  // where a new CLIENT_OPTIONS line goes
};

} // namespace smtls
