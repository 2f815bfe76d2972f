// Resolving a host alias from an ssh_config file (no network), and Include as OpenSSH reads it:
// relative paths in ~/.ssh (here a temporary includeDir), globs in byte order, nesting, blocks.

#include "ssh/SshConfig.h"
#include "ssh/SshHandles.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

using namespace smtls;
using namespace smtls::ssh;

namespace {

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(text), text.size());
}

Result<ResolvedHost> resolve(const QString &alias, const QString &configFile)
{
    SessionHandle session(ssh_new());
    return configureSession(session.get(), SshTarget{alias, configFile, {}, {}, {}, {}});
}

// "keyword arguments" of every non-comment line, reopened blocks included.
QStringList keywordLines(const QList<SshConfigLine> &lines)
{
    QStringList out;
    for (const SshConfigLine &line : lines)
        if (!line.keyword.isEmpty())
            out << line.keyword + QLatin1Char(' ') + line.arguments;
    return out;
}

QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *text : texts)
        out << QString::fromUtf8(text);
    return out;
}

QStringList aliasNames(const QList<SshConfigAlias> &aliases)
{
    QStringList out;
    for (const SshConfigAlias &alias : aliases)
        out << alias.name;
    return out;
}

} // namespace

class SshConfigTest : public QObject {
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_config;

    // A user config in a fresh directory that stands in for ~/.ssh.
    SshConfigSource sshDirConfig(const QTemporaryDir &dir) const
    {
        return {dir.filePath(QStringLiteral("config")), dir.path(), true};
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_tmp.filePath(QStringLiteral("config"));
        QFile f(m_config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Host web\n  HostName 192.0.2.7\n  Port 2222\n  User mailadm\n  IdentityFile /keys/web_ed25519\n"
                "  UserKnownHostsFile /kh/web\n  StrictHostKeyChecking no\n"
                "Host jumped\n  HostName 10.0.0.5\n  ProxyJump bastion\n"
                "Host *\n  User fallback\n");
    }

