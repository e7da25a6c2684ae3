// Resuming multipart uploads against a real S3 server (Ceph RGW): the listings it rests on,
// paged the way the server pages them, and an upload whose local record disagrees with the
// server in every way a record can.
#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "countingproxy.h"
#include "rgwserver.h"
#include "s3/s3client.h"
#include "s3/uploadjob.h"
#include "sandbox.h"
#include "storage/storage.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
const QString kBucket = u"resume"_s;

// What a Reply carried when it finished (it deletes itself afterwards).
struct Outcome
{
    bool finished = false;
    s3::Error error;
    QString uploadId;
    QByteArray etag;
    QList<s3::Part> parts;
    QList<s3::MultipartUpload> uploads;
    QByteArray body;
};

Outcome await(s3::Reply *reply)
{
    Outcome out;
    QObject::connect(reply, &s3::Reply::finished, reply, [&out, reply] {
        out = {true,         reply->error,   reply->uploadId, reply->etag,
               reply->parts, reply->uploads, reply->body};
    });
    if (!QTest::qWaitFor([&] { return out.finished; }, 60'000))
        out.error = s3::Error{s3::Error::Other, 0, u"TestTimeout"_s, u"no reply in time"_s, {}};
    return out;
}

QByteArray quotedMd5(const QByteArray &data)
{
    return '"' + QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex() + '"';
}

} // namespace

class TestUploadResume final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listParts_followsTheServersPagesWithNumberSizeAndEtag();
    void listMultipartUploads_followsBothMarkersThroughSameKeyUploads();
    void recordDisagreeingWithServer_keepsAdoptsOrSendsEachPart();

private:
    std::unique_ptr<s3::Client> m_client;
    s3::Account m_account;
};

void TestUploadResume::initTestCase()
{
    if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    RgwServer &server = RgwServer::shared();
    server.addBucket(kBucket);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error + server.output()));
    m_account.id = u"acct-resume"_s;
    m_account.name = u"RGW"_s;
    m_account.endpoint = server.endpoint();
    m_account.region = RgwServer::region();
    m_account.pathStyle = true;
    m_client = std::make_unique<s3::Client>(
        m_account, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}});
}

void TestUploadResume::listParts_followsTheServersPagesWithNumberSizeAndEtag()
{
    const QString key = u"parts/paged.bin"_s;
    const Outcome created = await(m_client->createMultipartUpload(kBucket, key));
    QVERIFY2(!created.error.isError(), qPrintable(created.error.message));
    QHash<int, QByteArray> bodies;
    for (int n : {1, 2, 3, 5, 7}) { // a gap, as after failures
        bodies[n] = deterministicBytes(1000 + n * 111, quint32(n));
        const Outcome part =
            await(m_client->uploadPart(kBucket, key, created.uploadId, n, bodies[n]));
        QVERIFY2(!part.error.isError(), qPrintable(part.error.message));
    }
    const Outcome listed =
        await(m_client->listParts(kBucket, key, created.uploadId, 2)); // three pages
    QVERIFY2(!listed.error.isError(), qPrintable(listed.error.message));
    QList<int> numbers;
    for (const s3::Part &p : listed.parts) {
        numbers << p.number;
        QCOMPARE(p.size, qint64(bodies.value(p.number).size()));
        QCOMPARE(p.etag, quotedMd5(bodies.value(p.number)));
    }
    QCOMPARE(numbers, (QList<int>{1, 2, 3, 5, 7}));

    // Once aborted, the upload is unknown (RGW says NoSuchKey where S3 says NoSuchUpload).
    QVERIFY(!await(m_client->abortMultipartUpload(kBucket, key, created.uploadId)).error.isError());
    const Outcome gone = await(m_client->listParts(kBucket, key, created.uploadId));
    QCOMPARE(gone.error.kind, s3::Error::NotFound);
    QVERIFY2(gone.error.code == u"NoSuchUpload"_s || gone.error.code == u"NoSuchKey"_s,
             qPrintable(gone.error.code));
}

void TestUploadResume::listMultipartUploads_followsBothMarkersThroughSameKeyUploads()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-120);
    QSet<QString> expected;
    // Three uploads of one key: a page may end between two of them, so the upload-id marker
    // matters, not just the key marker.
    for (const QString &key : {u"lists/same.bin"_s, u"lists/same.bin"_s, u"lists/same.bin"_s,
                               u"lists/with space+plus.bin"_s, u"lists/z.bin"_s}) {
        const Outcome created = await(m_client->createMultipartUpload(kBucket, key));
        QVERIFY2(!created.error.isError(), qPrintable(created.error.message));
        expected.insert(created.uploadId);
    }
    const Outcome outside = await(m_client->createMultipartUpload(kBucket, u"elsewhere/x.bin"_s));
    QVERIFY(!outside.error.isError());

    const Outcome listed =
        await(m_client->listMultipartUploads(kBucket, u"lists/"_s, 2)); // three pages
    QVERIFY2(!listed.error.isError(), qPrintable(listed.error.message));
    QSet<QString> seen;
    QStringList keys;
    for (const s3::MultipartUpload &u : listed.uploads) {
        QVERIFY2(!seen.contains(u.uploadId), "an upload listed twice");
        seen.insert(u.uploadId);
        keys << u.key;
        QVERIFY(u.initiated.isValid() && u.initiated >= before);
        QVERIFY(!u.initiator.isEmpty());
    }
    QCOMPARE(seen, expected);
    QCOMPARE(keys.count(u"lists/same.bin"_s), 3);
    QVERIFY2(keys.contains(u"lists/with space+plus.bin"_s), qPrintable(keys.join(u", "_s)));

    for (const s3::MultipartUpload &u : listed.uploads)
        await(m_client->abortMultipartUpload(kBucket, u.key, u.uploadId));
    await(m_client->abortMultipartUpload(kBucket, u"elsewhere/x.bin"_s, outside.uploadId));
    QVERIFY(await(m_client->listMultipartUploads(kBucket)).uploads.isEmpty());
}

