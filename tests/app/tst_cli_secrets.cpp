#include "clifixture.h"

#include "api/secretvault.h"
#include "keyringsession.h"
#include "sandbox.h"

#include <QDirIterator>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace {

const QByteArray kCookie = "session=CLI-COOKIE-7f3a9e";
const QByteArray kCookieValue = "CLI-COOKIE-7f3a9e";

} // namespace

// A download behind a login (the server answers 403 without the cookie), killed with -9, then
// continued by `ferry-cli resume`, which is not given the cookie again.
class CliSecretsTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void resume_afterKillNine_takesTheCookieFromTheKeychain();
    void resume_withoutKeychain_asksForTheLoginAgain();

private:
    // The rest of the file at full speed, still behind the login.
    void unthrottle(const SlowFile &f)
    {
        Faults login;
        login.requireHeader = {"Cookie", kCookie};
        m_server->setFaults(f.path, login);
    }
    // Starts `get -H 'Cookie: …'` on a slow file behind the login and kills it mid-download.
    SlowFile startAndKill();
    // No file of the state folder (database, -wal, -shm, locks) holds the cookie.
    void verifyStateDirClean(const char *when) const;
};

CliFixture::SlowFile CliSecretsTest::startAndKill()
{
    SlowFile f = addSlowFile(u"private.bin"_s, 0x5EC2E7u);
    Faults login;
    login.bytesPerSecond = 256 * kKiB;
    login.requireHeader = {"Cookie", kCookie};
    m_server->setFaults(f.path, login);

    const auto proc =
        startCli(getArgs(m_server->url(f.path).toString(),
                         {u"-s"_s, u"2"_s, u"-H"_s, u"Cookie: "_s + QString::fromLatin1(kCookie)}));
    waitForProgress(*proc);
    if (QTest::currentTestFailed())
        return f;
    proc->kill();
    [&] {
        QVERIFY(proc->waitForFinished(10'000));
        QCOMPARE(proc->exitStatus(), QProcess::CrashExit);
        QVERIFY(QFileInfo::exists(f.partPath));
        QVERIFY(!QFileInfo::exists(f.finalPath));
        const QByteArray printed = proc->readAllStandardOutput() + proc->readAllStandardError();
        QVERIFY2(!printed.contains(kCookieValue), printed.constData());
    }();
    return f;
}

void CliSecretsTest::verifyStateDirClean(const char *when) const
{
    QDirIterator it(m_stateDir, QDir::Files | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        const QString file = it.next();
        ++files;
        QVERIFY2(!readFile(file).contains(kCookieValue),
                 qPrintable(u"%1: %2 holds the cookie"_s.arg(QLatin1StringView(when), file)));
    }
    QVERIFY2(files > 0, when);
}

void CliSecretsTest::resume_afterKillNine_takesTheCookieFromTheKeychain()
{
    QString missing;
    if (!KeyringSession::available(&missing))
        QSKIP(qPrintable(u"No private Secret Service possible, missing: "_s + missing +
                         u" (scripts/setup test installs them)"_s));
    KeyringSession keyring(m_tmp->filePath(u"keyring"_s));
    QString error;
    QVERIFY2(keyring.start(&error), qPrintable(error));
    m_busAddress = keyring.busAddress();

    const SlowFile f = startAndKill();
    if (QTest::currentTestFailed())
        return;
    verifyStateDirClean("after the kill");
    const qsizetype before = m_server->requests(f.path).size();

    unthrottle(f);
    // The login is not given again: it comes from the keychain.
    const CliResult r = runCli(withState({u"resume"_s}));
    VERIFY_EXIT(r, 0);
    QVERIFY2(!r.out.contains(kCookieValue) && !r.err.contains(kCookieValue),
             qPrintable(r.describe()));
    QVERIFY2(!r.err.contains("keychain"), qPrintable(r.describe()));
    QCOMPARE(sha256OfFile(f.finalPath), sha256Hex(f.body));
    QVERIFY(!QFileInfo::exists(f.partPath));
    // It went on from the partial file, sending the cookie with every request; none was refused.
    verifyContinued(f.path, before, f.etag);
    const QList<RequestRecord> requests = m_server->requests(f.path);
    for (const RequestRecord &req : requests.mid(before)) {
        QCOMPARE(req.status == 403, false);
        QVERIFY(req.headers.contains(qMakePair(QByteArray("Cookie"), kCookie)));
    }
    verifyStateDirClean("after resume");

    // A finished download leaves no entry behind. Asked from another process: a connection of
    // this one to the private bus would end it when the bus stops (GLib's exit-on-close).
    if (const QString tool = QStandardPaths::findExecutable(u"secret-tool"_s); !tool.isEmpty()) {
        SecretVault names(std::make_unique<MemoryKeychain>());
        names.setStateDir(m_stateDir);
        QProcess lookup;
        lookup.setProcessEnvironment(keyring.environment(QProcessEnvironment::systemEnvironment()));
        lookup.start(tool, {u"search"_s, u"--all"_s, u"server"_s, u"Ferry"_s});
        QVERIFY(lookup.waitForFinished(10'000));
        const QByteArray found = lookup.readAllStandardOutput() + lookup.readAllStandardError();
        QVERIFY2(!found.contains(names.keyFor(1).toUtf8()) && !found.contains(kCookieValue),
                 found.constData());
    }
}

void CliSecretsTest::resume_withoutKeychain_asksForTheLoginAgain()
{
    // The fixture's default: no session bus, so no keychain (a server, a container).
    const SlowFile f = startAndKill();
    if (QTest::currentTestFailed())
        return;
    verifyStateDirClean("after the kill");
    const qsizetype before = m_server->requests(f.path).size();

    const CliResult r = runCli(withState({u"resume"_s}));
    VERIFY_EXIT(r, 4);
    QVERIFY2(r.err.contains("needs its credentials again"), qPrintable(r.describe()));
    QVERIFY2(r.err.contains(SecretVault::unavailableMessage().toUtf8()), qPrintable(r.describe()));
    QVERIFY(!r.out.contains(kCookieValue) && !r.err.contains(kCookieValue));
    // Nothing was sent without the login, and the partial file waits for it.
    QCOMPARE(m_server->requests(f.path).size(), before);
    QVERIFY(QFileInfo::exists(f.partPath));
    verifyStateDirClean("after resume");

    // Given again with the same `get`, the download goes on.
    unthrottle(f);
    const CliResult again = runCli(getArgs(
        m_server->url(f.path).toString(), {u"-H"_s, u"Cookie: "_s + QString::fromLatin1(kCookie)}));
    VERIFY_EXIT(again, 0);
    QCOMPARE(sha256OfFile(f.finalPath), sha256Hex(f.body));
}

} // namespace ferry::test

QTEST_GUILESS_MAIN(ferry::test::CliSecretsTest)
#include "tst_cli_secrets.moc"
