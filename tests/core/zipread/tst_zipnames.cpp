// Entry names without the UTF-8 flag: the Info-ZIP Unicode Path field, UTF-8 written by Linux
// and macOS tools, and code page 437 from DOS and Windows tools, in archives built byte by byte
// here, listed and extracted under the names people expect.
#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <zlib.h>

using namespace Qt::StringLiterals;
using namespace ferry::zipread;

namespace {

constexpr quint16 kUtf8Flag = 0x0800;

struct RawEntry
{
    QByteArray name; // the bytes as stored
    QByteArray data;
    quint16 flags = 0;
    QByteArray extra; // central and local
};

quint32 crcOf(const QByteArray &bytes)
{
    return quint32(
        crc32(0, reinterpret_cast<const Bytef *>(bytes.constData()), uInt(bytes.size())));
}

void put16(QByteArray *out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out->append(b, 2);
}

void put32(QByteArray *out, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    out->append(b, 4);
}

// An Info-ZIP Unicode Path extra field for `rawName`, naming it `utf8`; `crcFor` is the name
// whose CRC-32 it carries (the raw name unless a test wants a stale field).
QByteArray unicodePathField(const QByteArray &utf8, const QByteArray &crcFor)
{
    QByteArray field;
    put16(&field, 0x7075);
    put16(&field, quint16(5 + utf8.size()));
    field.append(char(1));
    put32(&field, crcOf(crcFor));
    field.append(utf8);
    return field;
}

// A stored-only archive with exactly these raw names, flags and extra fields.
QByteArray buildZip(const QList<RawEntry> &entries)
{
    QByteArray zip;
    QByteArray central;
    for (const RawEntry &e : entries) {
        const quint32 offset = quint32(zip.size());
        const quint32 crc = crcOf(e.data);
        put32(&zip, 0x04034b50);
        put16(&zip, 20);
        put16(&zip, e.flags);
        put16(&zip, 0);      // stored
        put16(&zip, 0);      // time
        put16(&zip, 0x5821); // 2024-01-01
        put32(&zip, crc);
        put32(&zip, quint32(e.data.size()));
        put32(&zip, quint32(e.data.size()));
        put16(&zip, quint16(e.name.size()));
        put16(&zip, quint16(e.extra.size()));
        zip += e.name + e.extra + e.data;

        put32(&central, 0x02014b50);
        put16(&central, (3 << 8) | 20); // made on Unix
        put16(&central, 20);
        put16(&central, e.flags);
        put16(&central, 0);
        put16(&central, 0);
        put16(&central, 0x5821);
        put32(&central, crc);
        put32(&central, quint32(e.data.size()));
        put32(&central, quint32(e.data.size()));
        put16(&central, quint16(e.name.size()));
        put16(&central, quint16(e.extra.size()));
        put16(&central, 0); // comment
        put16(&central, 0); // disk
        put16(&central, 0); // internal attributes
        put32(&central, (e.name.endsWith('/') ? 040755u : 0100644u) << 16);
        put32(&central, offset);
        central += e.name + e.extra;
    }
    const quint32 centralOffset = quint32(zip.size());
    zip += central;
    put32(&zip, 0x06054b50);
    put16(&zip, 0);
    put16(&zip, 0);
    put16(&zip, quint16(entries.size()));
    put16(&zip, quint16(entries.size()));
    put32(&zip, quint32(central.size()));
    put32(&zip, centralOffset);
    put16(&zip, 0);
    return zip;
}

QStringList filesBelow(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next().mid(dir.size() + 1));
    files.sort();
    return files;
}

} // namespace

class TestZipNames final : public QObject
{
    Q_OBJECT

private slots:
    void decodeName_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("flags");
        QTest::addColumn<QByteArray>("extra");
        QTest::addColumn<QString>("expected");

