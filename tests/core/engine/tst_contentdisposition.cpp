#include "engine/contentdisposition.h"

#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestContentDisposition : public QObject
{
    Q_OBJECT

private slots:
    void fileName_fromHeader_data();
    void fileName_fromHeader();
    void fileName_fromUrl_data();
    void fileName_fromUrl();
};

void TestContentDisposition::fileName_fromHeader_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("expected");

    // Plain filename.
    QTest::newRow("quoted with space")
        << QByteArray(R"(attachment; filename="a b.txt")") << u"a b.txt"_s;
    QTest::newRow("token") << QByteArray("attachment; filename=report.pdf") << u"report.pdf"_s;
    QTest::newRow("unquoted with space")
        << QByteArray("attachment; filename=a b.txt") << u"a b.txt"_s;
    QTest::newRow("upper case param")
        << QByteArray(R"(ATTACHMENT; FILENAME="X.bin")") << u"X.bin"_s;
    QTest::newRow("mixed case param")
        << QByteArray(R"(attachment; FileName="y.bin")") << u"y.bin"_s;
    QTest::newRow("spaces around equals")
        << QByteArray(R"(attachment ;  filename =  "z.bin" )") << u"z.bin"_s;
    QTest::newRow("semicolon inside quotes")
        << QByteArray(R"(attachment; filename="a;b.txt"; size=3)") << u"a;b.txt"_s;
    QTest::newRow("escaped quote")
        << QByteArray(R"(attachment; filename="say \"hi\".txt")") << u"say \"hi\".txt"_s;
    QTest::newRow("escaped backslash")
        << QByteArray(R"(attachment; filename="a\\b.txt")") << u"a\\b.txt"_s;
    QTest::newRow("unterminated quote")
        << QByteArray(R"(attachment; filename="half.txt)") << u"half.txt"_s;
    QTest::newRow("other params first")
        << QByteArray(R"(attachment; size=10; filename="o.txt")") << u"o.txt"_s;
    QTest::newRow("raw utf-8 in filename")
        << QByteArray("attachment; filename=\"\xc3\xa9t\xc3\xa9.txt\"") << u"\u00e9t\u00e9.txt"_s;
    QTest::newRow("latin-1 in filename")
        << QByteArray("attachment; filename=\"\xe9t\xe9.txt\"") << u"\u00e9t\u00e9.txt"_s;
    QTest::newRow("path traversal kept raw")
        << QByteArray(R"(attachment; filename="../x")") << u"../x"_s;

    // Extended filename*.
    QTest::newRow("ext utf-8") << QByteArray("attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87.txt")
                               << u"\u4e2d\u6587.txt"_s;
    QTest::newRow("ext lower-case charset")
        << QByteArray("attachment; filename*=utf-8''a%20b") << u"a b"_s;
    QTest::newRow("ext latin-1") << QByteArray("attachment; filename*=iso-8859-1'en'%A3%20rates")
                                 << u"\u00a3 rates"_s;
    QTest::newRow("ext with language")
        << QByteArray("attachment; filename*=UTF-8'de'Gr%C3%BC%C3%9Fe") << u"Gr\u00fc\u00dfe"_s;
    QTest::newRow("ext param upper case")
        << QByteArray("attachment; FILENAME*=UTF-8''up.txt") << u"up.txt"_s;
    QTest::newRow("ext wins when after")
        << QByteArray(R"(attachment; filename="fallback.txt"; filename*=UTF-8''real.txt)")
        << u"real.txt"_s;
    QTest::newRow("ext wins when before")
        << QByteArray(R"(attachment; filename*=UTF-8''real.txt; filename="fallback.txt")")
        << u"real.txt"_s;
    QTest::newRow("ext quoted by sloppy server")
        << QByteArray(R"(attachment; filename*="UTF-8''q.txt")") << u"q.txt"_s;

    // Broken filename* falls back to filename.
    QTest::newRow("unknown charset")
        << QByteArray(R"(attachment; filename*=KOI8-R''%F0%D2; filename="plain.txt")")
        << u"plain.txt"_s;
    QTest::newRow("truncated escape")
        << QByteArray(R"(attachment; filename*=UTF-8''abc%E; filename="plain.txt")")
        << u"plain.txt"_s;
    QTest::newRow("non-hex escape")
        << QByteArray(R"(attachment; filename*=UTF-8''%ZZ.txt; filename="plain.txt")")
        << u"plain.txt"_s;
    QTest::newRow("invalid utf-8")
        << QByteArray(R"(attachment; filename*=UTF-8''%FF%FE.txt; filename="plain.txt")")
        << u"plain.txt"_s;
    QTest::newRow("missing quotes in ext")
        << QByteArray(R"(attachment; filename*=UTF-8%E4; filename="plain.txt")") << u"plain.txt"_s;
    QTest::newRow("one quote in ext")
        << QByteArray(R"(attachment; filename*=UTF-8'x.txt; filename="plain.txt")")
        << u"plain.txt"_s;
    QTest::newRow("empty ext value")
        << QByteArray(R"(attachment; filename*=UTF-8''; filename="plain.txt")") << u"plain.txt"_s;
    QTest::newRow("broken ext alone") << QByteArray("attachment; filename*=UTF-8''%") << QString();

    // No name at all.
    QTest::newRow("inline") << QByteArray("inline") << QString();
    QTest::newRow("attachment") << QByteArray("attachment") << QString();
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("semicolons only") << QByteArray(";;;") << QString();
    QTest::newRow("name without value") << QByteArray("attachment; filename") << QString();
    QTest::newRow("similar param") << QByteArray(R"(attachment; filenames="x")") << QString();
    QTest::newRow("name inside other value")
        << QByteArray(R"(attachment; comment="filename=evil.exe")") << QString();
}

