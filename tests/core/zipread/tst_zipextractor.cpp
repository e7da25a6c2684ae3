// Extracting from local archives: names that try to leave the folder, existing files and links
// in the way, refused entries, damaged and truncated archives, and choosing entries by pattern.
#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include "sandbox.h"
#include "ziparchivemakers.h"
#include "zipreadtestsupport.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::zipread;
using namespace ferry::test::zipread;

namespace {

QStringList filesBelow(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next().mid(dir.size() + 1));
    files.sort();
    return files;
}

ZipEntry entry(const QString &name)
{
    ZipEntry e;
    e.name = name;
    e.directory = name.endsWith(u'/');
    return e;
}

} // namespace

class TestZipExtractor final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString made = makeArchives(m_dir.path(), true);
        QVERIFY2(made.isEmpty(), qPrintable(made));
    }

    void hostileNames_neverLeaveTheFolder()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath(u"out"_s);
        const QString outside = tmp.filePath(u"outside"_s);
        QVERIFY(QDir().mkpath(out));
        QVERIFY(QDir().mkpath(outside));
        QVERIFY(test::writeFile(out + u"/ok.txt"_s, "was here first"));
        QVERIFY(QFile::link(outside, out + u"/link"_s));

        QFile file(m_dir.filePath(u"hostile.zip"_s));
        QVERIFY(file.open(QIODevice::ReadOnly));
        ZipReader reader(&file);
        QVERIFY2(reader.open(), qPrintable(reader.errorString()));
        QCOMPARE(reader.entries().size(), 10);
        QList<qsizetype> all;
        for (qsizetype i = 0; i < reader.entries().size(); ++i)
            all.append(i);
        ZipExtractor extractor(&reader);
        const QList<ExtractedEntry> results = extractor.extract(all, out);
        QCOMPARE(results.size(), 10);
        QSet<QString> paths;
        for (const ExtractedEntry &r : results) {
            if (r.entry == u"link/inside.txt"_s) {
                QVERIFY2(r.error.contains(u"symbolic link"_s), qPrintable(r.error));
                QVERIFY(r.path.isEmpty());
                continue;
            }
            QVERIFY2(r.error.isEmpty(), qPrintable(r.entry + u": "_s + r.error));
            QVERIFY2(r.path.startsWith(out + u'/'), qPrintable(r.path));
            QVERIFY(!r.path.contains(u"/../"_s));
            QCOMPARE(test::readFile(r.path), (u"content of "_s + r.entry).toUtf8());
            paths.insert(r.path);
        }
        QCOMPARE(paths.size(), 9); // distinct files, SAME.txt and same.txt included
        QCOMPARE(test::readFile(out + u"/ok.txt"_s), QByteArray("was here first"));
        QCOMPARE(test::readFile(out + u"/ok (1).txt"_s), QByteArray("content of ok.txt"));
        QVERIFY(QFile::exists(out + u"/evil.txt"_s));
        QVERIFY(QFile::exists(out + u"/abs/root.txt"_s));
        QVERIFY(QFile::exists(out + u"/win/drive.txt"_s));
        QVERIFY(QFile::exists(out + u"/_con.txt"_s));
        // Nothing anywhere but below out/ (the link's target stays empty).
        for (const QString &f : filesBelow(tmp.path()))
            QVERIFY2(f.startsWith(u"out/"_s) && !f.startsWith(u"out/link/"_s), qPrintable(f));
        QVERIFY(filesBelow(outside).isEmpty());
    }

    void refusedEntries_sayWhy()
    {
        QFile encrypted(m_dir.filePath(u"encrypted.zip"_s));
        QVERIFY(encrypted.open(QIODevice::ReadOnly));
        ZipReader reader(&encrypted);
        QVERIFY(reader.open());
        QCOMPARE(reader.entries().size(), 2);
        QTemporaryDir out;
        ZipExtractor extractor(&reader);
        for (const ExtractedEntry &r : extractor.extract({0, 1}, out.path())) {
            QVERIFY(reader.entries().at(0).encrypted);
            QVERIFY2(r.error.contains(u"is encrypted"_s), qPrintable(r.error));
        }
        QVERIFY(filesBelow(out.path()).isEmpty());

        QFile methods(m_dir.filePath(u"methods.zip"_s));
        QVERIFY(methods.open(QIODevice::ReadOnly));
        ZipReader second(&methods);
        QVERIFY(second.open());
        QCOMPARE(second.entries().at(0).method, 14);
        ZipExtractor other(&second);
        const auto results = other.extract({0, 1}, out.path());
        QVERIFY2(results.at(0).error.contains(u"LZMA"_s), qPrintable(results.at(0).error));
        QVERIFY(results.at(1).error.isEmpty());
        QCOMPARE(test::readFile(out.filePath(u"plain.txt"_s)), QByteArray("plain ").repeated(1000));
        QCOMPARE(filesBelow(out.path()), QStringList{u"plain.txt"_s});
    }

    void truncatedArchive_clearError()
    {
        const QByteArray whole = ferryArchive(
            {{u"a.txt"_s, "hello"}, {u"b.bin"_s, test::deterministicBytes(5000, 3)}}, false);
        for (const qsizetype keep :
             {whole.size() - 10, whole.size() / 2, qsizetype(30), qsizetype(0)}) {
            QByteArray cut = whole.left(keep);
            QBuffer buffer(&cut);
            QVERIFY(buffer.open(QIODevice::ReadOnly));
            ZipReader reader(&buffer);
            QVERIFY(!reader.open());
            QCOMPARE(reader.failure(), RemoteFailure::Corrupt);
            QVERIFY2(reader.errorString().contains(u"not a ZIP archive"_s) ||
                         reader.errorString().contains(u"damaged"_s),
                     qPrintable(reader.errorString()));
        }
    }

    void damagedData_failsItsCheckAndLeavesNoFile()
    {
        const QByteArray random =
            test::deterministicBytes(20000, 4); // stored: deflate would not shrink it
        const QByteArray text = QByteArray("compressible ").repeated(2000);
        const QByteArray whole = ferryArchive({{u"r.bin"_s, random}, {u"t.txt"_s, text}}, false);
        for (const QByteArray &needle : {random.mid(10000, 16), QByteArray()}) {
            QByteArray bytes = whole;
            qsizetype at = needle.isEmpty() ? -1 : bytes.indexOf(needle);
            if (needle.isEmpty()) {
                // Inside t.txt's deflate stream, just after its local header.
                at = bytes.indexOf("t.txt") + 5 + 40;
            }
            QVERIFY(at > 0);
            bytes[at] = char(bytes.at(at) ^ 0x5A);
            QBuffer buffer(&bytes);
            QVERIFY(buffer.open(QIODevice::ReadOnly));
            ZipReader reader(&buffer);
            QVERIFY(reader.open());
            const qsizetype index = needle.isEmpty() ? 1 : 0;
            QTemporaryDir out;
            ZipExtractor extractor(&reader);
            const auto results = extractor.extract({index}, out.path());
            QVERIFY(!results.first().error.isEmpty());
            if (!needle.isEmpty())
                QVERIFY2(results.first().error.contains(u"CRC-32"_s),
                         qPrintable(results.first().error));
            QVERIFY(filesBelow(out.path()).isEmpty());
        }
    }

    void select_namesFoldersAndPatterns()
    {
        const QList<ZipEntry> entries{entry(u"a/"_s),    entry(u"a/b.txt"_s), entry(u"a/c/d.pdf"_s),
                                      entry(u"x.pdf"_s), entry(u"a/e.pdf"_s), entry(u"ab.txt"_s)};
        QStringList unmatched;
        QCOMPARE(ZipExtractor::select(entries, {u"*.pdf"_s}), (QList<qsizetype>{3}));
        QCOMPARE(ZipExtractor::select(entries, {u"a/*.pdf"_s}), (QList<qsizetype>{4}));
        QCOMPARE(ZipExtractor::select(entries, {u"a"_s}), (QList<qsizetype>{0, 1, 2, 4}));
        QCOMPARE(ZipExtractor::select(entries, {u"a/c/"_s, u"ab.txt"_s}), (QList<qsizetype>{2, 5}));
        QCOMPARE(ZipExtractor::select(entries, {u"?"_s}), (QList<qsizetype>{0, 1, 2, 4}));
        QCOMPARE(ZipExtractor::select(entries, {u"nothing"_s, u"x.pdf"_s}, &unmatched),
                 (QList<qsizetype>{3}));
        QCOMPARE(unmatched, QStringList{u"nothing"_s});
    }
};

QTEST_GUILESS_MAIN(TestZipExtractor)
#include "tst_zipextractor.moc"