        const QByteArray cafe = u"café.txt"_s.toUtf8();
        QTest::newRow("UTF-8 flag") << cafe << int(kUtf8Flag) << QByteArray() << u"café.txt"_s;
        QTest::newRow("UTF-8 without the flag") << cafe << 0 << QByteArray() << u"café.txt"_s;
        QTest::newRow("CP437 Ä") << QByteArray("\x8E.txt") << 0 << QByteArray() << u"Ä.txt"_s;
        QTest::newRow("CP437 letters and box drawing")
            << QByteArray("\x81"
                          "ber \xE1 \xC9\xCD\xBB \xB1.txt")
            << 0 << QByteArray() << u"über ß ╔═╗ ▒.txt"_s;
        QTest::newRow("CP437 upper half ends")
            << QByteArray("\x80\xFF") << 0 << QByteArray() << u"Ç\u00A0"_s;
        QTest::newRow("ASCII") << QByteArray("docs/readme.txt") << 0 << QByteArray()
                               << u"docs/readme.txt"_s;
        const QByteArray raw("\x8E.txt");
        QTest::newRow("Unicode Path field")
            << raw << 0 << unicodePathField(u"Ärger-日本.txt"_s.toUtf8(), raw)
            << u"Ärger-日本.txt"_s;
        QTest::newRow("Unicode Path field after another field")
            << raw << 0
            << QByteArray("\x55\x54\x05\x00\x01\x00\x00\x00\x00", 9) +
                   unicodePathField(u"日本.txt"_s.toUtf8(), raw)
            << u"日本.txt"_s;
        QTest::newRow("stale Unicode Path field (other CRC)")
            << raw << 0 << unicodePathField(u"old.txt"_s.toUtf8(), QByteArray("renamed"))
            << u"Ä.txt"_s;
        QTest::newRow("the flag wins over the field")
            << QByteArray("a.txt") << int(kUtf8Flag)
            << unicodePathField(u"b.txt"_s.toUtf8(), QByteArray("a.txt")) << u"a.txt"_s;
    }

    void decodeName()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, flags);
        QFETCH(QByteArray, extra);
        QFETCH(QString, expected);
        QCOMPARE(ZipReader::decodeName(raw, quint16(flags), extra), expected);
    }

    void craftedArchive_listedAndExtractedUnderTheRightNames()
    {
        const QByteArray unicodeRaw("x\x94.txt"); // "xö.txt" in CP437, superseded by the field
        const QList<RawEntry> raw = {
            {"\x8E.txt", "CP437 capital A umlaut\n"},
            {"\x99rdner/", {}},
            {"\x99rdner/\x84.txt", "inside a CP437 folder\n"},
            {unicodeRaw, "named by its Unicode Path field\n", 0,
             unicodePathField(u"日本語.txt"_s.toUtf8(), unicodeRaw)},
            {u"naïve café.txt"_s.toUtf8(), "UTF-8 without the flag\n"},
            {u"flagged-ü.txt"_s.toUtf8(), "UTF-8 with the flag\n", kUtf8Flag},
        };
        const QStringList names = {u"Ä.txt"_s,      u"Ördner/"_s,        u"Ördner/ä.txt"_s,
                                   u"日本語.txt"_s, u"naïve café.txt"_s, u"flagged-ü.txt"_s};

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString archivePath = dir.filePath(u"names.zip"_s);
        {
            QFile f(archivePath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(buildZip(raw));
        }
        QFile archive(archivePath);
        QVERIFY(archive.open(QIODevice::ReadOnly));
        ZipReader reader(&archive);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));
        QStringList listed;
        for (const ZipEntry &e : reader.entries())
            listed.append(e.name);
        QCOMPARE(listed, names);
        QVERIFY(reader.entries().at(1).directory);

        QList<qsizetype> all;
        for (qsizetype i = 0; i < reader.entries().size(); ++i)
            all.append(i);
        const QString out = dir.filePath(u"out"_s);
        ZipExtractor extractor(&reader);
        const QList<ExtractedEntry> results = extractor.extract(all, out);
        for (const ExtractedEntry &r : results)
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QStringList expectedFiles = {u"Ä.txt"_s, u"Ördner/ä.txt"_s, u"日本語.txt"_s,
                                     u"naïve café.txt"_s, u"flagged-ü.txt"_s};
        expectedFiles.sort();
        QCOMPARE(filesBelow(out), expectedFiles);
        for (qsizetype i = 0; i < raw.size(); ++i) {
            if (raw.at(i).name.endsWith('/'))
                continue;
            QFile f(QDir(out).filePath(names.at(i)));
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(names.at(i)));
            QCOMPARE(f.readAll(), raw.at(i).data);
        }
    }
};

QTEST_MAIN(TestZipNames)
#include "tst_zipnames.moc"
