#include "s3/s3xml.h"

#include <QElapsedTimer>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace ferry::s3;

namespace {

QByteArray doc(const QByteArray &inner)
{
    return R"(<?xml version="1.0" encoding="UTF-8"?>)" + inner;
}

QByteArray nested(int depth)
{
    QByteArray out = "<ListBucketResult>";
    for (int i = 0; i < depth; ++i)
        out += "<a>";
    for (int i = 0; i < depth; ++i)
        out += "</a>";
    return out + "</ListBucketResult>";
}

} // namespace

class TestS3Xml final : public QObject
{
    Q_OBJECT

private slots:
    void listBuckets_data();
    void listBuckets();
    void listObjects_data();
    void listObjects();
    void error_data();
    void error();
    void initiateMultipartUpload_data();
    void initiateMultipartUpload();
    void completeMultipartUpload_data();
    void completeMultipartUpload();
    void listParts_data();
    void listParts();
    void listMultipartUploads_data();
    void listMultipartUploads();
    void deleteResult_data();
    void deleteResult();
    void hostile_data();
    void hostile();
    void requestBodies_escapeAndSort();
};

void TestS3Xml::listBuckets_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("names");
    QTest::newRow("two buckets") << doc(R"(<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner><ID>abc</ID><DisplayName>me</DisplayName></Owner>
  <Buckets>
    <Bucket><Name>photos</Name><CreationDate>2024-01-02T03:04:05.000Z</CreationDate></Bucket>
    <Bucket><Name>backup.2024</Name><CreationDate>2023-12-31T23:59:59.000Z</CreationDate></Bucket>
  </Buckets></ListAllMyBucketsResult>)") << true << QStringList{u"photos"_s, u"backup.2024"_s};
    QTest::newRow("no buckets") << doc("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>") << true
                                << QStringList{};
    QTest::newRow("bucket without name") << doc("<ListAllMyBucketsResult><Buckets><Bucket/></Buckets></ListAllMyBucketsResult>")
                                         << false << QStringList{};
}

void TestS3Xml::listBuckets()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    QFETCH(QStringList, names);
    QList<Bucket> buckets;
    QCOMPARE(xml::parseListBuckets(body, &buckets), ok);
    if (!ok)
        return;
    QStringList got;
    for (const Bucket &b : buckets) {
        got << b.name;
        QVERIFY(b.created.isValid());
    }
    QCOMPARE(got, names);
}

void TestS3Xml::listObjects_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<QStringList>("prefixes");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<QString>("token");

    QTest::newRow("page with folders and continuation")
        << doc(R"(<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix>docs/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>docs/a.txt</Key><LastModified>2024-05-01T10:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>docs/b c+d.txt</Key><LastModified>2024-05-01T10:00:00.000Z</LastModified><ETag>"x"</ETag><Size>0</Size><StorageClass>GLACIER</StorageClass></Contents>
  <CommonPrefixes><Prefix>docs/2023/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>docs/2024/</Prefix></CommonPrefixes>
</ListBucketResult>)")
        << true << QStringList{u"docs/a.txt"_s, u"docs/b c+d.txt"_s} << QList<qint64>{12, 0}
        << QStringList{u"docs/2023/"_s, u"docs/2024/"_s} << true
        << u"1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="_s;
    QTest::newRow("last page")
        << doc("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>z</Key><Size>5368709120</Size>"
               "</Contents></ListBucketResult>")
        << true << QStringList{u"z"_s} << QList<qint64>{5368709120LL} << QStringList{} << false << QString();
    QTest::newRow("url encoded keys")
        << doc("<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
               "<Contents><Key>a+b%2Bc%E4%B8%AD%25</Key><Size>1</Size></Contents>"
               "<CommonPrefixes><Prefix>x%20y/</Prefix></CommonPrefixes></ListBucketResult>")
        << true << QStringList{u"a b+c中%"_s} << QList<qint64>{1} << QStringList{u"x y/"_s} << false << QString();
    QTest::newRow("empty bucket") << doc("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>")
                                  << true << QStringList{} << QList<qint64>{} << QStringList{} << false << QString();
    QTest::newRow("truncated without token")
        << doc("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>") << false << QStringList{}
        << QList<qint64>{} << QStringList{} << false << QString();
    QTest::newRow("negative size")
        << doc("<ListBucketResult><Contents><Key>k</Key><Size>-4</Size></Contents></ListBucketResult>") << false
        << QStringList{} << QList<qint64>{} << QStringList{} << false << QString();
}

