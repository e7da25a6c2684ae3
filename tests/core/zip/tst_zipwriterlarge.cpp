#include "sandbox.h"
#include "sequentialfilesink.h"
#include "zip/localfilezipsink.h"
#include "zip/zipwriter.h"
#include "zipreaders.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::zip;
namespace readers = ferry::test::zipreaders;

namespace {

// Just over 4 GiB, so sizes and offsets no longer fit the classic 32-bit fields.
constexpr qint64 HugeSize = (qint64(4) << 30) + (qint64(64) << 20);
constexpr qsizetype Piece = 1 << 20;

bool writeHuge(ZipWriter &writer, const QString &name, ZipMethod method, const QByteArray &block)
{
    if (!writer.beginEntry({name, HugeSize, QDateTime::currentDateTimeUtc(), method}))
        return false;
    for (qint64 done = 0; done < HugeSize; done += Piece) {
        if (!writer.write(block))
            return false;
    }
    return writer.finishEntry();
}

QJsonObject entryNamed(const QJsonObject &py, const QString &name)
{
    for (const QJsonValue &v : py.value(u"entries"_s).toArray()) {
        if (v.toObject().value(u"name"_s).toString() == name)
            return v.toObject();
    }
    return {};
}

} // namespace

// Archives past the 4 GiB limits of the classic format. The data is chosen so the checks stay
// quick: zeros deflate ~220:1 at level 1 (a 4 GiB entry in a 19 MiB archive), and the
// STORED case writes 4 GiB to a temporary file that is removed right after.
class TestZipWriterLarge : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void hugeDeflatedEntry_sequentialSink_allReadersAgree();
    void hugeStoredArchive_localFile_allReadersAgree();

private:
    QTemporaryDir m_dir;
};

void TestZipWriterLarge::init()
{
    const QStringList missing = readers::missingReaders();
    if (!missing.isEmpty())
        QSKIP(qPrintable(u"archive readers not installed: "_s + missing.join(u", "_s)));
}

void TestZipWriterLarge::hugeDeflatedEntry_sequentialSink_allReadersAgree()
{
    const QString path = m_dir.filePath(u"huge-deflated.zip"_s);
    const QByteArray after = "written after a 4 GiB entry\n";
    {
        SequentialFileSink sink(path);
        ZipWriter writer(&sink, 1); // level 1 deflates zeros ~3x faster than 6, just as well
        QVERIFY2(writeHuge(writer, u"zeros.bin"_s, ZipMethod::Deflated, QByteArray(Piece, '\0')),
                 qPrintable(writer.error()));
        QVERIFY(writer.beginEntry({u"after.txt"_s, -1, QDateTime::currentDateTimeUtc(), ZipMethod::Auto}));
        QVERIFY(writer.write(after));
        QVERIFY(writer.finishEntry());
        QVERIFY2(writer.finish(), qPrintable(writer.error()));
        QVERIFY(sink.close());
    }
    QVERIFY(QFileInfo(path).size() < (qint64(64) << 20));

    QVERIFY2(readers::unzipTest(path).isEmpty(), qPrintable(readers::unzipTest(path)));

    QJsonObject py;
    const QString pyError = readers::pythonCheck(path, &py, 1);
    QVERIFY2(pyError.isEmpty(), qPrintable(pyError));
    const QJsonObject huge = entryNamed(py, u"zeros.bin"_s);
    QCOMPARE(huge.value(u"size"_s).toInteger(), HugeSize);
    QCOMPARE(huge.value(u"extractVersion"_s).toInt(), 45);
    QCOMPARE(huge.value(u"flags"_s).toInt() & 0x8, 0x8); // streamed: Zip64 data descriptor
    QCOMPARE(entryNamed(py, u"after.txt"_s).value(u"sha256"_s).toString().toLatin1(),
             ferry::test::sha256Hex(after));

    QStringList names;
    QString error = readers::bsdtarList(path, false, &names);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(names, QStringList({u"zeros.bin"_s, u"after.txt"_s}));
    qint64 extracted = 0;
    error = readers::bsdtarExtractedSize(path, true, &extracted);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(extracted, HugeSize + after.size());

    const QString sevenZip = readers::sevenZipTest(path);
    QVERIFY2(sevenZip.isEmpty(), qPrintable(sevenZip));
}

void TestZipWriterLarge::hugeStoredArchive_localFile_allReadersAgree()
{
    const QString path = m_dir.filePath(u"huge-stored.zip"_s);
    const QByteArray first = ferry::test::deterministicBytes(10'000, 7);
    const QByteArray after = "this entry starts past 4 GiB\n";
    {
        LocalFileZipSink sink(path);
        QVERIFY(sink.open());
        ZipWriter writer(&sink);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(writer.addEntry({u"first.bin"_s, first.size(), now, ZipMethod::Auto}, first));
        QVERIFY2(writeHuge(writer, u"huge.bin"_s, ZipMethod::Stored,
                           ferry::test::deterministicBytes(Piece, 8)),
                 qPrintable(writer.error()));
        QVERIFY(writer.addEntry({u"\u540e\u6765.txt"_s, after.size(), now, ZipMethod::Auto}, after));
        QVERIFY(writer.addDirectory(u"empty"_s, now));
        QVERIFY2(writer.finish(), qPrintable(writer.error()));
        QVERIFY(sink.commit());
    }
    const auto cleanup = qScopeGuard([&] { QFile::remove(path); });
    QVERIFY(QFileInfo(path).size() > HugeSize);

    QVERIFY2(readers::unzipTest(path).isEmpty(), qPrintable(readers::unzipTest(path)));

    QJsonObject py;
    const QString pyError = readers::pythonCheck(path, &py, 3);
    QVERIFY2(pyError.isEmpty(), qPrintable(pyError));
    const QJsonObject huge = entryNamed(py, u"huge.bin"_s);
    QCOMPARE(huge.value(u"size"_s).toInteger(), HugeSize);
    QCOMPARE(huge.value(u"method"_s).toInt(), 0);
    QCOMPARE(huge.value(u"flags"_s).toInt() & 0x8, 0); // patched in place: no descriptor
    QCOMPARE(entryNamed(py, u"\u540e\u6765.txt"_s).value(u"sha256"_s).toString().toLatin1(),
             ferry::test::sha256Hex(after));
    QCOMPARE(entryNamed(py, u"\u540e\u6765.txt"_s).value(u"extractVersion"_s).toInt(), 45);

    const QStringList expected = {u"first.bin"_s, u"huge.bin"_s, u"\u540e\u6765.txt"_s, u"empty/"_s};
    for (const bool streamed : {false, true}) {
        QStringList names;
        const QString error = readers::bsdtarList(path, streamed, &names);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(names, expected);
    }
    qint64 extracted = 0;
    const QString error = readers::bsdtarExtractedSize(path, false, &extracted);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(extracted, first.size() + HugeSize + after.size());

    const QString sevenZip = readers::sevenZipTest(path);
    QVERIFY2(sevenZip.isEmpty(), qPrintable(sevenZip));
}

QTEST_GUILESS_MAIN(TestZipWriterLarge)
#include "tst_zipwriterlarge.moc"
