#include "engine/requestsigner.h"
#include "s3/s3client.h"
#include "s3/sigv4.h"

#include "s3clienttestsupport.h"
#include "rgwserver.h"
#include "sandbox.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;
using namespace ferry::s3;
using namespace ferry::test;

namespace {
const QString kBucket = u"ferry"_s;
} // namespace

class TestS3Client final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void listBuckets_includesConfiguredBucket();
    void listObjects_pagesOf1000AndFolders();
    void headObject_reportsSizeTypeAndEtag();
    void getObject_rangeIsByteExact();
    void keys_roundTrip_data();
    void keys_roundTrip();
    void multipart_threePartsAssembleExactly();
    void deleteObjects_removesKeys();
    void presignedUrl_worksWithCurlAndRejectsTampering();
    void signerFor_signsEngineGets();
    void wrongSecret_isAuthErrorWithoutSecret();
    void missingBucketAndKey_areNotFound();

private:
    bool needServer();
    Client *client(Credentials credentials = goodCredentials());

    RgwServer *m_server = nullptr;
    QString m_skipReason;
};

void TestS3Client::initTestCase()
{
    m_skipReason = RgwServer::unavailableReason();
    if (!m_skipReason.isEmpty())
        return;
    m_server = &RgwServer::shared();
    m_server->addBucket(kBucket);
    QString error;
    QVERIFY2(m_server->start(&error), qPrintable(error));
}

bool TestS3Client::needServer()
{
    return m_server && m_server->isRunning();
}

Client *TestS3Client::client(Credentials credentials)
{
    return new Client(accountFor(m_server->endpoint()), std::move(credentials), this);
}

#define REQUIRE_SERVER()                                                                      \
    if (!needServer())                                                                        \
    QSKIP(qPrintable(u"the S3 test server is not available: %1"_s.arg(m_skipReason)))

void TestS3Client::listBuckets_includesConfiguredBucket()
{
    REQUIRE_SERVER();
    const Result r = await(client()->listBuckets());
    QVERIFY2(!r.error.isError(), qPrintable(r.error.message));
    QCOMPARE(r.buckets.size(), 1);
    QCOMPARE(r.buckets.first().name, kBucket);
}