void TestS3Xml::listObjects()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, ok);
    ListPage page;
    QCOMPARE(xml::parseListObjects(body, &page), ok);
    if (!ok)
        return;
    QFETCH(QStringList, keys);
    QFETCH(QList<qint64>, sizes);
    QFETCH(QStringList, prefixes);
    QStringList gotKeys;
    QList<qint64> gotSizes;
    for (const Object &o : page.objects) {
        gotKeys << o.key;
        gotSizes << o.size;
    }
    QCOMPARE(gotKeys, keys);
    QCOMPARE(gotSizes, sizes);
    QCOMPARE(page.prefixes, prefixes);
    QTEST(page.truncated, "truncated");
    QTEST(page.nextContinuationToken, "token");
    if (QByteArray(QTest::currentDataTag()) == "page with folders and continuation") {
        QCOMPARE(page.objects.first().etag, QByteArray("\"9b2cf535f27731c974343645a3985328\""));
        QCOMPARE(page.objects.first().lastModified, QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC));
        QCOMPARE(page.objects.last().storageClass, u"GLACIER"_s);
    }
}

void TestS3Xml::error_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("region");
    QTest::addColumn<QString>("requestId");
    QTest::newRow("permanent redirect")
        << doc("<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be "
               "addressed using the specified endpoint.</Message><Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint>"
               "<Bucket>b</Bucket><Region>eu-west-1</Region><RequestId>R1</RequestId><HostId>H</HostId></Error>")
        << true << u"PermanentRedirect"_s << u"eu-west-1"_s << u"R1"_s;
    QTest::newRow("no such bucket") << doc("<Error><Code>NoSuchBucket</Code><RequestId>R2</RequestId></Error>") << true
                                    << u"NoSuchBucket"_s << QString() << u"R2"_s;
    QTest::newRow("no code") << doc("<Error><Message>?</Message></Error>") << false << QString() << QString()
                             << QString();
    QTest::newRow("not an error") << doc("<ListBucketResult/>") << false << QString() << QString() << QString();
}

void TestS3Xml::error()
{
    QFETCH(QByteArray, body);
    xml::ErrorBody e;
    QTEST(xml::parseError(body, &e), "ok");
    if (e.code.isEmpty())
        return;
    QTEST(e.code, "code");
    QTEST(e.region, "region");
    QTEST(e.requestId, "requestId");
}

void TestS3Xml::initiateMultipartUpload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("uploadId");
    QTest::newRow("ok") << doc(R"(<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Bucket>b</Bucket><Key>big.bin</Key><UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
</InitiateMultipartUploadResult>)") << true << u"VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA"_s;
    QTest::newRow("missing id") << doc("<InitiateMultipartUploadResult><Key>k</Key></InitiateMultipartUploadResult>")
                                << false << QString();
}

void TestS3Xml::initiateMultipartUpload()
{
    QFETCH(QByteArray, body);
    QString id;
    QTEST(xml::parseInitiateMultipartUpload(body, &id), "ok");
    if (!id.isEmpty())
        QTEST(id, "uploadId");
}

void TestS3Xml::completeMultipartUpload_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QByteArray>("etag");
    QTest::addColumn<QString>("errorCode");
    QTest::newRow("ok") << doc("<CompleteMultipartUploadResult><Location>http://x/b/k</Location><Bucket>b</Bucket>"
                               "<Key>k</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>"
                               "</CompleteMultipartUploadResult>")
                        << true << QByteArray("\"3858f62230ac3c915f300c664312c11f-9\"") << QString();
    // S3 may answer 200 and then fail the completion in the body.
    QTest::newRow("error inside 200") << doc("<Error><Code>InternalError</Code><Message>try again</Message></Error>")
                                      << true << QByteArray() << u"InternalError"_s;
    QTest::newRow("wrong root") << doc("<InitiateMultipartUploadResult/>") << false << QByteArray() << QString();
}

