// Multipart uploads as queued transfers, against the real S3 test server: part sizing, and an
// upload that keeps going when its account's client is replaced (the account opened again).
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "cannedserver.h"
#include "countingproxy.h"
#include "s3/s3client.h"
#include "s3/uploadjob.h"
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

class UploadJobTest final : public QObject
{
    Q_OBJECT

private slots:
    void partSize_staysEqualAndWithinTenThousandParts_data()
    {
        QTest::addColumn<qint64>("fileSize");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("small file") << 20 * kMiB << 8 * kMiB;
        QTest::newRow("exactly 10,000 parts of 8 MiB") << 10000 * 8 * kMiB << 8 * kMiB;
        QTest::newRow("one byte more grows the part") << 10000 * 8 * kMiB + 1 << 9 * kMiB;
        QTest::newRow("1 TiB") << 1024 * 1024 * kMiB << 105 * kMiB;
    }

    void partSize_staysEqualAndWithinTenThousandParts()
    {
        QFETCH(qint64, fileSize);
        QFETCH(qint64, expected);
        const qint64 part = s3::UploadJob::partSizeFor(fileSize);
        QCOMPARE(part, expected);
        QVERIFY((fileSize + part - 1) / part <= 10000);
        QCOMPARE(part % kMiB, 0);
    }

    // A download queued before a restart keeps the regional address it was made with; the
    // reopened account must sign for that region, not its default one.
    void storedAwsAddress_teachesTheBucketRegionToTheReopenedAccount()
    {
        QTemporaryDir dir;
        QString error;
        DownloadManager manager(dir.filePath(u"state"_s));
        S3Transfers transfers(&manager);
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        DownloadRequest request;
        request.url = QUrl(u"https://photos.s3.eu-west-1.amazonaws.com/2024/a.jpg"_s);
        request.directory = dir.path();
        request.account = u"acct-aws"_s;
        request.source = u"s3://photos/2024/a.jpg"_s;
        request.startPaused = true;
        QVERIFY2(manager.add(request, &error) != 0, qPrintable(error));

        s3::Account account;
        account.id = u"acct-aws"_s;
        account.endpoint = QUrl(u"https://s3.amazonaws.com"_s);
        account.region = u"us-east-1"_s;
        auto *client = new s3::Client(account, {u"AKIDEXAMPLE"_s, u"secret"_s, {}});
        transfers.addClient(client);
        QCOMPARE(client->regionOf(u"photos"_s), u"eu-west-1"_s);
        QCOMPARE(client->regionOf(u"other"_s), u"us-east-1"_s);
    }

    void replacedClient_uploadStillCompletesByteExact()
    {
        if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RgwServer &server = RgwServer::shared();
        server.addBucket(u"bucket"_s);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        // The proxy slows the upload down so the client can be replaced mid-way.
        CountingProxy proxy(quint16(server.endpoint().port()));
        QVERIFY(proxy.start());
        proxy.setUploadRate(12 * kMiB);

        QTemporaryDir dir;
        const QByteArray body = deterministicBytes(40 * kMiB + 77, 0x5au);
        const QString file = dir.filePath(u"big.bin"_s);
        QVERIFY(writeFile(file, body));

        DownloadManager manager(dir.filePath(u"state"_s));
        S3Transfers transfers(&manager);
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        s3::Account account;
        account.id = u"acct-1"_s;
        account.endpoint = server.endpoint();
        account.endpoint.setPort(proxy.port());
        account.pathStyle = true;
        const s3::Credentials creds{RgwServer::accessKey(), RgwServer::secretKey(), {}};
        transfers.addClient(new s3::Client(account, creds));

        const QList<DownloadId> ids = transfers.upload(account.id, file, u"bucket"_s, u"up/"_s, &error);
        QCOMPARE(ids.size(), 1);
        const DownloadId id = ids.first();
        // Once some part is confirmed, the account is opened again: a new client replaces the
        // old one, and the requests in flight vanish with it.
        QTRY_VERIFY_WITH_TIMEOUT(manager.snapshot(id)->done >= 8 * kMiB, 30000);
        QVERIFY(manager.snapshot(id)->state == DownloadState::Downloading);
        transfers.addClient(new s3::Client(account, creds));
        QTRY_COMPARE_WITH_TIMEOUT(int(manager.snapshot(id)->state), int(DownloadState::Completed), 60000);

        s3::Client reader(account, creds);
        QByteArray stored;
        s3::Reply *r = reader.getObject(u"bucket"_s, u"up/big.bin"_s);
        QSignalSpy done(r, &s3::Reply::finished);
        connect(r, &s3::Reply::finished, this, [&] { stored = r->body; });
        QVERIFY(done.wait(30000));
        QCOMPARE(sha256Hex(stored), sha256Hex(body));
    }

    // A busy service that says when to come back is not asked again before then.
    void busyServer_retryWaitsForItsRetryAfter()
    {
        CannedServer server;
        QElapsedTimer clock;
        clock.start();
        QList<qint64> seenAtMs;
        server.respond = [&](const Seen &, int index) {
            seenAtMs.append(clock.elapsed());
            if (index == 0)
                return Canned{503, "<Error><Code>SlowDown</Code><Message>m</Message></Error>", {{"Retry-After", "2"}}};
            return Canned{200, {}, {{"ETag", "\"abc\""}}};
        };
        QTemporaryDir dir;
        const QByteArray body = deterministicBytes(100 * 1024, 0x17u);
        const QString file = dir.filePath(u"small.bin"_s);
        QVERIFY(writeFile(file, body));
        DownloadManager manager(dir.filePath(u"state"_s));
        S3Transfers transfers(&manager);
        QString error;
        QVERIFY2(manager.open(false, &error), qPrintable(error));
        s3::Account account;
        account.id = u"acct-busy"_s;
        account.endpoint = server.endpoint();
        account.pathStyle = true;
        transfers.addClient(new s3::Client(account, {u"AKIDEXAMPLE"_s, u"secret"_s, {}}));
        const QList<DownloadId> ids = transfers.upload(account.id, file, u"bucket"_s, u"in/"_s, &error);
        QCOMPARE(ids.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(int(manager.snapshot(ids.first())->state), int(DownloadState::Completed), 15000);
        QCOMPARE(server.seen.size(), 2);
        QCOMPARE(server.seen.at(1).body, body);
        QVERIFY2(seenAtMs.at(1) - seenAtMs.at(0) >= 1900, qPrintable(QString::number(seenAtMs.at(1) - seenAtMs.at(0))));
        const QList<DownloadEvent> events = manager.events(ids.first());
        QVERIFY(std::any_of(events.begin(), events.end(), [](const DownloadEvent &e) { return e.text.contains(u"Retrying in 2 s"_s); }));
    }
};

QTEST_GUILESS_MAIN(UploadJobTest)
#include "tst_uploadjob.moc"