void TestS3Client::listObjects_pagesOf1000AndFolders()
{
    REQUIRE_SERVER();
    Client *c = client();
    // 2,500 small objects, at most 16 requests in flight.
    constexpr int total = 2500;
    int next = 0;
    int done = 0;
    int failed = 0;
    std::function<void()> startOne = [&] {
        if (next >= total)
            return;
        const int i = next++;
        Reply *r = c->putObject(kBucket, u"many/obj%1"_s.arg(i, 4, 10, QChar(u'0')), QByteArray::number(i));
        connect(r, &Reply::finished, this, [&, r] {
            failed += r->error.isError() ? 1 : 0;
            ++done;
            startOne();
        });
    };
    for (int i = 0; i < 16; ++i)
        startOne();
    QTRY_COMPARE_WITH_TIMEOUT(done, total, 180'000);
    QCOMPARE(failed, 0);

    QStringList keys;
    QString token;
    int pages = 0;
    do {
        const Result r = await(c->listObjects(kBucket, u"many/"_s, {}, token));
        QVERIFY2(!r.error.isError(), qPrintable(r.error.message));
        QVERIFY(r.page.objects.size() <= 1000);
        for (const Object &o : r.page.objects)
            keys << o.key;
        token = r.page.nextContinuationToken;
        QCOMPARE(r.page.truncated, !token.isEmpty());
        ++pages;
    } while (!token.isEmpty() && pages < 10);
    QCOMPARE(pages, 3);
    QCOMPARE(keys.size(), total);
    QCOMPARE(keys.first(), u"many/obj0000"_s);
    QCOMPARE(keys.last(), u"many/obj2499"_s);
    QCOMPARE(QSet<QString>(keys.begin(), keys.end()).size(), total);

    for (const QString &key : {u"tree/a/1"_s, u"tree/a/2"_s, u"tree/b/1"_s, u"tree/top.txt"_s})
        QVERIFY(!await(c->putObject(kBucket, key, "x")).error.isError());
    const Result tree = await(c->listObjects(kBucket, u"tree/"_s, u"/"_s));
    QVERIFY2(!tree.error.isError(), qPrintable(tree.error.message));
    QCOMPARE(tree.page.prefixes, (QStringList{u"tree/a/"_s, u"tree/b/"_s}));
    QCOMPARE(tree.page.objects.size(), 1);
    QCOMPARE(tree.page.objects.first().key, u"tree/top.txt"_s);
    QCOMPARE(tree.page.objects.first().size, 1);
}

void TestS3Client::headObject_reportsSizeTypeAndEtag()
{
    REQUIRE_SERVER();
    Client *c = client();
    const QByteArray data = ferry::test::deterministicBytes(1234, 7);
    const Result put = await(c->putObject(kBucket, u"head/one.txt"_s, data, u"text/plain"_s));
    QVERIFY2(!put.error.isError(), qPrintable(put.error.message));
    QVERIFY(!put.etag.isEmpty());
    const Result head = await(c->headObject(kBucket, u"head/one.txt"_s));
    QVERIFY2(!head.error.isError(), qPrintable(head.error.message));
    QCOMPARE(head.info.size, 1234);
    QCOMPARE(head.info.etag, put.etag);
    QCOMPARE(head.info.contentType, u"text/plain"_s);
    QVERIFY(head.info.lastModified.isValid());
}

void TestS3Client::getObject_rangeIsByteExact()
{
    REQUIRE_SERVER();
    Client *c = client();
    const QByteArray data = ferry::test::deterministicBytes(100 * 1024, 11);
    QVERIFY(!await(c->putObject(kBucket, u"range/blob.bin"_s, data)).error.isError());

    const Result middle = await(c->getObject(kBucket, u"range/blob.bin"_s, 1000, 50'999));
    QVERIFY2(!middle.error.isError(), qPrintable(middle.error.message));
    QCOMPARE(middle.body.size(), 50'000);
    QVERIFY(middle.body == data.mid(1000, 50'000));
    QCOMPARE(middle.info.size, data.size()); // the object's size, from Content-Range

    const Result tail = await(c->getObject(kBucket, u"range/blob.bin"_s, 99'000));
    QVERIFY(tail.body == data.mid(99'000));
    const Result whole = await(c->getObject(kBucket, u"range/blob.bin"_s));
    QCOMPARE(ferry::test::sha256Hex(whole.body), ferry::test::sha256Hex(data));
}

void TestS3Client::keys_roundTrip_data()
{
    QTest::addColumn<QString>("key");
    QTest::newRow("spaces") << u"keys/with some spaces.txt"_s;
    QTest::newRow("plus") << u"keys/a+b+c.txt"_s;
    QTest::newRow("tilde") << u"keys/~home/x~y"_s;
    QTest::newRow("chinese") << u"keys/中文/文件 名.txt"_s;
    QTest::newRow("percent") << u"keys/100% sure %20 %2B.txt"_s;
    QTest::newRow("reserved") << u"keys/q?a=1=2#frag;x,y$z@:"_s;
    QTest::newRow("sub-delims") << u"keys/a&b!c'd(e)f*g.txt"_s;
}

void TestS3Client::keys_roundTrip()
{
    REQUIRE_SERVER();
    QFETCH(QString, key);
    Client *c = client();
    const QByteArray data = key.toUtf8() + QByteArray(100, 'k');
    const Result put = await(c->putObject(kBucket, key, data));
    QVERIFY2(!put.error.isError(), qPrintable(put.error.message));
    const Result get = await(c->getObject(kBucket, key));
    QVERIFY2(!get.error.isError(), qPrintable(get.error.message));
    QCOMPARE(get.body, data);
    const Result list = await(c->listObjects(kBucket, key));
    QVERIFY2(!list.error.isError(), qPrintable(list.error.message));
    QCOMPARE(list.page.objects.size(), 1);
    QCOMPARE(list.page.objects.first().key, key);
    QCOMPARE(await(c->headObject(kBucket, key)).info.size, data.size());
}

void TestS3Client::multipart_threePartsAssembleExactly()
{
    REQUIRE_SERVER();
    Client *c = client();
    const QString key = u"multi/big file.bin"_s;
    const QByteArray data = ferry::test::deterministicBytes(11 * 1024 * 1024, 3);
    const Result created = await(c->createMultipartUpload(kBucket, key, u"application/x-test"_s));
    QVERIFY2(!created.error.isError(), qPrintable(created.error.message));
    QVERIFY(!created.uploadId.isEmpty());

    const qint64 partSize = 5 * 1024 * 1024;
    QList<Part> parts;
    for (int n = 1; n <= 3; ++n) {
        const QByteArray chunk = data.mid((n - 1) * partSize, partSize);
        Reply *reply = c->uploadPart(kBucket, key, created.uploadId, n, chunk);
        QSignalSpy progress(reply, &Reply::progress);
        const Result up = await(reply);
        QVERIFY2(!up.error.isError(), qPrintable(up.error.message));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toLongLong(), chunk.size());
        parts.append(Part{n, up.etag, chunk.size()});
    }
    std::reverse(parts.begin(), parts.end()); // the client sends them in order regardless
    const Result done = await(c->completeMultipartUpload(kBucket, key, created.uploadId, parts));
    QVERIFY2(!done.error.isError(), qPrintable(done.error.message));
    // The gateway answers CompleteMultipartUpload with an empty <ETag>; HEAD shows the
    // object's: the MD5 of the parts' MD5s, and their count.
    QByteArray md5s;
    for (int n = 1; n <= 3; ++n)
        md5s += QCryptographicHash::hash(data.mid((n - 1) * partSize, partSize), QCryptographicHash::Md5);
    const QByteArray expected = '"' + QCryptographicHash::hash(md5s, QCryptographicHash::Md5).toHex() + "-3\"";
    QVERIFY(done.etag.isEmpty() || done.etag == expected);
    QCOMPARE(await(c->headObject(kBucket, key)).info.etag, expected);

    const Result got = await(c->getObject(kBucket, key));
    QVERIFY2(!got.error.isError(), qPrintable(got.error.message));
    QCOMPARE(ferry::test::sha256Hex(got.body), ferry::test::sha256Hex(data));
}

void TestS3Client::deleteObjects_removesKeys()
{
    REQUIRE_SERVER();
    Client *c = client();
    const QStringList keys{u"del/a"_s, u"del/b c"_s, u"del/中"_s};
    for (const QString &key : keys)
        QVERIFY(!await(c->putObject(kBucket, key, "x")).error.isError());
    const Result del = await(c->deleteObjects(kBucket, keys + QStringList{u"del/never-existed"_s}));
    QVERIFY2(!del.error.isError(), qPrintable(del.error.message));
    QVERIFY(del.failedKeys.isEmpty());
    QVERIFY(await(c->listObjects(kBucket, u"del/"_s)).page.objects.isEmpty());
    QCOMPARE(await(c->headObject(kBucket, u"del/a"_s)).error.kind, Error::NotFound);
}

void TestS3Client::presignedUrl_worksWithCurlAndRejectsTampering()
{
    REQUIRE_SERVER();
    if (!QFile::exists(u"/usr/bin/curl"_s))
        QSKIP("/usr/bin/curl is not installed");
    Client *c = client();
    const QString key = u"share/report 2024+final.bin"_s;
    const QByteArray data = ferry::test::deterministicBytes(40'000, 5);
    QVERIFY(!await(c->putObject(kBucket, key, data)).error.isError());

    const auto curl = [](const QUrl &url, QByteArray *body) {
        QProcess p;
        p.start(u"/usr/bin/curl"_s, {u"-sf"_s, QString::fromLatin1(url.toEncoded())});
        if (!p.waitForFinished(30'000))
            return -1;
        *body = p.readAllStandardOutput();
        return p.exitCode();
    };
    const QUrl url = c->presignedUrl(kBucket, key, 300);
    QVERIFY(url.isValid());
    QVERIFY(url.toEncoded().contains("X-Amz-Signature="));
    QByteArray body;
    QCOMPARE(curl(url, &body), 0);
    QCOMPARE(ferry::test::sha256Hex(body), ferry::test::sha256Hex(data));

    // Same signature, another object: refused.
    QByteArray tampered = url.toEncoded();
    tampered.replace("final", "fInal");
    QVERIFY(curl(QUrl::fromEncoded(tampered), &body) != 0);

    // Signed two hours ago for one minute: expired.
    SigningInput old;
    old.method = "GET";
    old.url = c->objectUrl(kBucket, key);
    old.time = QDateTime::currentDateTimeUtc().addSecs(-7200);
    old.region = c->regionOf(kBucket);
    QVERIFY(curl(presign(old, goodCredentials(), 60), &body) != 0);
    QVERIFY(c->presignedUrl(kBucket, key, 604'801).isEmpty());
}

void TestS3Client::signerFor_signsEngineGets()
{
    REQUIRE_SERVER();
    Client *c = client();
    const QString key = u"engine/a b.bin"_s;
    QVERIFY(!await(c->putObject(kBucket, key, "0123456789")).error.isError());
    const auto signer = c->signerFor(kBucket);
    const QUrl url = c->objectUrl(kBucket, key);
    QNetworkRequest request(url);
    request.setRawHeader("Range", "bytes=2-5");
    for (const auto &[name, value] : signer->sign("GET", url, {{"Range", "bytes=2-5"}}))
        request.setRawHeader(name, value);
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(request);
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30'000);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 206);
    QCOMPARE(reply->readAll(), QByteArray("2345"));
    delete reply;
}

void TestS3Client::wrongSecret_isAuthErrorWithoutSecret()
{
    REQUIRE_SERVER();
    const QString secret = u"wrong-secret-0123456789abcdef"_s;
    Client *c = client(Credentials{RgwServer::accessKey(), secret, {}});
    const Result r = await(c->listObjects(kBucket, {}));
    QCOMPARE(r.error.kind, Error::Auth);
    QCOMPARE(r.error.code, u"SignatureDoesNotMatch"_s);
    QVERIFY(r.error.message.contains(u"secret key"_s));
    QVERIFY(!r.error.message.contains(secret));
    QVERIFY(!r.error.message.contains(u"Signature="_s));
}

void TestS3Client::missingBucketAndKey_areNotFound()
{
    REQUIRE_SERVER();
    Client *c = client();
    const Result bucket = await(c->listObjects(u"no-such-bucket"_s, {}));
    QCOMPARE(bucket.error.kind, Error::NotFound);
    QCOMPARE(bucket.error.code, u"NoSuchBucket"_s);
    QVERIFY(bucket.error.message.contains(u"no-such-bucket"_s));
    const Result key = await(c->getObject(kBucket, u"nothing/here"_s));
    QCOMPARE(key.error.kind, Error::NotFound);
    QVERIFY(key.error.message.contains(u"s3://ferry/nothing/here"_s));
    QCOMPARE(await(c->headObject(kBucket, u"nothing/here"_s)).error.kind, Error::NotFound);
}

QTEST_GUILESS_MAIN(TestS3Client)
#include "tst_s3client.moc"
