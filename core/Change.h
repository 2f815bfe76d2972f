#pragma once
// What an administrator asks for, as a value (after kpmcore's Operation): switch TLS for all
// servers, set one destination, fix a problem, roll back to before a snapshot, or several of
// these staged together. The command line's `set` and `rollback`, the window's staged edits and
// its History all make a Change; it says what it is in one wording (description(), used in
// reports, snapshots and history) and plans itself on the files a host has *at apply time*
// (plan()), so that a file edited meanwhile is still caught by the pipeline.

#include "PolicyEditor.h"
#include "Problem.h"
#include "SnapshotStore.h"

#include <QJsonObject>

#include <functional>
#include <memory>

namespace smtls {

enum class ChangeKind {
    Global,       // TLS for every server: on, fallback, or off (via the access default or M=S)
    Destination,  // one server, domain or address: on, fallback, off or inherit
    ProblemFix,   // the one-click fix of a problem core found
    Restore,      // the files as they were before a snapshot's change
    Batch,        // several changes, applied as one (the window's staged edits)
    Expire,       // every exception whose expiry has passed, removed (`sendmail-tls expire`)
    Custom,       // bytes planned elsewhere (tests feed the pipeline files no real change writes)
    Undo,         // one snapshot's change reversed on the current files, later changes kept (ChangeUndo.h)
};

QString changeKindName(ChangeKind kind);

// Decides whether a snapshot's file is this configuration's file (a local snapshot names remote
// files "host:/path"; a local tree may name them as typed).
using PathMatcher = std::function<bool(const QString &snapshotPath, const QString &configPath)>;
// Equal, or "anything:" + configPath.
bool sameFileByName(const QString &snapshotPath, const QString &configPath);
// Also the path under a local tree's root (a local tree's snapshots name its files as they are here).
PathMatcher sameFileUnder(const QString &root);

using ChangePlanner = std::function<Result<ConfigChange>(const MailConfig &)>;

class Change {
public:
    static Change global(bool tlsOn, std::optional<Mechanism> via = std::nullopt, const QString &reason = {});
    static Change global(GlobalSetting setting, std::optional<Mechanism> via = std::nullopt, const QString &reason = {},
                         const std::optional<Expiry> &expires = std::nullopt);
    static Change destination(const Destination &destination, TlsSetting setting, const QString &reason = {},
                              const std::optional<Expiry> &expires = std::nullopt);
    // Judged at apply time, on the files the host has then (and at `now`; invalid = the current time).
    static Change expireAll(const QDateTime &now = {});
    static Change problemFix(const Problem &problem);
    // Refused when a file no longer holds what the snapshot's change left, unless `force`.
    static Change restore(const Snapshot &snapshot, PathMatcher samePath = sameFileByName, bool force = false);
    // Planned by `planner` (see undoChange in ChangeUndo.h, which builds it).
    static Change undo(const Snapshot &snapshot, ChangePlanner planner);
    // One part without a reason of its own is that part; with a reason, a batch of one, so that
    // the reason stays the apply's and the part keeps its own for the note it writes.
    static Change batch(const QList<Change> &parts, const QString &reason = {});
    static Change custom(const QString &description, ChangePlanner planner, const QString &reason = {});

    ChangeKind kind() const { return m_kind; }
    // What it acts on: the destination key ("" for the default), the snapshot id, the problem's
    // file:line; empty for global changes and batches.
    QString target() const;
    // What it sets: "on", "fallback", "off", "inherit", "off via client-options", the fix's label.
    QString setting() const;
    // When the exception it makes ends by itself (global and destination changes).
    const std::optional<Expiry> &expires() const { return m_expires; }
    // Whether it asks for a fallback to clear text (global or per destination, in a batch too):
    // what a sendmail older than 8.16 cannot do (see SendmailVersion.h).
    bool asksForFallback() const;
    // Why (the administrator's words). A batch without its own reason carries its parts'.
    QString reason() const;
    void setReason(const QString &reason) { m_reason = reason; }
    const QList<Change> &parts() const { return m_parts; }
    // The problem a fix acts on (kept staged edits save it to find it again).
    const Problem &problem() const { return m_problem; }

    // One sentence, the same in the command line, the window, reports and snapshots:
    // "set destination mx.example.com off", "set global off via client-options",
    // "fix: Replace the curly quotes…", "roll back to before snapshot ID (its change)".
    QString description() const;

    // The new bytes of sendmail.mc and the access file, with what follows (map rebuild, cf
    // regeneration and restart): see ConfigChange.
    Result<ConfigChange> plan(const MailConfig &config) const;

    // As stored in snapshots and journals: {"kind", "target", "setting", "reason", "parts"}.
    QJsonObject toJson() const;

private:
    Change() = default;

    ChangeKind m_kind = ChangeKind::Custom;
    QString m_reason;
    GlobalSetting m_global = GlobalSetting::On;
    std::optional<Mechanism> m_via;
    std::optional<Expiry> m_expires;
    QDateTime m_now;
    Destination m_destination;
    TlsSetting m_setting = TlsSetting::Inherit;
    Problem m_problem;
    QString m_snapshotId;
    QString m_snapshotChange;
    QList<SnapshotFile> m_snapshotFiles;
    PathMatcher m_samePath;
    bool m_force = false;
    QList<Change> m_parts;
    QString m_customDescription;
    ChangePlanner m_planner;
};

// Two records of the same change (a snapshot here and its copy on the host): same kind, target
// and setting. Records written before changes were stored as data carry only a description.
bool sameChangeRecord(const QJsonObject &a, const QJsonObject &b);

} // namespace smtls