// Four parts, each a different case: recorded and on the server as recorded (kept); on the
// server with the file's bytes but recorded with another ETag (adopted after hashing); on the
// server with other bytes and not recorded (sent again); recorded but not on the server (sent).
void TestUploadResume::recordDisagreeingWithServer_keepsAdoptsOrSendsEachPart()
{
    QTemporaryDir dir;
    const qint64 size = 30 * kMiB + 4321;
    const qint64 partSize = s3::UploadJob::partSizeFor(size);
    QCOMPARE(partSize, 8 * kMiB);
    const QByteArray body = deterministicBytes(size, 0xF00Du);
    const QString file = dir.filePath(u"four.bin"_s);
    QVERIFY(writeFile(file, body));
    const QString key = u"record/four.bin"_s;
    const auto part = [&](int n) { return body.mid((n - 1) * partSize, partSize); };

    const Outcome created = await(m_client->createMultipartUpload(kBucket, key));
    QVERIFY(!created.error.isError());
    const QString uploadId = created.uploadId;
    const Outcome p1 = await(m_client->uploadPart(kBucket, key, uploadId, 1, part(1)));
    const Outcome p2 = await(m_client->uploadPart(kBucket, key, uploadId, 2, part(2)));
    const Outcome p3 =
        await(m_client->uploadPart(kBucket, key, uploadId, 3, deterministicBytes(partSize, 0xBAD)));
    QVERIFY(!p1.error.isError() && !p2.error.isError() && !p3.error.isError());

    // The record, written the way a process that died would have left it.
    const QString stateDir = dir.filePath(u"state"_s);
    QVERIFY(QDir().mkpath(stateDir));
    DownloadId id = 0;
    {
        Storage storage(stateDir + u"/ferry.sqlite"_s);
        QString error;
        QVERIFY2(storage.open(&error), qPrintable(error));
        StoredDownload record;
        record.kind = TransferKind::Upload;
        record.source = s3::Client::s3Uri(kBucket, key);
        record.url = m_client->objectUrl(kBucket, key);
        record.account = m_account.id;
        record.directory = QFileInfo(file).absolutePath();
        record.fileName = QFileInfo(file).fileName();
        record.total = size;
        record.lastModified = QFileInfo(file).lastModified().toUTC().toString(Qt::ISODateWithMs);
        record.resumable = true;
        record.uploadId = uploadId;
        record.partSize = partSize;
        record.state = DownloadState::Paused;
        record.added = QDateTime::currentDateTimeUtc();
        id = storage.insert(record);
        QVERIFY(id != 0);
        storage.savePart(id, {1, p1.etag, partSize});
        storage.savePart(id, {2, quotedMd5("something else"), partSize});
        storage.savePart(id, {4, quotedMd5(body.mid(3 * partSize)), size - 3 * partSize});
        storage.flush();
    }

    CountingProxy proxy(RgwServer::shared().port());
    QVERIFY(proxy.start());
    s3::Account viaProxy = m_account;
    viaProxy.endpoint.setPort(proxy.port());
    DownloadManager manager(stateDir);
    S3Transfers transfers(&manager);
    QString error;
    QVERIFY2(manager.open(false, &error), qPrintable(error));
    QCOMPARE(manager.snapshot(id)->uploadId, uploadId);
    transfers.addClient(new s3::Client(
        viaProxy, s3::Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}}));
    manager.resume(id);
    QTRY_COMPARE_WITH_TIMEOUT(int(manager.snapshot(id)->state), int(DownloadState::Completed),
                              60'000);

    QHash<int, int> sent;
    int listParts = 0;
    int creates = 0;
    for (const CountingProxy::Exchange &e : proxy.exchanges()) {
        if (const int n = CountingProxy::partNumber(e))
            ++sent[n];
        listParts += e.method == "GET" && e.target.contains("uploadId=") ? 1 : 0;
        creates += e.method == "POST" && e.target.contains("?uploads") ? 1 : 0;
    }
    QCOMPARE(listParts, 1);
    QCOMPARE(creates, 0);
    QCOMPARE(sent.value(1), 0); // kept
    QCOMPARE(sent.value(2), 0); // adopted: the server's ETag is the MD5 of the file's bytes
    QCOMPARE(sent.value(3), 1); // other bytes on the server
    QCOMPARE(sent.value(4), 1); // recorded, but the server never had it
    const QList<DownloadEvent> events = manager.events(id);
    bool adoptionLogged = false;
    for (const DownloadEvent &e : events)
        adoptionLogged = adoptionLogged || e.text.contains(u"Part 2 was already on the server"_s);
    QVERIFY(adoptionLogged);

    const Outcome stored = await(m_client->getObject(kBucket, key));
    QVERIFY2(!stored.error.isError(), qPrintable(stored.error.message));
    QCOMPARE(sha256Hex(stored.body), sha256Hex(body));
    QVERIFY(await(m_client->listMultipartUploads(kBucket, u"record/"_s)).uploads.isEmpty());
}

QTEST_GUILESS_MAIN(TestUploadResume)
#include "tst_uploadresume.moc"
