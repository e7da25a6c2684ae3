// Remote archives in S3: the same reading through signed ranged GETs against a real S3 server
// (Ceph's RADOS Gateway), with If-Match on every range so a replaced object is noticed.
#include "s3/s3client.h"
#include "zipread/remotezipdevice.h"
#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include "rgwserver.h"
#include "sandbox.h"
#include "ziparchivemakers.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zipread;
using namespace ferry::test::zipread;
using ferry::test::RgwServer;

namespace {

const QString kBucket = u"ferry-zipread"_s;

s3::Account account()
{
    s3::Account a;
    a.id = u"rgw"_s;
    a.name = u"RGW"_s;
    a.endpoint = RgwServer::shared().endpoint();
    a.region = RgwServer::region();
    a.pathStyle = true;
    return a;
}

s3::Credentials credentials()
{
    return {RgwServer::accessKey(), RgwServer::secretKey(), {}};
}

bool put(const QString &key, const QByteArray &data)
{
    s3::Client client(account(), credentials());
    s3::Reply *reply = client.putObject(kBucket, key, data);
    bool done = false, ok = false;
    QObject::connect(reply, &s3::Reply::finished, reply, [&] {
        ok = !reply->error.isError();
        done = true;
    });
    return QTest::qWaitFor([&] { return done; }, 60000) && ok;
}

} // namespace

class TestRemoteZipReaderS3 final : public QObject
{
    Q_OBJECT

private:
    QHash<QString, QByteArray> m_files{
        {u"docs/a.txt"_s, QByteArray("alpha ").repeated(5000)},
        {u"docs/b.bin"_s, test::deterministicBytes(150 * 1024, 21)},
        {u"big.bin"_s, test::deterministicBytes(3 * 1024 * 1024, 22)},
        {u"Grüße.txt"_s, "hallo"},
    };

private slots:
    void initTestCase()
    {
        if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        RgwServer &rgw = RgwServer::shared();
        rgw.addBucket(kBucket);
        QString error;
        QVERIFY2(rgw.start(&error), qPrintable(error + u"\n"_s + rgw.output()));
    }

    void listAndExtractTwoEntries()
    {
        const QByteArray archive = ferryArchive(m_files, true);
        QVERIFY(put(u"sets/archive.zip"_s, archive));
        RemoteZipDevice device(account(), credentials(), kBucket, u"sets/archive.zip"_s);
        QVERIFY2(device.open(QIODevice::ReadOnly), qPrintable(device.errorString()));
        QCOMPARE(device.size(), archive.size());
        ZipReader reader(&device);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));
        QCOMPARE(reader.entries().size(), m_files.size());
        const QList<qsizetype> chosen = ZipExtractor::select(reader.entries(), {u"docs/*"_s});
        QCOMPARE(chosen.size(), 2);
        QTemporaryDir out;
        ZipExtractor extractor(&reader);
        for (const ExtractedEntry &r : extractor.extract(chosen, out.path())) {
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(test::sha256OfFile(r.path), test::sha256Hex(m_files.value(r.entry)));
        }
        // Tail (64 KiB, the whole directory) plus the two entries and their headers.
        qint64 chosenBytes = 0;
        for (qsizetype i : chosen)
            chosenBytes += reader.entries().at(i).packedSize + 30 + 64 + 32;
        qInfo("S3: %lld of %lld bytes read in %d requests", device.bytesReceived(), device.size(),
              device.requestCount());
        QVERIFY(device.bytesReceived() <= RemoteZipDevice::kTailBytes + chosenBytes);
    }

    void replacedObject_isNoticed()
    {
        QVERIFY(put(u"sets/changing.zip"_s, ferryArchive(m_files, true)));
        RemoteZipDevice device(account(), credentials(), kBucket, u"sets/changing.zip"_s);
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        QVERIFY(reader.open());
        QHash<QString, QByteArray> other = m_files;
        other.insert(u"big.bin"_s, test::deterministicBytes(3 * 1024 * 1024, 23));
        QVERIFY(put(u"sets/changing.zip"_s, ferryArchive(other, true)));
        QTemporaryDir out;
        ZipExtractor extractor(&reader);
        const auto results =
            extractor.extract(ZipExtractor::select(reader.entries(), {u"big.bin"_s}), out.path());
        QCOMPARE(reader.failure(), RemoteFailure::Changed);
        QVERIFY2(results.first().error.contains(u"changed on the server"_s),
                 qPrintable(results.first().error));
        QVERIFY(QDir(out.path()).isEmpty());
    }

    void missingObject_saysSo()
    {
        RemoteZipDevice device(account(), credentials(), kBucket, u"sets/none.zip"_s);
        QVERIFY(!device.open(QIODevice::ReadOnly));
        QCOMPARE(device.failure(), RemoteFailure::Http);
        QVERIFY2(device.errorString().contains(u"s3://ferry-zipread/sets/none.zip"_s),
                 qPrintable(device.errorString()));
    }
};

QTEST_GUILESS_MAIN(TestRemoteZipReaderS3)
#include "tst_remotezipreader_s3.moc"
