#include "sandbox.h"
#include "zip/localfilezipsink.h"
#include "zip/zipwriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry::zip;

class TestLocalFileZipSink : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void commit_renamesCompleteArchiveToFinalName();
    void destroyedWithoutCommit_leavesNothing();
    void commit_neverReplacesExistingFile();
    void patch_overwritesInPlaceAndKeepsAppending();
    void open_truncatesLeftoverPart();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestLocalFileZipSink::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestLocalFileZipSink::commit_renamesCompleteArchiveToFinalName()
{
    const QString final = m_dir->filePath(u"sub/bundle.zip"_s);
    LocalFileZipSink sink(final);
    QVERIFY(sink.open());
    QCOMPARE(sink.partPath(), final + u".part"_s);
    ZipWriter writer(&sink);
    QVERIFY(writer.addEntry({u"a.txt"_s, 5, QDateTime::currentDateTimeUtc()}, "hello"));
    QVERIFY(writer.finish());
    QVERIFY2(!QFile::exists(final), "the final name appears only on commit");
    QVERIFY2(sink.commit(), qPrintable(sink.errorString()));
    QVERIFY(QFile::exists(final));
    QVERIFY(!QFile::exists(final + u".part"_s));
    QCOMPARE(QFileInfo(final).size(), writer.bytesWritten());
    QVERIFY(ferry::test::readFile(final).startsWith("PK\x03\x04"));
}

void TestLocalFileZipSink::destroyedWithoutCommit_leavesNothing()
{
    const QString final = m_dir->filePath(u"bundle.zip"_s);
    {
        LocalFileZipSink sink(final);
        QVERIFY(sink.open());
        ZipWriter writer(&sink);
        QVERIFY(writer.beginEntry({u"big.bin"_s, -1, {}}));
        QVERIFY(writer.write(QByteArray(100'000, 'x')));
        QVERIFY(QFile::exists(final + u".part"_s));
    } // an interrupted job: neither the part nor the final name survives
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList());
}

void TestLocalFileZipSink::commit_neverReplacesExistingFile()
{
    const QString final = m_dir->filePath(u"bundle.zip"_s);
    QVERIFY(ferry::test::writeFile(final, "precious"));
    {
        LocalFileZipSink sink(final);
        QVERIFY(sink.open());
        QVERIFY(sink.write("PK"));
        QVERIFY(!sink.commit());
        QVERIFY(!sink.errorString().isEmpty());
    }
    QCOMPARE(ferry::test::readFile(final), QByteArray("precious"));
    QVERIFY(!QFile::exists(final + u".part"_s));
}

void TestLocalFileZipSink::patch_overwritesInPlaceAndKeepsAppending()
{
    const QString final = m_dir->filePath(u"p.bin"_s);
    LocalFileZipSink sink(final);
    QVERIFY(sink.open());
    QVERIFY(sink.seekable());
    QVERIFY(sink.write("0123456789"));
    QVERIFY(sink.patch(2, "ab"));
    QVERIFY(!sink.patch(9, "xyz")); // past the end
    QVERIFY(sink.write("Z"));
    QCOMPARE(sink.position(), 11);
    QVERIFY(sink.commit());
    QCOMPARE(ferry::test::readFile(final), QByteArray("01ab456789Z"));
}

void TestLocalFileZipSink::open_truncatesLeftoverPart()
{
    const QString final = m_dir->filePath(u"bundle.zip"_s);
    QVERIFY(ferry::test::writeFile(final + u".part"_s, QByteArray(1000, 'o')));
    LocalFileZipSink sink(final);
    QVERIFY(sink.open()); // a restarted job starts from scratch
    QVERIFY(sink.write("new"));
    QVERIFY(sink.commit());
    QCOMPARE(ferry::test::readFile(final), QByteArray("new"));
}

QTEST_GUILESS_MAIN(TestLocalFileZipSink)
#include "tst_localfilezipsink.moc"