    void resolve_takesFileValuesAndOverrides_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<std::optional<QString>>("address");
        QTest::addColumn<std::optional<int>>("port");
        QTest::addColumn<std::optional<QString>>("user");
        QTest::addColumn<QString>("wantAddress");
        QTest::addColumn<int>("wantPort");
        QTest::addColumn<QString>("wantUser");
        QTest::addColumn<QString>("wantIdentity");
        QTest::addColumn<QString>("wantKnownHosts");
        const std::optional<QString> none;
        QTest::newRow("file values") << "web" << none << std::optional<int>() << none << "192.0.2.7" << 2222 << "mailadm"
                                     << "/keys/web_ed25519" << "/kh/web";
        QTest::newRow("overrides win over the file, port included")
            << "web" << std::optional<QString>(QStringLiteral("198.51.100.1")) << std::optional<int>(22)
            << std::optional<QString>(QStringLiteral("root")) << "198.51.100.1" << 22 << "root" << "/keys/web_ed25519"
            << "/kh/web";
        QTest::newRow("unknown alias uses Host *") << "other.example" << none << std::optional<int>() << none
                                                   << "other.example" << 22 << "fallback" << QString() << QString();
    }
    void resolve_takesFileValuesAndOverrides()
    {
        QFETCH(QString, alias);
        QFETCH(std::optional<QString>, address);
        QFETCH(std::optional<int>, port);
        QFETCH(std::optional<QString>, user);
        QFETCH(QString, wantAddress);
        QFETCH(int, wantPort);
        QFETCH(QString, wantUser);
        QFETCH(QString, wantIdentity);
        QFETCH(QString, wantKnownHosts);
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{alias, m_config, address, port, user, {}});
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->address, wantAddress);
        QCOMPARE(r->port, wantPort);
        QCOMPARE(r->user, wantUser);
        if (!wantIdentity.isEmpty())
            QCOMPARE(r->identityFiles.value(0), wantIdentity);
        if (!wantKnownHosts.isEmpty())
            QCOMPARE(r->knownHostsFile, wantKnownHosts);
        else
            QVERIFY(r->knownHostsFile.endsWith(QLatin1String("/.ssh/known_hosts")));
    }

    void resolve_proxyJumpUsesTheSameConfigFile()
    {
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{QStringLiteral("jumped"), m_config, {}, {}, {}, {}});
        QVERIFY(r);
        QVERIFY2(r->proxyCommand.contains(QLatin1String("-F ") + m_config), qPrintable(r->proxyCommand));
        QVERIFY(r->proxyCommand.endsWith(QLatin1String(" bastion")));
    }

    void resolve_missingFileIsAnError()
    {
        SessionHandle session(ssh_new());
        auto r = configureSession(session.get(), SshTarget{QStringLiteral("web"), m_tmp.filePath(QStringLiteral("nope")), {}, {}, {}, {}});
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidConfig);
    }

    // ---- Include ----------------------------------------------------------------------------

    void sshUserDir_isThePasswdHomeNotHOME()
    {
        // The import once read $HOME/.ssh/config while libssh read the passwd home's: both must
        // come from the same place, whatever $HOME says.
        const passwd *pw = getpwuid(getuid());
        QVERIFY(pw && pw->pw_dir);
        const QString expected = QString::fromLocal8Bit(pw->pw_dir) + QStringLiteral("/.ssh");
        const QByteArray savedHome = qgetenv("HOME");
        qputenv("HOME", m_tmp.path().toLocal8Bit());
        const QString dir = sshUserDir();
        const SshConfigSource user = userConfigSource();
        qputenv("HOME", savedHome);
        QCOMPARE(dir, expected);
        QCOMPARE(user.file, expected + QStringLiteral("/config"));
        QCOMPARE(user.includeDir, expected);
        // --ssh-config FILE: ssh -F anchors relative Includes in ~/.ssh too, not beside FILE.
        QCOMPARE(userConfigSource(m_config).includeDir, expected);
        QCOMPARE(systemConfigSource().includeDir, QStringLiteral("/etc/ssh"));
        QVERIFY(!systemConfigSource().userConfig);
    }

    void include_relativePathIsInTheSshDirectory()
    {
        QTemporaryDir sshDir, configDir;
        const SshConfigSource source{configDir.filePath(QStringLiteral("config")), sshDir.path(), true};
        // Two paths on one line (libssh alone takes only the first).
        writeFile(source.file, "Include first.conf second.conf\nHost rel\n  Port 2200\n");
        writeFile(sshDir.filePath(QStringLiteral("first.conf")), "Host rel\n  User one\n");
        writeFile(sshDir.filePath(QStringLiteral("second.conf")), "Host rel\n  IdentityFile /keys/two\n");
        // Beside the config file: not where ssh looks.
        writeFile(configDir.filePath(QStringLiteral("first.conf")), "Host rel\n  User decoy\n");
        const auto lines = readSshConfig(source, QStringLiteral("rel"));
        QVERIFY2(lines, lines ? "" : qPrintable(lines.error().describe()));
        QCOMPARE(keywordLines(*lines), strings({"host rel", "user one", "host *", "host rel", "identityfile /keys/two",
                                                    "host *", "host rel", "port 2200"}));
        QCOMPARE(lines->at(1).file, sshDir.filePath(QStringLiteral("first.conf")));
        QCOMPARE(lines->at(1).number, 2);
        QVERIFY(lines->at(2).reopensBlock);
    }

    void include_absolutePathReachesTheConnection()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Include " + dir.filePath(QStringLiteral("abs.conf")).toUtf8() + "\nHost *\n  User fallback\n");
        writeFile(dir.filePath(QStringLiteral("abs.conf")), "Host absolute\n  HostName 192.0.2.11\n  Port 2211\n  User absuser\n");
        const auto r = resolve(QStringLiteral("absolute"), config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->address, QStringLiteral("192.0.2.11"));
        QCOMPARE(r->port, 2211);
        QCOMPARE(r->user, QStringLiteral("absuser"));
    }

    void include_globTakesFilesInByteOrder()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Include " + dir.path().toUtf8() + "/conf.d/*.conf\n");
        // Byte order puts "Z" before "a" (a dictionary order would not); the first User wins.
        writeFile(dir.filePath(QStringLiteral("conf.d/a.conf")), "Host globbed\n  User froma\n  Port 2212\n");
        writeFile(dir.filePath(QStringLiteral("conf.d/Z.conf")), "Host globbed\n  User fromZ\n");
        writeFile(dir.filePath(QStringLiteral("conf.d/notes.txt")), "Host globbed\n  User fromtxt\n");
        const auto lines = readSshConfig(userConfigSource(config), QStringLiteral("globbed"));
        QVERIFY2(lines, lines ? "" : qPrintable(lines.error().describe()));
        QCOMPARE(keywordLines(*lines), strings({"host globbed", "user fromZ", "host *", "host globbed", "user froma",
                                                    "port 2212", "host *"}));
        const auto r = resolve(QStringLiteral("globbed"), config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->user, QStringLiteral("fromZ"));
        QCOMPARE(r->port, 2212);
    }

    void include_nestedFilesAnchorInTheSshDirectory()
    {
        QTemporaryDir sshDir;
        const SshConfigSource source = sshDirConfig(sshDir);
        writeFile(source.file, "Include sub/level1.conf\n");
        // level1 lives in sub/, yet its relative Include is anchored in the ssh directory too.
        writeFile(sshDir.filePath(QStringLiteral("sub/level1.conf")), "Host nested\n  Port 2213\n  Include level2.conf\n");
        writeFile(sshDir.filePath(QStringLiteral("level2.conf")), "User deep\n");
        writeFile(sshDir.filePath(QStringLiteral("sub/level2.conf")), "User decoy\n");
        const auto lines = readSshConfig(source, QStringLiteral("nested"));
        QVERIFY2(lines, lines ? "" : qPrintable(lines.error().describe()));
        QCOMPARE(keywordLines(*lines), strings({"host nested", "port 2213", "user deep", "host nested", "host *"}));
    }

    void include_insideHostBlockAppliesToThatHostOnly_data()
    {
        QTest::addColumn<QString>("alias");
        QTest::addColumn<QString>("wantUser");
        QTest::addColumn<int>("wantPort");
        QTest::newRow("the block's host, and the block goes on after the Include") << "inc" << "hostonly" << 2214;
        QTest::newRow("another host") << "other" << "fallback" << 2215;
        // Named only inside the included file: that file applies only to "inc".
        QTest::newRow("a Host inside the included file") << "unrelated" << "fallback" << 22;
    }
    void include_insideHostBlockAppliesToThatHostOnly()
    {
        QFETCH(QString, alias);
        QFETCH(QString, wantUser);
        QFETCH(int, wantPort);
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Host inc\n  Include " + dir.filePath(QStringLiteral("hostonly.conf")).toUtf8()
                              + "\n  Port 2214\nHost other\n  Port 2215\nHost *\n  User fallback\n");
        writeFile(dir.filePath(QStringLiteral("hostonly.conf")), "User hostonly\nHost unrelated\n  User unrelated\n");
        const auto r = resolve(alias, config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->user, wantUser);
        QCOMPARE(r->port, wantPort);
        // Nor does the import list a name that only a conditional Include brings.
        const auto aliases = configuredAliases(userConfigSource(config));
        QVERIFY(aliases);
        QCOMPARE(aliasNames(*aliases), strings({"inc", "other"}));
    }

    void include_hostNameInAnIncludedFileKeepsLaterBlocks()
    {
        // The libssh HostName trap (see configureSession) applies to included lines as well.
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Include " + dir.filePath(QStringLiteral("names.conf")).toUtf8() + "\nHost mta*\n  Port 2216\n");
        writeFile(dir.filePath(QStringLiteral("names.conf")), "Host mta9\n  HostName 127.0.0.9\n");
        const auto r = resolve(QStringLiteral("mta9"), config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->address, QStringLiteral("127.0.0.9"));
        QCOMPARE(r->port, 2216);
    }

    void include_loopIsAnError_data()
    {
        QTest::addColumn<QByteArray>("config");
        QTest::addColumn<QString>("alias");
        QTest::newRow("itself") << QByteArray("Include SELF\nHost a\n  Port 2217\n") << "a";
        QTest::newRow("through another file") << QByteArray("Include OTHER\n") << "a";
        // ssh reads an Include of another host's block too (for errors), so it fails as well.
        QTest::newRow("in another host's block") << QByteArray("Host b\n  Include SELF\n") << "a";
    }
    void include_loopIsAnError()
    {
        QFETCH(QByteArray, config);
        QFETCH(QString, alias);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("config"));
        const QString other = dir.filePath(QStringLiteral("other.conf"));
        writeFile(file, config.replace("SELF", file.toUtf8()).replace("OTHER", other.toUtf8()));
        writeFile(other, "Include " + file.toUtf8() + "\n");
        const auto r = resolve(alias, file);
        QVERIFY(!r);
        QCOMPARE(r.error().kind, ErrorKind::InvalidConfig);
        QVERIFY2(r.error().message.contains(QLatin1String("loops")), qPrintable(r.error().describe()));
        QVERIFY(r.error().line > 0);
        const auto aliases = configuredAliases(userConfigSource(file));
        QVERIFY(!aliases);
    }

    void include_depthIsLimitedLikeSsh_data()
    {
        QTest::addColumn<int>("levels");
        QTest::addColumn<bool>("ok");
        QTest::newRow("16 nested files") << 16 << true;
        QTest::newRow("17 nested files") << 17 << false;
    }
    void include_depthIsLimitedLikeSsh()
    {
        QFETCH(int, levels);
        QFETCH(bool, ok);
        QTemporaryDir sshDir;
        const SshConfigSource source = sshDirConfig(sshDir);
        writeFile(source.file, "Include level1\n");
        for (int i = 1; i <= levels; ++i)
            writeFile(sshDir.filePath(QStringLiteral("level%1").arg(i)),
                      i < levels ? "Include level" + QByteArray::number(i + 1) + "\n" : "Port 2218\n");
        const auto lines = readSshConfig(source, QStringLiteral("any"));
        QCOMPARE(bool(lines), ok);
        if (ok)
            QVERIFY(keywordLines(*lines).contains(QStringLiteral("port 2218")));
        else
            QVERIFY2(lines.error().message.contains(QLatin1String("16")), qPrintable(lines.error().describe()));
    }

    void include_missingFileIsIgnored()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Include " + dir.filePath(QStringLiteral("absent.conf")).toUtf8() + " "
                              + dir.filePath(QStringLiteral("none.d/*")).toUtf8() + "\nHost m\n  Port 2219\n");
        const auto r = resolve(QStringLiteral("m"), config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->port, 2219);
    }

    void include_unreadableFileIsAnError()
    {
        // ssh stops with "Can't open user config file …: Permission denied"; we fail likewise
        // instead of connecting with half the settings.
        if (geteuid() == 0)
            QSKIP("root reads a file whatever its mode");
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        const QString secret = dir.filePath(QStringLiteral("secret.conf"));
        writeFile(config, "Include " + secret.toUtf8() + "\n");
        writeFile(secret, "Port 2220\n");
        QVERIFY(QFile::setPermissions(secret, {}));
        const auto r = resolve(QStringLiteral("m"), config);
        QVERIFY(!r);
        QCOMPARE(r.error().file, secret);
    }

    void include_tildeIsRefusedInTheSystemConfig()
    {
        QTemporaryDir dir;
        const SshConfigSource system{dir.filePath(QStringLiteral("ssh_config")), dir.path(), false};
        writeFile(system.file, "Include ~/.ssh/extra\n");
        const auto lines = readSshConfig(system, QStringLiteral("any"));
        QVERIFY(!lines);
        QCOMPARE(lines.error().line, 1);
    }

    void import_findsAnAliasOfAnIncludedFileThatTheConnectionResolves()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("config"));
        writeFile(config, "Include " + dir.path().toUtf8() + "/conf.d/*\nHost top\n  Port 2221\n  Port 2999\n");
        writeFile(dir.filePath(QStringLiteral("conf.d/hidden")),
                  "Host hidden *.wild\n  HostName 192.0.2.22\n  Port 2222\n  User hid\n  IdentityFile ~/.ssh/hid\n");
        const auto aliases = configuredAliases(userConfigSource(config));
        QVERIFY2(aliases, aliases ? "" : qPrintable(aliases.error().describe()));
        QCOMPARE(aliasNames(*aliases), strings({"hidden", "top"}));
        QCOMPARE(aliases->at(0).port, std::optional<int>(2222));
        QCOMPARE(aliases->at(0).user, QStringLiteral("hid"));
        QCOMPARE(aliases->at(0).identityFile, QStringLiteral("~/.ssh/hid"));
        QCOMPARE(aliases->at(1).port, std::optional<int>(2221));  // the first Port, as ssh takes it
        QCOMPARE(aliases->at(1).user, QString());

        const auto r = resolve(aliases->at(0).name, config);
        QVERIFY2(r, r ? "" : qPrintable(r.error().describe()));
        QCOMPARE(r->address, QStringLiteral("192.0.2.22"));
        QCOMPARE(r->port, 2222);
        QCOMPARE(r->user, QStringLiteral("hid"));
        QCOMPARE(r->identityFiles.value(0), expandSshPath(QStringLiteral("~/.ssh/hid")));
    }

    void import_missingFileIsNoAliases()
    {
        QTemporaryDir dir;
        const auto aliases = configuredAliases(sshDirConfig(dir));
        QVERIFY(aliases);
        QVERIFY(aliases->isEmpty());
    }
};

QTEST_GUILESS_MAIN(SshConfigTest)
#include "tst_sshconfig.moc"
