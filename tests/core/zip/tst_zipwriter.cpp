#include "sandbox.h"
#include "sequentialfilesink.h"
#include "zip/localfilezipsink.h"
#include "zip/zipwriter.h"
#include "zipreaders.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace ferry::zip;
namespace readers = ferry::test::zipreaders;

namespace {

enum class Feed { Whole, Pieces, PiecesUnknownSize, Directory };

struct Spec {
    QString name;
    QByteArray data;
    Feed feed;
};

QByteArray text(qint64 size)
{
    QByteArray line = "The quick brown fox jumps over the lazy dog. 0123456789\n";
    QByteArray out;
    while (out.size() < size)
        out.append(line);
    out.truncate(size);
    return out;
}

QList<Spec> mixedSpecs()
{
    return {
        {u"readme.txt"_s, text(100'000), Feed::Whole},
        {u"photo.jpg"_s, ferry::test::deterministicBytes(300'000, 1), Feed::Whole},
        {u"tiny.txt"_s, "hi", Feed::Whole},
        {u"empty.txt"_s, {}, Feed::Whole},
        {u"logs/app.log"_s, text(1'500'000), Feed::Pieces},
        {u"media/clip.mp4"_s, ferry::test::deterministicBytes(1'000'000, 2), Feed::Pieces},
        {u"unknown/size.csv"_s, text(700'000), Feed::PiecesUnknownSize},
        {u"unknown/blob.png"_s, ferry::test::deterministicBytes(200'000, 3), Feed::PiecesUnknownSize},
        {u"streamed-empty.txt"_s, {}, Feed::Pieces},
        {u"\u62a5\u544a/\u6570\u636e 2023.txt"_s, text(5'000), Feed::Whole},
        {u"\u62a5\u544a/\u56fe\u7247.png"_s, ferry::test::deterministicBytes(150'000, 4), Feed::Pieces},
        {u"\u7a7a\u6587\u4ef6\u5939/"_s, {}, Feed::Directory},
    };
}

// Feeds the spec to the writer the way the bundler would: whole for prefetched objects, in
// 64 KiB pieces for streamed ones.
bool writeSpecs(ZipWriter &writer, const QList<Spec> &specs, const QDateTime &mtime)
{
    for (const Spec &s : specs) {
        if (s.feed == Feed::Directory) {
            if (!writer.addDirectory(s.name, mtime))
                return false;
            continue;
        }
        if (s.feed == Feed::Whole) {
            if (!writer.addEntry({s.name, s.data.size(), mtime, ZipMethod::Auto}, s.data))
                return false;
            continue;
        }
        const qint64 size = s.feed == Feed::Pieces ? s.data.size() : -1;
        if (!writer.beginEntry({s.name, size, mtime, ZipMethod::Auto}))
            return false;
        for (qsizetype at = 0; at < s.data.size(); at += 65536) {
            if (!writer.write(QByteArrayView(s.data).sliced(at, qMin<qsizetype>(65536, s.data.size() - at))))
                return false;
        }
        if (!writer.finishEntry())
            return false;
    }
    return writer.finish();
}

bool hasZip64EndRecord(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    f.seek(qMax<qint64>(0, f.size() - 200));
    return f.readAll().contains(QByteArray("PK\x06\x06", 4));
}

} // namespace

class TestZipWriter : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void mixedEntries_allReadersAgree_data();
    void mixedEntries_allReadersAgree();
    void manyEntries_useZip64EndRecord_data();
    void manyEntries_useZip64EndRecord();
    void alreadyCompressedTypes_areStored_data();
    void alreadyCompressedTypes_areStored();
    void sizeDifferentFromListing_fails();
    void misuse_isReportedNotCrashing();

private:
    QTemporaryDir m_dir;
};

void TestZipWriter::init()
{
    const QStringList missing = readers::missingReaders();
    if (!missing.isEmpty())
        QSKIP(qPrintable(u"archive readers not installed: "_s + missing.join(u", "_s)));
}

void TestZipWriter::mixedEntries_allReadersAgree_data()
{
    QTest::addColumn<bool>("sequential");
    QTest::newRow("local file (seekable)") << false;
    QTest::newRow("sequential sink (upload)") << true;
}

void TestZipWriter::mixedEntries_allReadersAgree()
{
    QFETCH(bool, sequential);
    const QString path = m_dir.filePath(sequential ? u"sequential.zip"_s : u"local.zip"_s);
    const QDateTime mtime(QDate(2023, 5, 17), QTime(14, 30, 44), Qt::UTC);
    const QList<Spec> specs = mixedSpecs();
    if (sequential) {
        SequentialFileSink sink(path);
        ZipWriter writer(&sink);
        QVERIFY2(writeSpecs(writer, specs, mtime), qPrintable(writer.error()));
        QCOMPARE(writer.entryCount(), specs.size());
        QCOMPARE(writer.bytesWritten(), sink.position());
        QVERIFY(sink.close());
    } else {
        LocalFileZipSink sink(path);
        QVERIFY(sink.open());
        ZipWriter writer(&sink);
        QVERIFY2(writeSpecs(writer, specs, mtime), qPrintable(writer.error()));
        QVERIFY2(sink.commit(), qPrintable(sink.errorString()));
    }

    QStringList names;
    QByteArray concatenated;
    for (const Spec &s : specs) {
        names << s.name;
        concatenated += s.data;
    }

    QVERIFY2(readers::unzipTest(path).isEmpty(), qPrintable(readers::unzipTest(path)));
    QCOMPARE(readers::unzipNames(path), names);

    QJsonObject py;
    const QString pyError = readers::pythonCheck(path, &py);
    QVERIFY2(pyError.isEmpty(), qPrintable(pyError));
    const QJsonArray entries = py.value(u"entries"_s).toArray();
    QCOMPARE(entries.size(), specs.size());
    const QDateTime local = mtime.toLocalTime();
    for (qsizetype i = 0; i < specs.size(); ++i) {
        const QJsonObject e = entries.at(i).toObject();
        const Spec &s = specs.at(i);
        QCOMPARE(e.value(u"name"_s).toString(), s.name);
        QCOMPARE(e.value(u"sha256"_s).toString().toLatin1(), ferry::test::sha256Hex(s.data));
        const int flags = e.value(u"flags"_s).toInt();
        const int method = e.value(u"method"_s).toInt();
        QVERIFY2(flags & 0x800, "names are flagged as UTF-8");
        const int version = e.value(u"extractVersion"_s).toInt();
        QVERIFY2(version == 20 || version == 45, qPrintable(QString::number(version)));
        // Streaming readers cannot find the end of STORED data announced only by a descriptor.
        QVERIFY2(!(method == 0 && (flags & 0x8)), qPrintable(s.name));
        const bool streamed = s.feed == Feed::Pieces || s.feed == Feed::PiecesUnknownSize;
        QCOMPARE(bool(flags & 0x8), sequential && streamed);
        QCOMPARE(e.value(u"ut"_s).toInteger(), mtime.toSecsSinceEpoch());
        const QJsonArray dt = e.value(u"dateTime"_s).toArray();
        QCOMPARE(QDateTime(QDate(dt[0].toInt(), dt[1].toInt(), dt[2].toInt()),
                           QTime(dt[3].toInt(), dt[4].toInt(), dt[5].toInt())),
                 QDateTime(local.date(), QTime(local.time().hour(), local.time().minute(),
                                               local.time().second() & ~1)));
    }

    for (const bool streamedRead : {false, true}) {
        QStringList listed;
        QString error = readers::bsdtarList(path, streamedRead, &listed);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(listed, names);
        QByteArray extracted;
        error = readers::bsdtarExtractAll(path, streamedRead, &extracted);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(ferry::test::sha256Hex(extracted), ferry::test::sha256Hex(concatenated));
    }

    const QString sevenZip = readers::sevenZipTest(path);
    QVERIFY2(sevenZip.isEmpty(), qPrintable(sevenZip));
    QVERIFY(!hasZip64EndRecord(path));
}

void TestZipWriter::manyEntries_useZip64EndRecord_data()
{
    QTest::addColumn<int>("count");
    // 65,535 is the classic field's marker value, so it already needs the Zip64 end record.
    QTest::newRow("65,535") << 65535;
    QTest::newRow("70,000") << 70000;
}

void TestZipWriter::manyEntries_useZip64EndRecord()
{
    QFETCH(int, count);
    const QString path = m_dir.filePath(u"many-%1.zip"_s.arg(count));
    {
        LocalFileZipSink sink(path);
        QVERIFY(sink.open());
        ZipWriter writer(&sink);
        const QDateTime mtime = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < count; ++i) {
            const QString name = u"d%1/f%2.txt"_s.arg(i / 1000).arg(i);
            QVERIFY2(writer.addEntry({name, -1, mtime, ZipMethod::Auto}, QByteArray::number(i)),
                     qPrintable(writer.error()));
        }
        QVERIFY2(writer.finish(), qPrintable(writer.error()));
        QCOMPARE(writer.entryCount(), count);
        QVERIFY(sink.commit());
    }
    QVERIFY(hasZip64EndRecord(path));
    QVERIFY2(readers::unzipTest(path).isEmpty(), qPrintable(readers::unzipTest(path)));
    QJsonObject py;
    const QString pyError = readers::pythonCheck(path, &py, 10);
    QVERIFY2(pyError.isEmpty(), qPrintable(pyError));
    const QJsonArray entries = py.value(u"entries"_s).toArray();
    QCOMPARE(entries.size(), count);
    QCOMPARE(entries.last().toObject().value(u"sha256"_s).toString().toLatin1(),
             ferry::test::sha256Hex(QByteArray::number(count - 1)));
    QStringList listed;
    const QString tarError = readers::bsdtarList(path, false, &listed);
    QVERIFY2(tarError.isEmpty(), qPrintable(tarError));
    QCOMPARE(listed.size(), count);
    QCOMPARE(listed.last(), u"d%1/f%2.txt"_s.arg((count - 1) / 1000).arg(count - 1));
    const QString sevenZip = readers::sevenZipTest(path);
    QVERIFY2(sevenZip.isEmpty(), qPrintable(sevenZip));
}

void TestZipWriter::alreadyCompressedTypes_areStored_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("stored");
    for (const char *n : {"a.zip", "b.tar.gz", "c.TGZ", "d.jpg", "e.JPEG", "f.png", "g.mp4",
                          "h.mkv", "i.docx", "j.woff2", "k.7z", "l.zst", "m.flac", "n.heic"})
        QTest::newRow(n) << QString::fromLatin1(n) << true;
    for (const char *n : {"a.txt", "b.pdf", "c.csv", "d", ".zip", "e.zip.txt", "f.json"})
        QTest::newRow(n) << QString::fromLatin1(n) << false;
}

void TestZipWriter::alreadyCompressedTypes_areStored()
{
    QFETCH(QString, name);
    QFETCH(bool, stored);
    QCOMPARE(isAlreadyCompressed(name), stored);
    QCOMPARE(isAlreadyCompressed(QString(u"folder.v2/"_s + name)), stored);
}

void TestZipWriter::sizeDifferentFromListing_fails()
{
    SequentialFileSink sink(m_dir.filePath(u"mismatch.zip"_s));
    ZipWriter writer(&sink);
    QVERIFY(writer.beginEntry({u"a.txt"_s, 10, {}, ZipMethod::Auto}));
    QVERIFY(writer.write("12345"));
    QVERIFY(!writer.finishEntry());
    QVERIFY(writer.error().contains(u"a.txt"_s));
    QVERIFY(!writer.finish());

    ZipWriter grown(&sink);
    QVERIFY(grown.beginEntry({u"b.txt"_s, 3, {}, ZipMethod::Stored}));
    QVERIFY(!grown.write("1234"));
    QVERIFY(grown.hasError());
}

void TestZipWriter::misuse_isReportedNotCrashing()
{
    SequentialFileSink sink(m_dir.filePath(u"misuse.zip"_s));
    ZipWriter writer(&sink);
    QVERIFY(!writer.write("x"));
    QVERIFY(writer.hasError());

    ZipWriter second(&sink);
    QVERIFY(!second.addEntry({QString(), 1, {}, ZipMethod::Auto}, "x"));
    ZipWriter third(&sink);
    QVERIFY(third.beginEntry({u"a"_s, -1, {}, ZipMethod::Auto}));
    QVERIFY(!third.addDirectory(u"dir"_s, {}));
    QVERIFY(!third.finish());
}

QTEST_GUILESS_MAIN(TestZipWriter)
#include "tst_zipwriter.moc"
