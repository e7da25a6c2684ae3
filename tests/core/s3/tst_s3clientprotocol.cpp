// The client's requests and its reading of replies, against a canned server answering as S3's
// documentation says: what the S3 test server does not do (ListParts, Abort, regions, clock
// skew, throttling, private buckets) or cannot be made to do on purpose (hostile replies).
#include "engine/requestsigner.h"
#include "s3/s3client.h"
#include "s3/sigv4.h"

#include "s3clienttestsupport.h"
#include "faultserver.h"
#include "sandbox.h"

#include <QLocale>
#include <QPointer>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::s3;
using namespace ferry::test;

class TestS3ClientProtocol final : public QObject
{
    Q_OBJECT

private slots:
    void anonymous_privateBucketIsDenied();
    void listPartsAndAbort_sendExpectedRequests();
    void listParts_markerThatDoesNotAdvanceIsBadResponse();
    void listMultipartUploads_followsBothMarkersToTheLastPage();
    void listMultipartUploads_repeatedPageIsBadResponse();
    void regionRedirect_retriesOnceInRightRegion_data();
    void regionRedirect_retriesOnceInRightRegion();
    void clockSkew_correctedFromServerDateOnce();
    void retryAfter_isCarriedByTheError();
    void maxConnections_keepsThatManyRequestsOnTheWire_data();
    void maxConnections_keepsThatManyRequestsOnTheWire();
    void hostileReply_isBadResponse();
    void sessionToken_isSentAndSigned();
    void objectUrl_addressing_data();
    void objectUrl_addressing();
};

// A private bucket played by the canned server answering as S3 does, which also shows what
// the anonymous request carried.
void TestS3ClientProtocol::anonymous_privateBucketIsDenied()
{
    CannedServer server;
    server.respond = [](const Seen &, int) { return Canned{403, errorXml("AccessDenied"), {}}; };
    Account account = accountFor(server.endpoint());
    account.anonymous = true;
    Client c(account, {});
    const Result r = await(c.listObjects(u"private"_s, {}));
    QCOMPARE(r.error.kind, Error::Denied);
    QVERIFY(!r.error.message.isEmpty());
    QCOMPARE(server.seen.size(), 1);
    QVERIFY(!server.seen.first().headers.contains("authorization"));
    QVERIFY(!server.seen.first().headers.contains("x-amz-date"));
}

