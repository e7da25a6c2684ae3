// Speed limits on uploads, against the real S3 test server: the global limit and the
// transfer's own both hold an upload back, changes reach an upload in flight, and what arrives
// is byte-exact. Only lower bounds on time are asserted: a busy machine may always be slower.
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/s3client.h"
#include "rgwserver.h"
#include "sandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {
constexpr qint64 kMiB = 1024 * 1024;
}

class UploadJobRateLimitTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_server = &RgwServer::shared();
        m_server->addBucket(u"bucket"_s);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_manager = std::make_unique<DownloadManager>(m_dir->filePath(u"state"_s));
        m_transfers = std::make_unique<S3Transfers>(m_manager.get());
        QString error;
        QVERIFY2(m_manager->open(false, &error), qPrintable(error));
        m_transfers->addClient(new s3::Client(account(), credentials()));
    }

    void cleanup()
    {
        m_transfers.reset();
        m_manager.reset();
        m_dir.reset();
    }

    void globalLimit_holdsTheUploadBack_andItArrivesByteExact()
    {
        m_manager->setGlobalRateLimit(2 * kMiB);
        const QByteArray body = deterministicBytes(6 * kMiB, 0x61u);
        QElapsedTimer timer;
        timer.start();
        const DownloadId id = upload(u"global.bin"_s, body);
        QVERIFY(id != 0);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), int(DownloadState::Completed), 60000);
        // A quarter-second burst, then 2 MiB/s: 6 MiB need at least 2.75 s.
        QVERIFY2(timer.elapsed() >= 2500, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(stored(u"up/global.bin"_s), sha256Hex(body));
    }

    // Set once the upload is under way: the request already sent obeys it from then on.
    void transferLimit_setWhileRunning_holdsTheUploadBack()
    {
        const QByteArray body = deterministicBytes(6 * kMiB, 0x62u);
        QElapsedTimer timer;
        timer.start();
        const DownloadId id = upload(u"own.bin"_s, body);
        QVERIFY(id != 0);
        m_manager->setRateLimit(id, 2 * kMiB);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), int(DownloadState::Completed), 60000);
        QVERIFY2(timer.elapsed() >= 2500, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(stored(u"up/own.bin"_s), sha256Hex(body));
    }

    // Parts sent in parallel share the transfer's limit.
    void transferLimit_holdsMultipartUploadsBack()
    {
        const QByteArray body = deterministicBytes(17 * kMiB + 5, 0x63u);
        QElapsedTimer timer;
        timer.start();
        const DownloadId id = upload(u"parts.bin"_s, body);
        QVERIFY(id != 0);
        m_manager->setRateLimit(id, 5 * kMiB / 2);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), int(DownloadState::Completed), 60000);
        // A 640 KiB burst, then 2.5 MiB/s for the rest: 6.5 s.
        QVERIFY2(timer.elapsed() >= 6000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(stored(u"up/parts.bin"_s), sha256Hex(body));
    }

    void limitRemovedMidway_uploadCompletes()
    {
        // At this rate the whole file would take over a minute and a half.
        m_manager->setGlobalRateLimit(64 * 1024);
        const QByteArray body = deterministicBytes(6 * kMiB, 0x64u);
        const DownloadId id = upload(u"freed.bin"_s, body);
        QVERIFY(id != 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_manager->snapshot(id)->done > 0, 20000);
        QVERIFY(m_manager->snapshot(id)->done < body.size());
        QCOMPARE(stateOf(id), int(DownloadState::Downloading));
        m_manager->setGlobalRateLimit(0);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(id), int(DownloadState::Completed), 45000);
        QCOMPARE(stored(u"up/freed.bin"_s), sha256Hex(body));
    }

private:
    s3::Account account() const
    {
        s3::Account a;
        a.id = u"acct-rate"_s;
        a.endpoint = m_server->endpoint();
        a.pathStyle = true;
        return a;
    }

    static s3::Credentials credentials()
    {
        return {RgwServer::accessKey(), RgwServer::secretKey(), {}};
    }

    DownloadId upload(const QString &name, const QByteArray &body)
    {
        const QString file = m_dir->filePath(name);
        if (!writeFile(file, body))
            return 0;
        QString error;
        const QList<DownloadId> ids =
            m_transfers->upload(u"acct-rate"_s, file, u"bucket"_s, u"up/"_s, &error);
        if (ids.size() != 1)
            qWarning("upload not queued: %s", qPrintable(error));
        return ids.size() == 1 ? ids.first() : 0;
    }

    int stateOf(DownloadId id) const
    {
        const auto s = m_manager->snapshot(id);
        return int(s ? s->state : DownloadState::Failed);
    }

    // sha256 of the object as the server holds it, read without any limit.
    QByteArray stored(const QString &key)
    {
        s3::Client reader(account(), credentials());
        QByteArray data;
        bool done = false;
        s3::Reply *r = reader.getObject(u"bucket"_s, key);
        connect(r, &s3::Reply::finished, this, [&] {
            data = r->body;
            done = true;
        });
        if (!QTest::qWaitFor([&] { return done; }, 30000))
            return "timeout";
        return sha256Hex(data);
    }

    RgwServer *m_server = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<DownloadManager> m_manager;
    std::unique_ptr<S3Transfers> m_transfers;
};

QTEST_GUILESS_MAIN(UploadJobRateLimitTest)
#include "tst_uploadjobratelimit.moc"