void TestS3Xml::completeMultipartUpload()
{
    QFETCH(QByteArray, body);
    QByteArray etag;
    xml::ErrorBody failure;
    QTEST(xml::parseCompleteMultipartUpload(body, &etag, &failure), "ok");
    QTEST(etag, "etag");
    QTEST(failure.code, "errorCode");
}

void TestS3Xml::listParts_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QList<int>>("numbers");
    QTest::addColumn<QList<qint64>>("sizes");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<int>("marker");
    QTest::newRow("two parts, more to come")
        << doc(R"(<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key>
<UploadId>u</UploadId><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>
<MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
<Part><PartNumber>1</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"a1"</ETag><Size>5242880</Size></Part>
<Part><PartNumber>2</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"a2"</ETag><Size>5242880</Size></Part>
</ListPartsResult>)")
        << true << QList<int>{1, 2} << QList<qint64>{5242880, 5242880} << true << 2;
    QTest::newRow("no parts") << doc("<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>") << true
                              << QList<int>{} << QList<qint64>{} << false << 0;
    QTest::newRow("part number out of range")
        << doc("<ListPartsResult><Part><PartNumber>10001</PartNumber><Size>1</Size></Part></ListPartsResult>")
        << false << QList<int>{} << QList<qint64>{} << false << 0;
}

void TestS3Xml::listParts()
{
    QFETCH(QByteArray, body);
    xml::PartsPage page;
    QTEST(xml::parseListParts(body, &page), "ok");
    QFETCH(bool, ok);
    if (!ok)
        return;
    QList<int> numbers;
    QList<qint64> sizes;
    for (const Part &p : page.parts) {
        numbers << p.number;
        sizes << p.size;
        QVERIFY(p.etag.startsWith('"'));
    }
    QTEST(numbers, "numbers");
    QTEST(sizes, "sizes");
    QTEST(page.truncated, "truncated");
    QTEST(page.nextPartNumberMarker, "marker");
}

void TestS3Xml::listMultipartUploads_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("ids");
    QTest::addColumn<QStringList>("initiators");
    QTest::addColumn<QString>("firstInitiated");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<QString>("nextKey");
    QTest::addColumn<QString>("nextId");
    QTest::newRow("two uploads, url-encoded, more to come")
        << doc(R"(<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket>
<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><NextKeyMarker>dir/b+c%2B.bin</NextKeyMarker>
<NextUploadIdMarker>2~xyz</NextUploadIdMarker><EncodingType>url</EncodingType><MaxUploads>2</MaxUploads>
<IsTruncated>true</IsTruncated>
<Upload><Key>dir/a%20file.bin</Key><UploadId>1~abc</UploadId>
<Initiator><ID>arn:aws:iam::1:user/alice</ID><DisplayName>alice</DisplayName></Initiator>
<Owner><ID>o1</ID><DisplayName>team</DisplayName></Owner><StorageClass>STANDARD</StorageClass>
<Initiated>2024-05-06T07:08:09.123Z</Initiated></Upload>
<Upload><Key>dir/b+c%2B.bin</Key><UploadId>2~xyz</UploadId>
<Initiator><ID>tester</ID><DisplayName></DisplayName></Initiator>
<Owner><ID>tester</ID></Owner><Initiated>2024-05-06T08:00:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)")
        << true << QStringList{u"dir/a file.bin"_s, u"dir/b c+.bin"_s} << QStringList{u"1~abc"_s, u"2~xyz"_s}
        << QStringList{u"alice"_s, u"tester"_s} << u"2024-05-06T07:08:09.123Z"_s << true << u"dir/b c+.bin"_s
        << u"2~xyz"_s;
    QTest::newRow("none") << doc("<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>")
                          << true << QStringList{} << QStringList{} << QStringList{} << QString() << false
                          << QString() << QString();
    QTest::newRow("keys as sent without encoding")
        << doc("<ListMultipartUploadsResult><Upload><Key>a+b%20c</Key><UploadId>u</UploadId></Upload>"
               "</ListMultipartUploadsResult>")
        << true << QStringList{u"a+b%20c"_s} << QStringList{u"u"_s} << QStringList{QString()} << QString() << false
        << QString() << QString();
    QTest::newRow("truncated without a marker")
        << doc("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated></ListMultipartUploadsResult>") << false
        << QStringList{} << QStringList{} << QStringList{} << QString() << false << QString() << QString();
    QTest::newRow("upload without an id")
        << doc("<ListMultipartUploadsResult><Upload><Key>k</Key></Upload></ListMultipartUploadsResult>") << false
        << QStringList{} << QStringList{} << QStringList{} << QString() << false << QString() << QString();
    QTest::newRow("another document") << doc("<ListPartsResult/>") << false << QStringList{} << QStringList{}
                                      << QStringList{} << QString() << false << QString() << QString();
}

