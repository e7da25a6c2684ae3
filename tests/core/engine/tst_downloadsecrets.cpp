#include "downloadmanagerfixture.h"

#include "api/secretvault.h"
#include "sandbox.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

// One keychain seen by several managers in turn, as by the processes of successive runs.
class SharedKeychain final : public KeychainBackend
{
public:
    explicit SharedKeychain(std::shared_ptr<MemoryKeychain> store) : m_store(std::move(store)) {}
    void read(const QString &key, Callback done) override { m_store->read(key, std::move(done)); }
    void write(const QString &key, const QByteArray &data, Callback done) override
    {
        m_store->write(key, data, std::move(done));
    }
    void remove(const QString &key, Callback done) override
    {
        m_store->remove(key, std::move(done));
    }

private:
    std::shared_ptr<MemoryKeychain> m_store;
};

const QByteArray kCookie = "session=MANAGER-COOKIE-51";

} // namespace

// The headers of a download kept in the keychain by DownloadManager: written on add, read
// before a download that needs them starts after a restart, deleted when it finishes or goes.
class DownloadSecretsTest final : public QObject, public DownloadManagerFixture
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(createFixture());
        m_keychain = std::make_shared<MemoryKeychain>();
        m_body = deterministicBytes(3 * 1024 * 1024 + 17, 0x5EC);
        m_server->setResource(m_path, resource(m_body));
        Faults login;
        login.requireHeader = {"Cookie", kCookie};
        m_server->setFaults(m_path, login);
    }
    void cleanup() { destroyFixture(); }

    void restart_takesTheHeadersFromTheKeychain_finishDeletesThem();
    void quitMidDownload_nextStartResumesWithTheKeychain();
    void remove_deletesTheEntry();
    void noKeychain_downloadAsksForItsHeadersAgain();

private:
    std::unique_ptr<DownloadManager> managerWithVault()
    {
        auto m = makeManager();
        m->setSecretVault(
            std::make_unique<SecretVault>(std::make_unique<SharedKeychain>(m_keychain)));
        return m;
    }
    // Adds the download behind the login, paused, and lets the keychain write finish.
    DownloadId addPaused(DownloadManager &m)
    {
        DownloadRequest r;
        r.url = m_server->url(m_path);
        r.directory = m_out->path();
        r.headers = {{"Cookie", kCookie}};
        r.startPaused = true;
        QString error;
        const DownloadId id = m.add(r, &error);
        if (id == 0)
            qWarning("add failed: %s", qPrintable(error));
        m.flush();
        return id;
    }

    std::shared_ptr<MemoryKeychain> m_keychain;
    QByteArray m_body;
    QString m_path = u"/private/data.bin"_s;
};

void DownloadSecretsTest::restart_takesTheHeadersFromTheKeychain_finishDeletesThem()
{
    DownloadId id = 0;
    {
        auto first = managerWithVault();
        id = addPaused(*first);
        QVERIFY(id > 0);
        QCOMPARE(m_keychain->entries().size(), 1);
        QCOMPARE(m_keychain->entries().keys().first(), first->secretVault()->keyFor(id));
        QVERIFY(m_keychain->entries().constBegin().value().contains(kCookie));
    }
    // The next run was given nothing: the headers come from the keychain.
    auto next = managerWithVault();
    QSignalSpy unavailable(next->secretVault(), &SecretVault::unavailable);
    next->resume(id);
    const DownloadSnapshot done = waitFinal(*next, id);
    QCOMPARE(done.state, DownloadState::Completed);
    QCOMPARE(sha256OfFile(done.targetPath), sha256Hex(m_body));
    for (const RequestRecord &r : m_server->requests(m_path))
        QCOMPARE(r.status == 403, false);
    next->flush();
    QVERIFY(m_keychain->entries().isEmpty());
    QCOMPARE(unavailable.size(), 0);
}

void DownloadSecretsTest::quitMidDownload_nextStartResumesWithTheKeychain()
{
    Faults slow;
    slow.requireHeader = {"Cookie", kCookie};
    slow.bytesPerSecond = 128 * 1024;
    m_server->setFaults(m_path, slow);
    DownloadId id = 0;
    {
        auto first = managerWithVault();
        DownloadRequest r;
        r.url = m_server->url(m_path);
        r.directory = m_out->path();
        r.headers = {{"Cookie", kCookie}};
        QString error;
        id = first->add(r, &error);
        QVERIFY2(id > 0, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(first->snapshot(id)->done > 0, finishTimeoutMs);
        first->flush();
    } // quits while downloading: the download stays queued for the next start

    Faults login;
    login.requireHeader = {"Cookie", kCookie};
    m_server->setFaults(m_path, login);
    // What the window does when it starts with "resume at start": nothing is given again.
    DownloadManager next(m_state->path());
    next.setSecretVault(std::make_unique<SecretVault>(std::make_unique<SharedKeychain>(m_keychain)));
    QString error;
    QVERIFY2(next.open(true, &error), qPrintable(error));
    const DownloadSnapshot done = waitFinal(next, id);
    QCOMPARE(done.state, DownloadState::Completed);
    QCOMPARE(sha256OfFile(done.targetPath), sha256Hex(m_body));
    for (const RequestRecord &r : m_server->requests(m_path))
        QCOMPARE(r.status == 403, false);
    next.flush();
    QVERIFY(m_keychain->entries().isEmpty());
}

void DownloadSecretsTest::remove_deletesTheEntry()
{
    auto m = managerWithVault();
    const DownloadId id = addPaused(*m);
    QCOMPARE(m_keychain->entries().size(), 1);
    QVERIFY(m->remove(id, FileRemoval::Keep));
    m->flush();
    QVERIFY(m_keychain->entries().isEmpty());
}

void DownloadSecretsTest::noKeychain_downloadAsksForItsHeadersAgain()
{
    m_keychain->setAvailable(false);
    DownloadId id = 0;
    {
        auto first = managerWithVault();
        QSignalSpy unavailable(first->secretVault(), &SecretVault::unavailable);
        id = addPaused(*first);
        QCOMPARE(unavailable.size(), 1);
    }
    auto next = managerWithVault();
    next->resume(id);
    const DownloadSnapshot stopped = waitFinal(*next, id);
    QCOMPARE(stopped.state, DownloadState::Paused);
    QVERIFY2(stopped.message.contains(u"needs its credentials again"_s),
             qPrintable(stopped.message));
    QVERIFY(m_server->requests(m_path).isEmpty());
    QVERIFY(!next->secretVault()->available());
}

QTEST_GUILESS_MAIN(DownloadSecretsTest)
#include "tst_downloadsecrets.moc"
