#include "api/secretvault.h"

#include "keyringsession.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

struct Loaded
{
    bool done = false;
    std::optional<HeaderList> headers;
};

Loaded loadNow(SecretVault &vault, DownloadId id, const QUrl &url)
{
    auto result = std::make_shared<Loaded>();
    vault.load(id, url, [result](const std::optional<HeaderList> &h) {
        result->done = true;
        result->headers = h;
    });
    if (!QTest::qWaitFor([&] { return result->done; }, 10'000))
        qWarning("load did not answer");
    return *result;
}

const QUrl kUrl(u"https://files.example:8443/report.pdf?sig=1"_s);
const HeaderList kHeaders = {{"Cookie", "session=VAULT-COOKIE-1"},
                             {"Authorization", "Basic dXNlcjpwYXNz"},
                             {"X-Raw", QByteArray("caf\xe9\x01", 5)}};

} // namespace

// The order matters: a process connects to the session bus once, so the case without a bus runs
// before the one that starts a private keyring.
class SecretVaultTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void unavailable_deadBus_answersNothingAndSaysSoOnce();
    void memory_storeLoadRemove_boundToFolderAndOrigin();
    void decode_rejectsDamagedOrForeignEntries_data();
    void decode_rejectsDamagedOrForeignEntries();
    void keychain_storeLoadRemove_roundTripThroughSecretService();

private:
    QTemporaryDir m_tmp;
};

void SecretVaultTest::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
}

void SecretVaultTest::unavailable_deadBus_answersNothingAndSaysSoOnce()
{
    const QByteArray previous = qgetenv("DBUS_SESSION_BUS_ADDRESS");
    qputenv("DBUS_SESSION_BUS_ADDRESS", KeyringSession::deadBusAddress(m_tmp.path()).toLocal8Bit());
    SecretVault vault(SecretVault::systemKeychain(3000));
    vault.setStateDir(m_tmp.path());
    QSignalSpy unavailable(&vault, &SecretVault::unavailable);
    vault.store(1, kUrl, kHeaders);
    QTRY_COMPARE_WITH_TIMEOUT(unavailable.size(), 1, 10'000);
    QVERIFY(!vault.available());
    // Later calls are not made at all, and answer "nothing" without a second notice.
    const Loaded loaded = loadNow(vault, 1, kUrl);
    QVERIFY(loaded.done);
    QVERIFY(!loaded.headers);
    vault.store(2, kUrl, kHeaders);
    vault.remove(1);
    QVERIFY(vault.waitForPending(5000));
    QCOMPARE(unavailable.size(), 1);
    QCOMPARE(SecretVault::unavailableMessage(),
             u"No system keychain: logins of downloads are kept for this session only; after a "
             "restart such downloads ask for them again."_s);
    if (previous.isEmpty())
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    else
        qputenv("DBUS_SESSION_BUS_ADDRESS", previous);
}

void SecretVaultTest::memory_storeLoadRemove_boundToFolderAndOrigin()
{
    auto keychain = std::make_unique<MemoryKeychain>();
    MemoryKeychain *raw = keychain.get();
    SecretVault vault(std::move(keychain));
    vault.setStateDir(m_tmp.path());
    QCOMPARE(vault.keyFor(7), u"download-7@"_s + m_tmp.path());

    vault.store(7, kUrl, kHeaders);
    QVERIFY(vault.waitForPending(5000));
    QCOMPARE(raw->entries().keys(), QStringList{vault.keyFor(7)});
    QCOMPARE(loadNow(vault, 7, kUrl).headers, std::optional<HeaderList>(kHeaders));
    // Another address of the same origin gets them; another origin does not.
    QCOMPARE(loadNow(vault, 7, QUrl(u"https://files.example:8443/other"_s)).headers,
             std::optional<HeaderList>(kHeaders));
    QVERIFY(!loadNow(vault, 7, QUrl(u"https://elsewhere.example/report.pdf"_s)).headers);
    QVERIFY(!loadNow(vault, 8, kUrl).headers);

    // The same id in another state folder is another download.
    SecretVault other(std::make_unique<MemoryKeychain>(*raw));
    other.setStateDir(m_tmp.filePath(u"elsewhere"_s));
    QVERIFY(!loadNow(other, 7, kUrl).headers);

    vault.remove(7);
    QVERIFY(vault.waitForPending(5000));
    QVERIFY(raw->entries().isEmpty());
    QVERIFY(!loadNow(vault, 7, kUrl).headers);
    QVERIFY(vault.available());
}

void SecretVaultTest::decode_rejectsDamagedOrForeignEntries_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("not json") << QByteArray("{nope");
    QTest::newRow("no headers") << QByteArray(
        R"({"origin":"https://files.example:8443","headers":[]})");
    QTest::newRow("other origin") << SecretVault::encode(QUrl(u"http://files.example/"_s),
                                                         kHeaders);
    QTest::newRow("half pair") << QByteArray(
        R"({"origin":"https://files.example:8443","headers":[["Cookie"]]})");
}

void SecretVaultTest::decode_rejectsDamagedOrForeignEntries()
{
    QFETCH(QByteArray, data);
    QVERIFY(!SecretVault::decode(data, kUrl));
    QCOMPARE(SecretVault::decode(SecretVault::encode(kUrl, kHeaders), kUrl),
             std::optional<HeaderList>(kHeaders));
}

void SecretVaultTest::keychain_storeLoadRemove_roundTripThroughSecretService()
{
    QString missing;
    if (!KeyringSession::available(&missing))
        QSKIP(qPrintable(u"No private Secret Service possible, missing: "_s + missing +
                         u" (scripts/setup test installs them)"_s));
    KeyringSession keyring(m_tmp.filePath(u"keyring"_s));
    QString error;
    QVERIFY2(keyring.start(&error), qPrintable(error));
    // GLib's shared connection to the session bus raises SIGTERM in this process when the bus
    // goes away (exit-on-close); the bus stops with `keyring`, at the end of this last test.
    std::signal(SIGTERM, SIG_IGN);

    const QString stateDir = m_tmp.filePath(u"state"_s);
    SecretVault vault(SecretVault::systemKeychain(10'000));
    vault.setStateDir(stateDir);
    QSignalSpy unavailable(&vault, &SecretVault::unavailable);
    vault.store(42, kUrl, kHeaders);
    QVERIFY(vault.waitForPending(15'000));
    QVERIFY(vault.available());

    // Another program (another process, the next run) finds the entry under the same key.
    SecretVault nextRun(SecretVault::systemKeychain(10'000));
    nextRun.setStateDir(stateDir);
    QCOMPARE(loadNow(nextRun, 42, kUrl).headers, std::optional<HeaderList>(kHeaders));
    if (const QString tool = QStandardPaths::findExecutable(u"secret-tool"_s); !tool.isEmpty()) {
        // Where the user's tools see it: service "Ferry", one entry per download.
        QProcess lookup;
        lookup.setProcessEnvironment(keyring.environment(QProcessEnvironment::systemEnvironment()));
        lookup.start(tool, {u"lookup"_s, u"server"_s, u"Ferry"_s, u"user"_s, vault.keyFor(42)});
        QVERIFY(lookup.waitForFinished(10'000));
        QVERIFY(lookup.readAllStandardOutput().contains("VAULT-COOKIE-1"));
    }

    nextRun.remove(42);
    QVERIFY(nextRun.waitForPending(15'000));
    QVERIFY(!loadNow(vault, 42, kUrl).headers);
    QVERIFY(vault.available());
    QCOMPARE(unavailable.size(), 0);
}

QTEST_GUILESS_MAIN(SecretVaultTest)
#include "tst_secretvault.moc"