void TestContentDisposition::fileName_fromHeader()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, expected);
    QCOMPARE(fileNameFromContentDisposition(header), expected);
}

void TestContentDisposition::fileName_fromUrl_data()
{
    QTest::addColumn<QUrl>("url");
    QTest::addColumn<QString>("expected");

    QTest::newRow("simple") << QUrl(u"https://example.com/files/a.zip"_s) << u"a.zip"_s;
    QTest::newRow("query ignored")
        << QUrl(u"https://example.com/a.zip?token=1&x=/y"_s) << u"a.zip"_s;
    QTest::newRow("fragment ignored") << QUrl(u"https://example.com/a.zip#part"_s) << u"a.zip"_s;
    QTest::newRow("trailing slash") << QUrl(u"https://example.com/dir/sub/"_s) << u"sub"_s;
    QTest::newRow("double slashes") << QUrl(u"https://example.com/dir//f.txt//"_s) << u"f.txt"_s;
    QTest::newRow("percent space") << QUrl(u"https://example.com/a%20b.txt"_s) << u"a b.txt"_s;
    QTest::newRow("percent utf-8")
        << QUrl(u"https://example.com/%E4%B8%AD.txt"_s) << u"\u4e2d.txt"_s;
    QTest::newRow("encoded slash stays in segment")
        << QUrl(u"https://example.com/x/a%2Fb"_s) << u"a/b"_s;
    QTest::newRow("dot segments resolved")
        << QUrl(u"https://example.com/a/b/../c.txt"_s) << u"c.txt"_s;
    QTest::newRow("no path") << QUrl(u"https://example.com"_s) << QString();
    QTest::newRow("root") << QUrl(u"https://example.com/"_s) << QString();
    QTest::newRow("empty url") << QUrl() << QString();
    QTest::newRow("s3 key") << QUrl(u"s3://bucket/path/to/key.bin"_s) << u"key.bin"_s;
}

void TestContentDisposition::fileName_fromUrl()
{
    QFETCH(QUrl, url);
    QFETCH(QString, expected);
    QCOMPARE(fileNameFromUrl(url), expected);
}

QTEST_GUILESS_MAIN(TestContentDisposition)
#include "tst_contentdisposition.moc"
