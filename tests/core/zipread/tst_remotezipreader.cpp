// Remote archives over ranged GETs: archives written by Python's zipfile, Info-ZIP zip, 7z,
// bsdtar and Ferry's own writer, served by nginx, listed and partly extracted; the bytes nginx
// sent are counted against what the central directory and the chosen entries need.
#include "zipread/remotezipdevice.h"
#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include "faultserver.h"
#include "nginxserver.h"
#include "sandbox.h"
#include "ziparchivemakers.h"
#include "zipreadtestsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zipread;
using namespace ferry::test::zipread;
using ferry::test::NginxServer;

namespace {

// What a read may cost beyond the central directory and the chosen entries' local headers and
// data: the 64 KiB tail fetched when the device opens (it holds the end records and usually the
// whole directory), and per extracted entry the slack fetched with a local header whose extra
// field length is not known yet (32 bytes plus the central extra field's length).
qint64 allowedBytes(const QString &archive, const QList<ZipEntry> &entries,
                    const QList<qsizetype> &chosen)
{
    const CentralDirectory cd = centralDirectoryOf(archive);
    const qint64 size = QFileInfo(archive).size();
    qint64 bound = qMax(size - cd.offset, qMin(size, RemoteZipDevice::kTailBytes));
    for (qsizetype i : chosen) {
        const ZipEntry &e = entries.at(i);
        if (!e.directory)
            bound += 30 + e.nameBytes + e.centralExtraBytes + 32 + e.packedSize;
    }
    return bound;
}

} // namespace

class TestRemoteZipReader final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<NginxServer> m_nginx;
    QHash<QString, QByteArray> m_tree; // entry name -> sha256
    QHash<QString, QByteArray> m_contents;

    QString archive(const QString &name) const { return m_dir.filePath(name); }

    QHash<QString, Served> m_before; // what nginx logged for an archive before the test function

    void snapshot()
    {
        m_before.clear();
        if (!m_nginx)
            return;
        for (const QString &name : QDir(m_dir.path()).entryList({u"*.zip"_s}, QDir::Files))
            m_before.insert(name, servedByNginx(m_nginx->prefixDir(), u"/"_s + name));
    }

    // Waits until nginx logged as many requests for `name` as the device sent in this test
    // function, and returns what it logged for them.
    Served served(const QString &name, int requests)
    {
        Served s;
        const Served before = m_before.value(name);
        [[maybe_unused]] const bool seen = QTest::qWaitFor(
            [&] {
                s = servedByNginx(m_nginx->prefixDir(), u"/"_s + name);
                s.bytes -= before.bytes;
                s.requests -= before.requests;
                return s.requests >= requests;
            },
            5000);
        return s;
    }