void TestS3Xml::listMultipartUploads()
{
    QFETCH(QByteArray, body);
    xml::UploadsPage page;
    QString why;
    QTEST(xml::parseListMultipartUploads(body, &page, &why), "ok");
    QFETCH(bool, ok);
    if (!ok) {
        QVERIFY(!why.isEmpty());
        return;
    }
    QStringList keys, ids, initiators;
    for (const MultipartUpload &u : std::as_const(page.uploads)) {
        keys << u.key;
        ids << u.uploadId;
        initiators << u.initiator;
    }
    QTEST(keys, "keys");
    QTEST(ids, "ids");
    QTEST(initiators, "initiators");
    QFETCH(QString, firstInitiated);
    if (!firstInitiated.isEmpty()) {
        QCOMPARE(page.uploads.first().initiated.toString(Qt::ISODateWithMs), firstInitiated);
        QCOMPARE(page.uploads.first().owner, u"team"_s);
    }
    QTEST(page.truncated, "truncated");
    QTEST(page.nextKeyMarker, "nextKey");
    QTEST(page.nextUploadIdMarker, "nextId");
}

void TestS3Xml::deleteResult_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QStringList>("deleted");
    QTest::addColumn<QStringList>("failed");
    QTest::addColumn<QStringList>("codes");
    QTest::newRow("mixed") << doc(R"(<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Deleted><Key>a</Key></Deleted>
<Error><Key>locked/b</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
<Deleted><Key>c d</Key></Deleted>
<Error><Key>e</Key><Code>InternalError</Code><Message>x</Message></Error>
</DeleteResult>)") << true << QStringList{u"a"_s, u"c d"_s} << QStringList{u"locked/b"_s, u"e"_s}
                           << QStringList{u"AccessDenied"_s, u"InternalError"_s};
    QTest::newRow("quiet, all deleted") << doc("<DeleteResult/>") << true << QStringList{} << QStringList{}
                                        << QStringList{};
}

void TestS3Xml::deleteResult()
{
    QFETCH(QByteArray, body);
    xml::DeleteResult result;
    QTEST(xml::parseDeleteResult(body, &result), "ok");
    QTEST(result.deleted, "deleted");
    QTEST(result.failedKeys, "failed");
    QStringList codes;
    for (const auto &e : result.errors)
        codes << e.code;
    QTEST(codes, "codes");
}

