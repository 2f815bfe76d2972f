#pragma once
// Turns what the administrator asks for ("global off", "mx.example.com on") into new bytes for
// sendmail.mc and the access file, choosing the mechanism and saying why. Nothing is written
// here: the result is a ConfigChange that can be previewed as a diff, then saved.

#include "AccessMap.h"
#include "Policy.h"
#include "SendmailMc.h"

#include <QDate>
#include <QDateTime>
#include <QStringList>

#include <functional>
#include <optional>

namespace smtls {

// What a destination asks for. Fallback: try STARTTLS, and when the handshake fails retry in
// clear text right away (TLS_Clt_Features:NAME Flags=C, sendmail 8.16+). Appended last: the
// values are stored as numbers (the window's combo boxes).
enum class TlsSetting { On, Off, Inherit, Fallback };

// The global switch: try STARTTLS; try it and fall back to clear text (TLSFallbacktoClear);
// never try it.
enum class GlobalSetting { On, Fallback, Off };

struct FileChange {
    QString path;
    QByteArray before;
    QByteArray after;
    bool existedBefore = true;
    bool changed() const { return before != after || (!existedBefore && !after.isEmpty()); }
};

struct ConfigChange {
    FileChange mc;
    FileChange access;
    QStringList notes;  // sentences for the administrator: what was chosen and what follows
    QList<Destination> touched;  // destinations whose rule this change writes (validation asks about them)
    bool changed() const { return mc.changed() || access.changed(); }
    // sendmail.cf must be regenerated and the daemon restarted (an .mc change), or only the
    // access map rebuilt (no restart: sendmail notices a rebuilt map).
    bool needsRestart() const { return mc.changed(); }
    bool needsMapRebuild() const { return access.changed(); }
};

struct MailConfig {
    SendmailMc mc;
    std::optional<AccessMap> access;  // empty when the file does not exist
    QString accessPath;               // where it is (or would be)
    // When expiries are judged (tests set it); invalid = now.
    QDateTime now = {};
    Policy policy() const { return Policy(mc, access ? &*access : nullptr, now); }
};

// A change that writes nothing: both files as they are. Planners start from it and set `after`.
ConfigChange unchangedConfig(const MailConfig &config);

// The configuration a change leaves behind (what the next staged edit plans on, what the
// validation asks sendmail about).
MailConfig configAfter(const MailConfig &config, const ConfigChange &change);

// `count` steps in order, step i planned on the configuration the steps before it leave behind;
// the result goes from the first "before" to the last "after", with every step's notes and
// touched destinations (a batch of staged edits, the removal of every expired exception).
Result<ConfigChange> planInSequence(const MailConfig &config, qsizetype count,
                                    const std::function<Result<ConfigChange>(const MailConfig &, qsizetype)> &step);

// via empty = choose: the access default when access_db is enabled (no restart, per-destination
// YES rules still work), else the client modifier. On and Fallback clear both mechanisms; On
// also switches TLSFallbacktoClear off, Fallback on. Off leaves TLSFallbacktoClear as it is
// (moot while STARTTLS is off), so that off and back restores the file.
// An expiry (Off via the access default, Fallback) goes into our note above Try_TLS: or our
// marker above the define; On has none, and M=S has no note of ours to hold one (refused).
Result<ConfigChange> planGlobal(const MailConfig &config, GlobalSetting setting, std::optional<Mechanism> via,
                                const std::optional<Expiry> &expires = std::nullopt, const QDate &today = QDate::currentDate());
inline Result<ConfigChange> planGlobal(const MailConfig &config, bool tlsOn, std::optional<Mechanism> via)
{
    return planGlobal(config, tlsOn ? GlobalSetting::On : GlobalSetting::Off, via);
}

// A rule we write gets a note line above it: "<today> TLS off[: reason]". Asking for what a
// rule already says changes nothing unless a (new) reason is given.
// Fallback makes sure STARTTLS is tried (as On does) and gives the destination the flag C in
// its TLS_Clt_Features entry (merged into a value already there), adding
// FEATURE(`tls_session_features') to sendmail.mc when it is missing. On and Inherit remove the
// flag (and the entry when nothing else is left); On under an inherited fallback (the global
// option or a parent's entry) writes the flag c instead, as it writes YES under an inherited
// off. Off leaves the TLS_Clt_Features entry alone: moot while STARTTLS is not tried.
// An expiry goes into the note of every rule the change writes ("(expires …)"); a new expiry,
// like a new reason, rewrites the note of a rule that already says what is asked.
Result<ConfigChange> planDestination(const MailConfig &config, const Destination &destination,
                                     TlsSetting setting, const QString &reason = {},
                                     const QDate &today = QDate::currentDate(),
                                     const std::optional<Expiry> &expires = std::nullopt);

// The files as a snapshot had them before its change: a rollback is an apply of this. A file of
// the snapshot belongs to the config when `samePath(snapshotPath, configPath)`. A file that no
// longer holds what the snapshot's change left (a later change, a hand edit) is refused unless
// `overwriteLaterChanges`: putting the old bytes back would silently undo that too.
struct SnapshotFile;
Result<ConfigChange> planRestore(const MailConfig &config, const QList<SnapshotFile> &files,
                                 const std::function<bool(const QString &, const QString &)> &samePath,
                                 bool overwriteLaterChanges = false);

} // namespace smtls
