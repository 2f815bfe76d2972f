#pragma once
// sendmail.mc as far as outbound STARTTLS is concerned: the live CLIENT_OPTIONS (and the
// family and modifier letters of each), FEATURE(`access_db') with the map it names, whether
// STARTTLS is set up, the fallback to clear text (confTLS_FALLBACK_TO_CLEAR and
// FEATURE(`tls_session_features'), sendmail 8.16+), and DAEMON_OPTIONS for context. Edits return new file bytes in which only
// the concerned bytes differ.

#include "ClientOptions.h"
#include "Expiry.h"
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

// define(`confTLS_FALLBACK_TO_CLEAR', `value'): m4 writes "O TLSFallbacktoClear=value" into
// sendmail.cf (proto.m4's _OPTION), or "O TLSFallbacktoClear" for an empty value.
struct FallbackDefine {
    int line = 0;              // 1-based
    MacroCall call;
    QByteArray value;          // as m4 passes it on
    qsizetype valueStart = 0;  // the value's bytes (inside its quotes when quoted)
    qsizetype valueEnd = 0;
    bool hasValue = true;      // false for define(`confTLS_FALLBACK_TO_CLEAR'): no second argument
    // sendmail's atobool(): an empty value, or one starting with t, T, y or Y, is true.
    bool on() const;
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

    // The define that decides TLSFallbacktoClear (the last one: m4 keeps the last definition).
    const std::optional<FallbackDefine> &tlsFallbackDefine() const { return m_fallback; }
    // sendmail retries a delivery in clear text right away when the TLS handshake fails.
    bool tlsFallbackToClear() const { return m_fallback && m_fallback->on(); }
    // FEATURE(`tls_session_features'): without it sendmail ignores TLS_Clt_Features entries.
    int tlsSessionFeaturesLine() const { return m_sessionFeaturesLine; }
    // Our marker line above the deciding define, when the define is ours (its expiry lives
    // there), without "dnl # sendmail-tls:"; empty otherwise. fallbackMarkerLine() is 1-based.
    QString tlsFallbackNote() const;
    int fallbackMarkerLine() const;

    // The live CLIENT_OPTIONS for a family ("inet", "inet6"); the last one wins in sendmail.
    const ClientOptionsDecl *clientOptionsFor(const QByteArray &family) const;

    // New bytes with the S modifier on every live CLIENT_OPTIONS (or a new CLIENT_OPTIONS line
    // before the mailer definitions when there is none), or with S removed everywhere (our own
    // inserted line is removed whole). Refuses a file whose quoting we cannot trust.
    Result<QByteArray> withClientStartTlsDisabled() const;
    Result<QByteArray> withClientStartTlsEnabled() const;

    // New bytes in which TLSFallbacktoClear is on or off. On: the deciding define gets the value
    // `true', or our two lines (marker + define) go before the mailer definitions. Off: our two
    // lines are removed, another define gets the value `false'. Undo each other byte for byte.
    // With `expires`, on writes (or rewrites) our marker with the expiry; refused when the
    // define is an administrator's (no marker of ours to hold it).
    Result<QByteArray> withTlsFallbackToClear(bool on, const std::optional<Expiry> &expires = std::nullopt) const;
    // New bytes with FEATURE(`tls_session_features')dnl (after FEATURE(`access_db'), else before
    // the mailer definitions); the bytes as they are when it is there already.
    Result<QByteArray> withTlsSessionFeatures() const;

    static QByteArray insertedMarker();
    static QByteArray insertedLine();
    static QByteArray fallbackMarker();
    static QByteArray fallbackLine();
    static QByteArray sessionFeaturesLine();

private:
    Status refuseIfUnsafe() const;
    // Edits that write ` and ' are refused after changequote (they would not be m4's quotes).
    Status refuseIfQuotesChanged() const;
    // Our marker + line pair when `line` (1-based) holds the line and the line above the marker.
    bool isOurPair(int line, const QByteArray &marker, const QByteArray &text) const;
    // Removes line `line` (0-based) and the one above it, the inverse of inserting them.
    QByteArray withoutLinePair(int line) const;
    // Inserts our lines before the mailer definitions, or at the end.
    QByteArray withLinesBeforeMailers(const QList<QByteArray> &lines) const;
    // `edited` if, read back, it says what was asked (client STARTTLS off or on everywhere).
    Result<QByteArray> verifiedEdit(const QByteArray &edited, bool wantDisabled) const;

    QByteArray m_bytes;
    QString m_fileName;
    LineIndex m_lines;
    McScan m_scan;
    QList<ClientOptionsDecl> m_clientOptions;
    QList<DaemonOptionsDecl> m_daemonOptions;
    std::optional<AccessDbFeature> m_accessDb;
    std::optional<FallbackDefine> m_fallback;
    int m_sessionFeaturesLine = 0;
    int m_accessDbLineAfter = 0;  // 1-based line on which FEATURE(`access_db') ends
    int m_accessDbCount = 0;
    int m_startTlsLine = 0;
    bool m_compressedIPv6 = false;
    qsizetype m_mailerSectionStart = -1;  // where a new CLIENT_OPTIONS line goes
};

} // namespace smtls