void TestS3Xml::hostile_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not xml") << QByteArray("Service Unavailable\r\n");
    QTest::newRow("json") << QByteArray(R"({"error":"nope"})");
    QTest::newRow("html error page")
        << QByteArray("<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
                      "</body></html>");
    QTest::newRow("html without doctype") << QByteArray("<html><body><p>Bad Gateway<br></body></html>");
    QTest::newRow("truncated")
        << doc("<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a</Key><Size>1</Si");
    QTest::newRow("unclosed root") << doc("<ListBucketResult><IsTruncated>false</IsTruncated>");
    QTest::newRow("mismatched tags") << doc("<ListBucketResult><Contents></Key></ListBucketResult>");
    QTest::newRow("wrong root") << doc("<Foo><Bar/></Foo>");
    QTest::newRow("two roots") << doc("<ListBucketResult/><ListBucketResult/>");
    QByteArray laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">)";
    for (int i = 1; i <= 9; ++i) {
        laughs += "<!ENTITY lol" + QByteArray::number(i) + " \"";
        for (int j = 0; j < 10; ++j)
            laughs += "&lol" + (i > 1 ? QByteArray::number(i - 1) : QByteArray()) + ';';
        laughs += "\">";
    }
    laughs += "]><ListBucketResult><Name>&lol9;</Name></ListBucketResult>";
    QTest::newRow("billion laughs") << laughs;
    QTest::newRow("external entity")
        << QByteArray(R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>)"
                      "<ListBucketResult><Name>&x;</Name></ListBucketResult>");
    QTest::newRow("undeclared entity") << doc("<ListBucketResult><Name>&nope;</Name></ListBucketResult>");
    QTest::newRow("1000 deep") << nested(1000);
    QTest::newRow("100000 deep") << nested(100000);
    QByteArray many = "<ListBucketResult>";
    many += QByteArray("<x/>").repeated(300000);
    many += "</ListBucketResult>";
    QTest::newRow("300000 elements") << many;
    QTest::newRow("over 64 MiB")
        << ("<ListBucketResult><Name>" + QByteArray(xml::maxBodyBytes, 'a') + "</Name></ListBucketResult>");
    QTest::newRow("binary") << QByteArray("\x00\xff\xfe<\x01>", 6);
}

// Every parser must refuse these with an error, quickly, and without crashing.
void TestS3Xml::hostile()
{
    QFETCH(QByteArray, body);
    QElapsedTimer timer;
    timer.start();
    QString why;
    QList<Bucket> buckets;
    QVERIFY(!xml::parseListBuckets(body, &buckets, &why));
    QVERIFY(!why.isEmpty());
    ListPage page;
    QVERIFY(!xml::parseListObjects(body, &page));
    xml::ErrorBody err;
    QVERIFY(!xml::parseError(body, &err));
    QString id;
    QVERIFY(!xml::parseInitiateMultipartUpload(body, &id));
    QByteArray etag;
    QVERIFY(!xml::parseCompleteMultipartUpload(body, &etag, &err));
    xml::PartsPage parts;
    QVERIFY(!xml::parseListParts(body, &parts));
    xml::UploadsPage uploads;
    QVERIFY(!xml::parseListMultipartUploads(body, &uploads));
    xml::DeleteResult deleted;
    QVERIFY(!xml::parseDeleteResult(body, &deleted));
    QVERIFY2(timer.elapsed() < 10'000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
}

void TestS3Xml::requestBodies_escapeAndSort()
{
    const QByteArray complete = xml::completeMultipartUploadBody(
        {Part{3, "\"c\"", 1}, Part{1, "\"a\"", 5}, Part{2, "\"b\"", 5}});
    QXmlStreamReader r(complete);
    QList<int> numbers;
    QStringList etags;
    while (!r.atEnd()) {
        if (r.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (r.name() == u"PartNumber")
            numbers << r.readElementText().toInt();
        else if (r.name() == u"ETag")
            etags << r.readElementText();
    }
    QVERIFY(!r.hasError());
    QCOMPARE(numbers, (QList<int>{1, 2, 3}));
    QCOMPARE(etags, (QStringList{u"\"a\""_s, u"\"b\""_s, u"\"c\""_s}));

    const QStringList keys{u"a&b<c>.txt"_s, u"中文 key"_s};
    const QByteArray del = xml::deleteObjectsBody(keys);
    QVERIFY(del.contains("<Quiet>true</Quiet>"));
    QXmlStreamReader d(del);
    QStringList got;
    while (!d.atEnd()) {
        if (d.readNext() == QXmlStreamReader::StartElement && d.name() == u"Key")
            got << d.readElementText();
    }
    QVERIFY(!d.hasError());
    QCOMPARE(got, keys);
}

QTEST_GUILESS_MAIN(TestS3Xml)
#include "tst_s3xml.moc"