// The requests are checked against the canned server and its replies are modelled on S3's
// documentation (tst_cli_s3remove runs both against the real test server).
void TestS3ClientProtocol::listPartsAndAbort_sendExpectedRequests()
{
    CannedServer server;
    server.respond = [](const Seen &r, int index) {
        if (r.method == "DELETE")
            return Canned{204, {}, {}};
        if (index == 0)
            return Canned{200,
                          "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>"
                          "<Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag><Size>5242880</Size></Part>"
                          "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag><Size>5242880</Size></Part>"
                          "</ListPartsResult>",
                          {}};
        return Canned{200,
                      "<ListPartsResult><IsTruncated>false</IsTruncated>"
                      "<Part><PartNumber>3</PartNumber><ETag>\"e3\"</ETag><Size>17</Size></Part></ListPartsResult>",
                      {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    const Result listed = await(c.listParts(u"bkt"_s, u"dir/big file+1.bin"_s, u"UP/id=="_s));
    QVERIFY2(!listed.error.isError(), qPrintable(listed.error.message));
    QCOMPARE(listed.parts.size(), 3);
    QCOMPARE(listed.parts.at(2).number, 3);
    QCOMPARE(listed.parts.at(2).etag, QByteArray("\"e3\""));
    QCOMPARE(listed.parts.at(2).size, 17);
    QCOMPARE(server.seen.size(), 2);
    for (const Seen &r : std::as_const(server.seen)) {
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.path, u"/bkt/dir/big file+1.bin"_s);
        QCOMPARE(r.query.queryItemValue(u"uploadId"_s, QUrl::FullyDecoded), u"UP/id=="_s);
        QVERIFY(r.headers.value("authorization").startsWith("AWS4-HMAC-SHA256 "));
    }
    QVERIFY(!server.seen.at(0).query.hasQueryItem(u"part-number-marker"_s));
    QCOMPARE(server.seen.at(1).query.queryItemValue(u"part-number-marker"_s), u"2"_s);

    const Result aborted = await(c.abortMultipartUpload(u"bkt"_s, u"dir/big file+1.bin"_s, u"UP/id=="_s));
    QVERIFY2(!aborted.error.isError(), qPrintable(aborted.error.message));
    QCOMPARE(server.seen.size(), 3);
    QCOMPARE(server.seen.at(2).method, QByteArray("DELETE"));
    QCOMPARE(server.seen.at(2).path, u"/bkt/dir/big file+1.bin"_s);
    QCOMPARE(server.seen.at(2).query.queryItemValue(u"uploadId"_s, QUrl::FullyDecoded), u"UP/id=="_s);

    // UploadPart carries its number and the body's real hash.
    server.respond = [](const Seen &, int) { return Canned{200, {}, {{"ETag", "\"p7\""}}}; };
    const Result part = await(c.uploadPart(u"bkt"_s, u"k"_s, u"U"_s, 7, "part body"));
    QCOMPARE(part.etag, QByteArray("\"p7\""));
    const Seen &put = server.seen.last();
    QCOMPARE(put.method, QByteArray("PUT"));
    QCOMPARE(put.query.queryItemValue(u"partNumber"_s), u"7"_s);
    QCOMPARE(put.query.queryItemValue(u"uploadId"_s), u"U"_s);
    QCOMPARE(put.headers.value("x-amz-content-sha256"), ferry::test::sha256Hex("part body"));
    QCOMPARE(put.body, QByteArray("part body"));
}

void TestS3ClientProtocol::listParts_markerThatDoesNotAdvanceIsBadResponse()
{
    CannedServer server;
    server.respond = [](const Seen &, int) {
        return Canned{200,
                      "<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>"
                      "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag><Size>5</Size></Part></ListPartsResult>",
                      {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    const Result r = await(c.listParts(u"bkt"_s, u"k"_s, u"U"_s, 1));
    QCOMPARE(r.error.kind, Error::BadResponse);
    QCOMPARE(server.seen.size(), 2); // the first page, and the one that came back the same
    QCOMPARE(server.seen.at(0).query.queryItemValue(u"max-parts"_s), u"1"_s);
}

// Each page starts after the key and upload id the previous one ended with; a key that needs
// escaping travels back as the server named it, and keys a reply says it encoded are decoded.
void TestS3ClientProtocol::listMultipartUploads_followsBothMarkersToTheLastPage()
{
    CannedServer server;
    server.respond = [](const Seen &, int index) {
        if (index == 0)
            return Canned{200,
                          "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>"
                          "<NextKeyMarker>up/a%20b%2Bc</NextKeyMarker><NextUploadIdMarker>2~u/2=</NextUploadIdMarker>"
                          "<Upload><Key>up/a%20b%2Bc</Key><UploadId>1~u1</UploadId>"
                          "<Initiator><ID>id-1</ID><DisplayName>Alice</DisplayName></Initiator>"
                          "<Initiated>2024-05-06T07:08:09.000Z</Initiated></Upload>"
                          "<Upload><Key>up/a%20b%2Bc</Key><UploadId>2~u/2=</UploadId>"
                          "<Initiator><ID>id-2</ID></Initiator></Upload>"
                          "</ListMultipartUploadsResult>",
                          {}};
        return Canned{200,
                      "<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
                      "<Upload><Key>up/z</Key><UploadId>3~u3</UploadId></Upload></ListMultipartUploadsResult>",
                      {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    QList<MultipartUpload> uploads;
    Error error;
    bool done = false;
    Reply *reply = c.listMultipartUploads(u"bkt"_s, u"up/"_s, 2);
    connect(reply, &Reply::finished, this, [&] {
        uploads = reply->uploads;
        error = reply->error;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30'000);
    QVERIFY2(!error.isError(), qPrintable(error.message));
    QCOMPARE(uploads.size(), 3);
    QCOMPARE(uploads.at(0).key, u"up/a b+c"_s);
    QCOMPARE(uploads.at(0).initiator, u"Alice"_s);
    QCOMPARE(uploads.at(0).initiated, QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC));
    QCOMPARE(uploads.at(1).initiator, u"id-2"_s);
    QCOMPARE(uploads.at(2).uploadId, u"3~u3"_s);
    QCOMPARE(server.seen.size(), 2);
    for (const Seen &r : std::as_const(server.seen)) {
        QCOMPARE(r.method, QByteArray("GET"));
        QVERIFY2(r.path == u"/bkt"_s || r.path == u"/bkt/"_s, qPrintable(r.path));
        QVERIFY(r.query.hasQueryItem(u"uploads"_s));
        QCOMPARE(r.query.queryItemValue(u"prefix"_s, QUrl::FullyDecoded), u"up/"_s);
        QCOMPARE(r.query.queryItemValue(u"max-uploads"_s), u"2"_s);
        // RGW would encode the keys without saying so.
        QVERIFY(!r.query.hasQueryItem(u"encoding-type"_s));
        QVERIFY(r.headers.value("authorization").startsWith("AWS4-HMAC-SHA256 "));
    }
    QVERIFY(!server.seen.at(0).query.hasQueryItem(u"key-marker"_s));
    QCOMPARE(server.seen.at(1).query.queryItemValue(u"key-marker"_s, QUrl::FullyDecoded), u"up/a b+c"_s);
    QCOMPARE(server.seen.at(1).query.queryItemValue(u"upload-id-marker"_s, QUrl::FullyDecoded), u"2~u/2="_s);
}

void TestS3ClientProtocol::listMultipartUploads_repeatedPageIsBadResponse()
{
    CannedServer server;
    server.respond = [](const Seen &, int) {
        return Canned{200,
                      "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated><NextKeyMarker>k</NextKeyMarker>"
                      "<NextUploadIdMarker>u</NextUploadIdMarker><Upload><Key>k</Key><UploadId>u</UploadId></Upload>"
                      "</ListMultipartUploadsResult>",
                      {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    Error error;
    bool done = false;
    Reply *reply = c.listMultipartUploads(u"bkt"_s);
    connect(reply, &Reply::finished, this, [&] {
        error = reply->error;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 30'000);
    QCOMPARE(error.kind, Error::BadResponse);
    QCOMPARE(server.seen.size(), 2);
}

void TestS3ClientProtocol::regionRedirect_retriesOnceInRightRegion_data()
{
    QTest::addColumn<bool>("head");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("regionHeader");
    QTest::newRow("301 PermanentRedirect") << false << 301 << errorXml("PermanentRedirect", "<Region>eu-west-1</Region>")
                                           << QByteArray();
    QTest::newRow("400 AuthorizationHeaderMalformed")
        << false << 400 << errorXml("AuthorizationHeaderMalformed", "<Region>eu-west-1</Region>") << QByteArray();
    QTest::newRow("HEAD 301, region header only") << true << 301 << QByteArray() << QByteArray("eu-west-1");
}

void TestS3ClientProtocol::regionRedirect_retriesOnceInRightRegion()
{
    QFETCH(bool, head);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, regionHeader);
    CannedServer server;
    server.respond = [&](const Seen &r, int) {
        if (scopeRegion(r.headers.value("authorization")) != u"eu-west-1"_s) {
            Canned c{status, body, {}};
            if (!regionHeader.isEmpty())
                c.headers.append({"x-amz-bucket-region", regionHeader});
            return c;
        }
        return Canned{200, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>",
                      {{"Content-Type", "application/xml"}}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    QCOMPARE(c.regionOf(u"eu"_s), u"us-east-1"_s);
    const Result r = await(head ? c.headObject(u"eu"_s, u"k"_s) : c.listObjects(u"eu"_s, {}));
    QVERIFY2(!r.error.isError(), qPrintable(r.error.message));
    QCOMPARE(server.seen.size(), 2);
    QCOMPARE(scopeRegion(server.seen.at(0).headers.value("authorization")), u"us-east-1"_s);
    QCOMPARE(scopeRegion(server.seen.at(1).headers.value("authorization")), u"eu-west-1"_s);
    QCOMPARE(c.regionOf(u"eu"_s), u"eu-west-1"_s);

    // The region is remembered: the next call goes there directly.
    QVERIFY(!await(c.listObjects(u"eu"_s, {})).error.isError());
    QCOMPARE(server.seen.size(), 3);
    QVERIFY(c.presignedUrl(u"eu"_s, u"k"_s, 60).toEncoded().contains("%2Feu-west-1%2Fs3%2F"));
}

void TestS3ClientProtocol::clockSkew_correctedFromServerDateOnce()
{
    CannedServer server;
    const QDateTime serverNow = QDateTime::currentDateTimeUtc().addSecs(3600);
    const QByteArray date = QLocale::c().toString(serverNow, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    server.respond = [&](const Seen &, int index) {
        if (index == 0)
            return Canned{403, errorXml("RequestTimeTooSkewed"), {{"Date", date}}};
        return Canned{200, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>", {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    QVERIFY(!await(c.listObjects(u"b"_s, {})).error.isError());
    QCOMPARE(server.seen.size(), 2);
    const auto amzDate = [](const Seen &r) {
        return QDateTime::fromString(QString::fromLatin1(r.headers.value("x-amz-date")), u"yyyyMMdd'T'HHmmss'Z'"_s)
            .toUTC();
    };
    QDateTime first = amzDate(server.seen.at(0));
    first.setTimeSpec(Qt::UTC);
    QDateTime second = amzDate(server.seen.at(1));
    second.setTimeSpec(Qt::UTC);
    QVERIFY(qAbs(first.secsTo(QDateTime::currentDateTimeUtc())) < 120);
    QVERIFY(qAbs(second.secsTo(serverNow)) < 120);
    QVERIFY(qAbs(c.clockSkewSeconds() - 3600) < 120);

    // A server that keeps saying so gets one retry, then the user gets a sentence.
    server.seen.clear();
    server.respond = [&](const Seen &, int) {
        return Canned{403, errorXml("RequestTimeTooSkewed"), {{"Date", date}}};
    };
    const Result r = await(c.listObjects(u"b"_s, {}));
    QCOMPARE(server.seen.size(), 2);
    QCOMPARE(r.error.kind, Error::Auth);
    QVERIFY(r.error.message.contains(u"clock"_s));
}

void TestS3ClientProtocol::hostileReply_isBadResponse()
{
    CannedServer server;
    server.respond = [](const Seen &, int) {
        return Canned{200, "<html><body><h1>Welcome to our captive portal</h1></body></html>", {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    QCOMPARE(await(c.listObjects(u"b"_s, {})).error.kind, Error::BadResponse);
    QCOMPARE(await(c.listBuckets()).error.kind, Error::BadResponse);
    server.respond = [](const Seen &, int) { return Canned{502, "<html>Bad Gateway</html>", {}}; };
    const Result gateway = await(c.listObjects(u"b"_s, {}));
    QCOMPARE(gateway.error.kind, Error::Throttled);
    QCOMPARE(gateway.error.httpStatus, 502);
}

void TestS3ClientProtocol::sessionToken_isSentAndSigned()
{
    CannedServer server;
    server.respond = [](const Seen &, int) { return Canned{200, "<ListAllMyBucketsResult/>", {}}; };
    Client c(accountFor(server.endpoint()), Credentials{u"AKID"_s, u"secret"_s, u"TOKEN/abc=="_s});
    QVERIFY(!await(c.listBuckets()).error.isError());
    QCOMPARE(server.seen.size(), 1);
    QCOMPARE(server.seen.first().headers.value("x-amz-security-token"), QByteArray("TOKEN/abc=="));
    QVERIFY(server.seen.first().headers.value("authorization").contains("x-amz-security-token"));
    QVERIFY(c.presignedUrl(u"b"_s, u"k"_s, 60).toEncoded().contains("X-Amz-Security-Token=TOKEN%2Fabc%3D%3D"));
}

void TestS3ClientProtocol::objectUrl_addressing_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("pathStyle");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("aws virtual host") << u"https://s3.amazonaws.com"_s << false << u"eu-central-1"_s << u"photos"_s
                                      << u"2024/a b+c.jpg"_s
                                      << QByteArray("https://photos.s3.eu-central-1.amazonaws.com/2024/a%20b%2Bc.jpg");
    QTest::newRow("aws dotted bucket stays path style")
        << u"https://s3.amazonaws.com"_s << false << u"us-west-2"_s << u"my.site"_s << u"index.html"_s
        << QByteArray("https://s3.us-west-2.amazonaws.com/my.site/index.html");
    QTest::newRow("minio path style") << u"http://127.0.0.1:9000"_s << true << u"us-east-1"_s << u"data"_s
                                      << u"中/100%.txt"_s
                                      << QByteArray("http://127.0.0.1:9000/data/%E4%B8%AD/100%25.txt");
    QTest::newRow("endpoint with path") << u"https://ceph.example/s3/"_s << true << u"default"_s << u"b"_s
                                        << u"~k"_s << QByteArray("https://ceph.example/s3/b/~k");
    QTest::newRow("r2 virtual host") << u"https://acct.r2.cloudflarestorage.com"_s << false << u"auto"_s << u"bkt"_s
                                     << u"k"_s << QByteArray("https://bkt.acct.r2.cloudflarestorage.com/k");
}

void TestS3ClientProtocol::objectUrl_addressing()
{
    QFETCH(QString, endpoint);
    QFETCH(bool, pathStyle);
    QFETCH(QString, region);
    QFETCH(QString, bucket);
    QFETCH(QString, key);
    Account a = accountFor(QUrl(endpoint));
    a.pathStyle = pathStyle;
    a.region = region;
    Client c(a, {});
    QTEST(c.objectUrl(bucket, key).toEncoded(), "expected");
    QCOMPARE(Client::s3Uri(bucket, key), u"s3://%1/%2"_s.arg(bucket, key));
}


// A busy service says when to come back; the error carries it so every retry can wait that
// long (delta-seconds and HTTP-date forms), and it is absent when the service says nothing.
void TestS3ClientProtocol::retryAfter_isCarriedByTheError()
{
    CannedServer server;
    const QDateTime later = QDateTime::currentDateTimeUtc().addSecs(30);
    const QByteArray httpDate = QLocale::c().toString(later, u"ddd, dd MMM yyyy HH:mm:ss 'GMT'"_s).toLatin1();
    server.respond = [&](const Seen &, int index) {
        if (index == 0)
            return Canned{503, errorXml("SlowDown"), {{"Retry-After", "7"}}};
        if (index == 1)
            return Canned{429, errorXml("TooManyRequests"), {{"Retry-After", httpDate}}};
        return Canned{503, errorXml("SlowDown"), {}};
    };
    Client c(accountFor(server.endpoint()), goodCredentials());
    const Result seconds = await(c.listObjects(u"b"_s, {}));
    QCOMPARE(seconds.error.kind, Error::Throttled);
    QCOMPARE(seconds.error.retryAfterMs, 7000);
    QCOMPARE(seconds.error.retryAfter(), std::optional<qint64>(7000));
    const Result date = await(c.headObject(u"b"_s, u"k"_s));
    QVERIFY(date.error.retryable());
    QVERIFY2(date.error.retryAfterMs > 25'000 && date.error.retryAfterMs <= 30'000, qPrintable(QString::number(date.error.retryAfterMs)));
    const Result none = await(c.listObjects(u"b"_s, {}));
    QCOMPARE(none.error.kind, Error::Throttled);
    QCOMPARE(none.error.retryAfter(), std::nullopt);
}

void TestS3ClientProtocol::maxConnections_keepsThatManyRequestsOnTheWire_data()
{
    QTest::addColumn<int>("limit");
    QTest::addColumn<int>("expected");
    QTest::newRow("default: Qt's six per host") << 0 << 6;
    QTest::newRow("sixteen") << 16 << 16;
}

// Qt opens at most six connections per host and manager; a client asked for more must really
// have that many requests on the wire (many small objects fetched ahead depend on it).
void TestS3ClientProtocol::maxConnections_keepsThatManyRequestsOnTheWire()
{
    QFETCH(int, limit);
    QFETCH(int, expected);
    FaultServer server;
    QVERIFY(server.start());
    Faults silent; // headers, then nothing: every request stays open
    silent.stallAfterBytes = 0;
    silent.stallRequests = 0;
    for (int i = 0; i < 20; ++i) {
        server.setResource(u"/b/k%1"_s.arg(i), Resource{QByteArray(1024, 'x'), "\"e\"", {}, {}});
        server.setFaults(u"/b/k%1"_s.arg(i), silent);
    }
    Client c(accountFor(server.url(u"/"_s).adjusted(QUrl::RemovePath)), goodCredentials());
    if (limit > 0)
        c.setMaxConnections(limit);
    QCOMPARE(c.maxConnections(), limit > 0 ? 18 : 6); // whole managers of six
    QList<QPointer<Reply>> replies;
    for (int i = 0; i < 20; ++i)
        replies.append(c.getObject(u"b"_s, u"k%1"_s.arg(i)));
    QTRY_COMPARE(int(server.requests().size()), qMin(20, c.maxConnections()));
    QSet<int> connections;
    for (const RequestRecord &r : server.requests())
        connections.insert(r.connection);
    QVERIFY(int(connections.size()) >= expected);
    for (const QPointer<Reply> &r : std::as_const(replies)) {
        if (r)
            r->abort();
    }
}

QTEST_GUILESS_MAIN(TestS3ClientProtocol)
#include "tst_s3clientprotocol.moc"