private slots:
    void init() { snapshot(); }

    void initTestCase()
    {
        if (NginxServer::binaryPath().isEmpty())
            QSKIP("nginx is not installed");
        QVERIFY(m_dir.isValid());
        const QString made = makeArchives(m_dir.path());
        QVERIFY2(made.isEmpty(), qPrintable(made));
        m_tree = sourceTree(m_dir.filePath(u"src"_s));
        QCOMPARE(m_tree.size(), 6);
        for (auto it = m_tree.cbegin(); it != m_tree.cend(); ++it)
            m_contents.insert(it.key(), test::readFile(m_dir.filePath(u"src/"_s + it.key())));
        QVERIFY(test::writeFile(archive(u"ferry.zip"_s), ferryArchive(m_contents, true)));
        QVERIFY(test::writeFile(archive(u"ferry-whole.zip"_s), ferryArchive(m_contents, false)));
        m_nginx = std::make_unique<NginxServer>(m_dir.path());
        QString error;
        QVERIFY2(m_nginx->start(&error), qPrintable(error));
    }

    void listAndExtract_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *name :
             {"python.zip", "python-stream.zip", "infozip.zip", "infozip-stream.zip", "7z.zip",
              "bsdtar.zip", "ferry.zip", "ferry-whole.zip"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Everything but the 4 MiB tree/big.bin is chosen; what nginx sent stays within the
    // central directory plus the chosen entries plus the named overhead.
    void listAndExtract()
    {
        QFETCH(QString, name);
        RemoteZipDevice device(m_nginx->url(name));
        QVERIFY2(device.open(QIODevice::ReadOnly), qPrintable(device.errorString()));
        QCOMPARE(device.size(), QFileInfo(archive(name)).size());
        ZipReader reader(&device);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));

        QHash<QString, qint64> listed;
        for (const ZipEntry &e : reader.entries()) {
            if (!e.directory)
                listed.insert(e.name, e.size);
            QVERIFY(!e.encrypted);
            QVERIFY2(e.method == 0 || e.method == 8, qPrintable(e.name));
        }
        QCOMPARE(listed.size(), m_tree.size());
        for (auto it = m_contents.cbegin(); it != m_contents.cend(); ++it)
            QCOMPARE(listed.value(it.key(), -1), qint64(it.value().size()));

        QStringList unmatched;
        const QList<qsizetype> chosen = ZipExtractor::select(
            reader.entries(),
            {u"tree/Grüße"_s, u"tree/日本語/*.bin"_s, u"tree/docs/"_s, u"tree/empty.txt"_s},
            &unmatched);
        QVERIFY(unmatched.isEmpty());
        QTemporaryDir target;
        ZipExtractor extractor(&reader);
        const QList<ExtractedEntry> results = extractor.extract(chosen, target.path());
        int files = 0;
        for (const ExtractedEntry &r : results) {
            QVERIFY2(r.error.isEmpty(), qPrintable(r.entry + u": "_s + r.error));
            if (QFileInfo(r.path).isFile()) {
                ++files;
                QCOMPARE(r.path, target.filePath(r.entry));
                QCOMPARE(test::sha256OfFile(r.path), m_tree.value(r.entry));
            }
        }
        QCOMPARE(files, 5);
        QVERIFY(!QFile::exists(target.filePath(u"tree/big.bin"_s)));

        const Served s = served(name, device.requestCount());
        QCOMPARE(s.requests, device.requestCount());
        QCOMPARE(s.bytes, device.bytesReceived());
        const qint64 bound = allowedBytes(archive(name), reader.entries(), chosen);
        const qint64 size = QFileInfo(archive(name)).size();
        qInfo("%s: %lld of %lld bytes served in %d requests (bound %lld)", qPrintable(name),
              s.bytes, size, s.requests, bound);
        QVERIFY2(s.bytes <= bound, qPrintable(u"%1 > %2"_s.arg(s.bytes).arg(bound)));
        // The unchosen 4 MiB entry was never fetched.
        qint64 bigPacked = 0;
        for (const ZipEntry &e : reader.entries())
            bigPacked = e.name == u"tree/big.bin"_s ? e.packedSize : bigPacked;
        QVERIFY(bigPacked >= 4 * 1024 * 1024);
        QVERIFY(s.bytes <= size - bigPacked + RemoteZipDevice::kTailBytes);
    }

    // One large stored entry: read in pieces of at most 4 MiB, nothing past its end.
    void extractLargeEntry()
    {
        const QString name = u"python.zip"_s;
        RemoteZipDevice device(m_nginx->url(name));
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        QVERIFY(reader.open());
        const QList<qsizetype> chosen = ZipExtractor::select(reader.entries(), {u"tree/big.bin"_s});
        QCOMPARE(chosen.size(), 1);
        QTemporaryDir target;
        ZipExtractor extractor(&reader);
        const auto results = extractor.extract(chosen, target.path());
        QVERIFY2(results.first().error.isEmpty(), qPrintable(results.first().error));
        QCOMPARE(test::sha256OfFile(results.first().path), m_tree.value(u"tree/big.bin"_s));
        const Served s = served(name, device.requestCount());
        const qint64 bound = allowedBytes(archive(name), reader.entries(), chosen);
        qInfo("tree/big.bin alone: %lld bytes served in %d requests (bound %lld)", s.bytes,
              s.requests, bound);
        QVERIFY(s.bytes <= bound);
        QVERIFY(s.requests <= 4); // tail, first piece, rest of the entry
    }

    // 70,000 entries (Zip64 end records) written by Ferry's writer.
    void manyEntries()
    {
        const QString name = u"many.zip"_s;
        QVERIFY(test::writeFile(archive(name), manyEntriesArchive(70000)));
        QElapsedTimer timer;
        timer.start();
        RemoteZipDevice device(m_nginx->url(name));
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));
        QCOMPARE(reader.entries().size(), 70000);
        QCOMPARE(reader.entries().last().name, u"n/69999.txt"_s);
        const qint64 listMs = timer.elapsed();
        const QList<qsizetype> chosen =
            ZipExtractor::select(reader.entries(), {u"n/69999.txt"_s, u"n/00007.txt"_s});
        QTemporaryDir target;
        ZipExtractor extractor(&reader);
        const auto results = extractor.extract(chosen, target.path());
        QCOMPARE(results.size(), 2);
        QCOMPARE(test::readFile(target.filePath(u"n/69999.txt"_s)), QByteArray("entry 69999\n"));
        QCOMPARE(test::readFile(target.filePath(u"n/00007.txt"_s)), QByteArray("entry 7\n"));
        const Served s = served(name, device.requestCount());
        const CentralDirectory cd = centralDirectoryOf(archive(name));
        qInfo("70,000 entries: listed in %lld ms; %lld bytes served in %d requests; central "
              "directory %lld, "
              "archive %lld bytes",
              listMs, s.bytes, s.requests, cd.size, QFileInfo(archive(name)).size());
        QVERIFY(s.bytes <= allowedBytes(archive(name), reader.entries(), chosen));
    }

    // An entry of more than 4 GiB (a hole in a sparse file) and one behind it at an offset past
    // 4 GiB: both listed with their Zip64 values; the small one is fetched alone.
    void zip64PastFourGiB()
    {
        const QString name = u"sparse64.zip"_s;
        const qint64 hugeSize = (qint64(4) << 30) + 12345;
        const QByteArray after = "behind the hole\n";
        QVERIFY(writeSparseZip64(archive(name), hugeSize, after));
        RemoteZipDevice device(m_nginx->url(name));
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));
        QCOMPARE(reader.entries().size(), 2);
        const ZipEntry huge = reader.entries().at(0);
        QCOMPARE(huge.name, u"huge.bin"_s);
        QCOMPARE(huge.size, hugeSize);
        QCOMPARE(huge.packedSize, hugeSize);
        QVERIFY(huge.zip64);
        QCOMPARE(huge.crc, crcOfZeros(hugeSize));
        QVERIFY(reader.entries().at(1).localOffset > (qint64(4) << 30));
        QTemporaryDir target;
        ZipExtractor extractor(&reader);
        const auto results = extractor.extract({1}, target.path());
        QVERIFY2(results.first().error.isEmpty(), qPrintable(results.first().error));
        QCOMPARE(test::readFile(target.filePath(u"after.txt"_s)), after);
        const Served s = served(name, device.requestCount());
        QVERIFY2(s.bytes < 70 * 1024, qPrintable(QString::number(s.bytes)));
    }

    // The > 4 GiB entry itself, zeros checked against their CRC-32 on the way: about 4 GiB
    // through loopback and onto the disk, so only when FERRY_TEST_HUGE_ENTRY=1.
    void zip64HugeEntry()
    {
        if (qEnvironmentVariableIntValue("FERRY_TEST_HUGE_ENTRY") != 1)
            QSKIP("set FERRY_TEST_HUGE_ENTRY=1 to extract the 4 GiB entry");
        const QString name = u"sparse64.zip"_s;
        const qint64 hugeSize = (qint64(4) << 30) + 12345;
        QVERIFY(writeSparseZip64(archive(name), hugeSize, "behind the hole\n"));
        QElapsedTimer timer;
        timer.start();
        RemoteZipDevice device(m_nginx->url(name));
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        QVERIFY(reader.open());
        QTemporaryDir target;
        ZipExtractor extractor(&reader);
        const auto results = extractor.extract({0}, target.path());
        QVERIFY2(results.first().error.isEmpty(), qPrintable(results.first().error));
        QCOMPARE(QFileInfo(results.first().path).size(), hugeSize);
        const Served s = served(name, device.requestCount());
        qInfo("4 GiB entry: %lld ms, %lld bytes served in %d requests", timer.elapsed(), s.bytes,
              s.requests);
        QVERIFY(s.bytes <= hugeSize + RemoteZipDevice::kTailBytes + 200);
    }

    // A server that ignores Range gets a sentence saying so; a tiny archive sent whole is fine.
    void serverWithoutRanges()
    {
        test::FaultServer server;
        QVERIFY(server.start());
        const QByteArray bytes = test::readFile(archive(u"python.zip"_s));
        server.setResource(u"/a.zip"_s, {bytes, "\"v1\"", {}, {}});
        test::Faults faults;
        faults.ignoreRange = true;
        server.setFaults(u"/a.zip"_s, faults);
        RemoteZipDevice device(server.url(u"a.zip"_s));
        QVERIFY(!device.open(QIODevice::ReadOnly));
        QCOMPARE(device.failure(), RemoteFailure::NoRanges);
        QVERIFY2(device.errorString().contains(u"does not support byte ranges"_s),
                 qPrintable(device.errorString()));
        QCOMPARE(server.requestCount(u"/a.zip"_s), 1);

        server.setResource(u"/small.zip"_s,
                           {test::readFile(archive(u"methods.zip"_s)), "\"s\"", {}, {}});
        server.setFaults(u"/small.zip"_s, faults);
        RemoteZipDevice small(server.url(u"small.zip"_s));
        QVERIFY2(small.open(QIODevice::ReadOnly), qPrintable(small.errorString()));
        ZipReader reader(&small);
        QVERIFY(reader.open());
        QCOMPARE(reader.entries().size(), 2);
    }

    // The archive is replaced between two ranged reads: the second read fails as "changed",
    // carrying the first ETag as If-Match and If-Range; nothing of the new version is used.
    void archiveChangesWhileRead()
    {
        test::FaultServer server;
        QVERIFY(server.start());
        server.setResource(u"/c.zip"_s,
                           {test::readFile(archive(u"python.zip"_s)), "\"v1\"", {}, {}});
        test::Faults faults;
        faults.changeAfterRequests = 1;
        faults.changedBody = test::readFile(archive(u"infozip.zip"_s));
        faults.changedEtag = "\"v2\"";
        server.setFaults(u"/c.zip"_s, faults);
        RemoteZipDevice device(server.url(u"c.zip"_s));
        QVERIFY(device.open(QIODevice::ReadOnly));
        ZipReader reader(&device);
        const bool opened = reader.open();
        QTemporaryDir target;
        if (opened) {
            // The whole directory was in the tail: the change shows when an entry is read.
            ZipExtractor extractor(&reader);
            const auto results = extractor.extract(
                ZipExtractor::select(reader.entries(), {u"tree/big.bin"_s}), target.path());
            QVERIFY(!results.first().error.isEmpty());
            QVERIFY(QDir(target.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty());
        }
        QCOMPARE(reader.failure(), RemoteFailure::Changed);
        QVERIFY2(reader.errorString().contains(u"changed on the server"_s),
                 qPrintable(reader.errorString()));
        const QList<test::RequestRecord> requests = server.requests(u"/c.zip"_s);
        QVERIFY(requests.size() >= 2);
        QCOMPARE(requests.at(1).ifRange, QByteArray("\"v1\""));
    }
};

QTEST_GUILESS_MAIN(TestRemoteZipReader)
#include "tst_remotezipreader.moc"
