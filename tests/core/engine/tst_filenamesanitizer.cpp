#include "engine/filenamesanitizer.h"

#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestFileNameSanitizer : public QObject
{
    Q_OBJECT

private slots:
    void sanitize_producesSafeName_data();
    void sanitize_producesSafeName();
    void sanitize_neverYieldsUnsafeComponent_data();
    void sanitize_neverYieldsUnsafeComponent();
    void sanitize_limitsTo255Utf8Bytes_data();
    void sanitize_limitsTo255Utf8Bytes();
    void sanitize_unusableFallbackYieldsDownload();
    void splitExtension_data();
    void splitExtension();
    void unique_numbersTakenNames_data();
    void unique_numbersTakenNames();
    void unique_defaultPredicateChecksDisk();
    void unique_givesUpWhenEverythingTaken();
    void unique_keepsNumberedNameWithinLimit();
};

void TestFileNameSanitizer::sanitize_producesSafeName_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << u"report.pdf"_s << u"report.pdf"_s;
    QTest::newRow("unicode kept") << u"\u4e2d\u6587 r\u00e9sum\u00e9.txt"_s
                                  << u"\u4e2d\u6587 r\u00e9sum\u00e9.txt"_s;
    QTest::newRow("traversal") << u"../../etc/passwd"_s << u"passwd"_s;
    QTest::newRow("backslash dir") << u"a\\b.txt"_s << u"b.txt"_s;
    QTest::newRow("windows path") << u"C:\\Users\\x\\evil.exe"_s << u"evil.exe"_s;
    QTest::newRow("absolute unix") << u"/etc/shadow"_s << u"shadow"_s;
    QTest::newRow("trailing slash") << u"dir/"_s << u"dir"_s;
    QTest::newRow("dot") << u"."_s << u"download"_s;
    QTest::newRow("dotdot") << u".."_s << u"download"_s;
    QTest::newRow("dots only") << u"....."_s << u"download"_s;
    QTest::newRow("dotdot with slash") << u"../.."_s << u"download"_s;
    QTest::newRow("dots and spaces") << u". . ."_s << u"download"_s;
    QTest::newRow("empty") << QString() << u"download"_s;
    QTest::newRow("spaces only") << u"   "_s << u"download"_s;
    QTest::newRow("slashes only") << u"///\\\\"_s << u"download"_s;
    QTest::newRow("hidden file kept") << u".bashrc"_s << u".bashrc"_s;
    QTest::newRow("leading dots kept") << u"..hidden"_s << u"..hidden"_s;
    QTest::newRow("trailing dots") << u"name..."_s << u"name"_s;
    QTest::newRow("trailing dot and space") << u"name. . "_s << u"name"_s;
    QTest::newRow("surrounding spaces") << u"  a b.txt  "_s << u"a b.txt"_s;
    QTest::newRow("forbidden chars") << u"a<b>c:d\"e|f?g*h.txt"_s << u"a_b_c_d_e_f_g_h.txt"_s;
    QTest::newRow("control chars dropped")
        << u"a\tb\nc\rd\u0001\u001f\u007f.txt"_s << u"abcd.txt"_s;
    QTest::newRow("nul dropped") << QString(u"a\0b.txt"_s) << u"ab.txt"_s;
    QTest::newRow("c1 control dropped") << u"a\u0085b"_s << u"ab"_s;
    QTest::newRow("bidi override dropped") << u"evil\u202etxt.exe"_s << u"eviltxt.exe"_s;
    QTest::newRow("header cr") << u"file.txt\r\n"_s << u"file.txt"_s;
    QTest::newRow("con") << u"CON"_s << u"_CON"_s;
    QTest::newRow("con lower with ext") << u"con.txt"_s << u"_con.txt"_s;
    QTest::newRow("prn") << u"PRN.log"_s << u"_PRN.log"_s;
    QTest::newRow("aux") << u"aux"_s << u"_aux"_s;
    QTest::newRow("nul") << u"Nul.tar.gz"_s << u"_Nul.tar.gz"_s;
    QTest::newRow("com1") << u"COM1"_s << u"_COM1"_s;
    QTest::newRow("com9 ext") << u"com9.dat"_s << u"_com9.dat"_s;
    QTest::newRow("lpt5") << u"lPt5.txt"_s << u"_lPt5.txt"_s;
    QTest::newRow("com superscript") << u"COM\u00b9"_s << u"_COM\u00b9"_s;
    QTest::newRow("con with space before ext") << u"CON .txt"_s << u"_CON .txt"_s;
    QTest::newRow("com0 allowed") << u"COM0"_s << u"COM0"_s;
    QTest::newRow("com10 allowed") << u"COM10"_s << u"COM10"_s;
    QTest::newRow("console allowed") << u"console.txt"_s << u"console.txt"_s;
    QTest::newRow("con inside allowed") << u"icon.png"_s << u"icon.png"_s;
    QTest::newRow("reserved after dir") << u"x/nul"_s << u"_nul"_s;
}

void TestFileNameSanitizer::sanitize_producesSafeName()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(sanitizeFileName(input), expected);
}

void TestFileNameSanitizer::sanitize_neverYieldsUnsafeComponent_data()
{
    QTest::addColumn<QString>("input");

    QTest::newRow("mixed traversal") << u"..\\../..//.\\"_s;
    QTest::newRow("everything forbidden") << u"<>:\"|?*"_s;
    QTest::newRow("controls only") << u"\u0001\u0002\u001b"_s;
    QTest::newRow("dots after forbidden") << u"?.."_s;
    QTest::newRow("spaces and dots") << u" . . . "_s;
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + u"x"_s;
    QTest::newRow("very long dots") << QString(1000, u'.');
    QTest::newRow("very long slashes") << QString(1000, u'/');
}

void TestFileNameSanitizer::sanitize_neverYieldsUnsafeComponent()
{
    QFETCH(QString, input);
    const QString out = sanitizeFileName(input);
    QVERIFY(!out.isEmpty());
    QVERIFY(!out.contains(u'/'));
    QVERIFY(!out.contains(u'\\'));
    QVERIFY(out != u"."_s && out != u".."_s);
    QVERIFY(!out.endsWith(u'.') && !out.endsWith(u' ') && !out.startsWith(u' '));
    for (QChar c : out)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(out));
    QVERIFY(out.toUtf8().size() <= 255);
}

void TestFileNameSanitizer::sanitize_limitsTo255Utf8Bytes_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expectedSuffix");
    QTest::addColumn<int>("expectedBytes");

    QTest::newRow("ascii with ext") << QString(300, u'a') + u".txt"_s << u"a.txt"_s << 255;
    QTest::newRow("ascii no ext") << QString(300, u'b') << u"bbb"_s << 255;
    QTest::newRow("ascii tar.gz") << QString(300, u'c') + u".tar.gz"_s << u"c.tar.gz"_s << 255;
    // 3-byte characters: 85 of them fit exactly, with ".txt" only 83 (249 + 4 = 253).
    QTest::newRow("cjk with ext") << QString(200, QChar(0x4e2d)) + u".txt"_s << u"\u4e2d.txt"_s
                                  << 253;
    QTest::newRow("cjk no ext") << QString(200, QChar(0x4e2d)) << u"\u4e2d"_s << 255;
    // 4-byte characters (surrogate pairs): 63 fit (252 bytes), never half a pair.
    QTest::newRow("emoji") << QString(100, u'x').replace(u'x', u"\U0001F600"_s) << u"\U0001F600"_s
                           << 252;
    // Two-byte characters with an odd budget: 127 fit (254 bytes).
    QTest::newRow("two-byte") << QString(200, QChar(0x00e9)) << u"\u00e9"_s << 254;
    // Truncation that lands on spaces must not leave a trailing space.
    QTest::newRow("cut at space") << QString(254, u'a') + u"  tail"_s << u"a"_s << 254;
    // A huge "extension" is not an extension; the name is simply cut.
    QTest::newRow("long suffix") << u"a."_s + QString(300, u'z') << u"zzz"_s << 255;
    QTest::newRow("short untouched") << u"short.txt"_s << u"short.txt"_s << 9;
}

void TestFileNameSanitizer::sanitize_limitsTo255Utf8Bytes()
{
    QFETCH(QString, input);
    QFETCH(QString, expectedSuffix);
    QFETCH(int, expectedBytes);

    const QString out = sanitizeFileName(input);
    QCOMPARE(out.toUtf8().size(), expectedBytes);
    QVERIFY2(out.endsWith(expectedSuffix), qPrintable(out));
    // Round-tripping through UTF-8 proves no sequence was cut in half.
    QCOMPARE(QString::fromUtf8(out.toUtf8()), out);
    QVERIFY(!out.contains(QChar::ReplacementCharacter));
}

void TestFileNameSanitizer::sanitize_unusableFallbackYieldsDownload()
{
    QCOMPARE(sanitizeFileName(u".."_s, u"custom.bin"_s), u"custom.bin"_s);
    QCOMPARE(sanitizeFileName(u".."_s, u"../evil/x.bin"_s), u"x.bin"_s);
    QCOMPARE(sanitizeFileName(u".."_s, u"..."_s), u"download"_s);
    QCOMPARE(sanitizeFileName(QString(), QString()), u"download"_s);
}

void TestFileNameSanitizer::splitExtension_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("stem");
    QTest::addColumn<QString>("ext");

    QTest::newRow("simple") << u"a.txt"_s << u"a"_s << u".txt"_s;
    QTest::newRow("tar.gz") << u"a.tar.gz"_s << u"a"_s << u".tar.gz"_s;
    QTest::newRow("tar.bz2") << u"a.b.tar.bz2"_s << u"a.b"_s << u".tar.bz2"_s;
    QTest::newRow("tar.xz upper") << u"A.TAR.XZ"_s << u"A"_s << u".TAR.XZ"_s;
    QTest::newRow("tar.zst") << u"a.tar.zst"_s << u"a"_s << u".tar.zst"_s;
    QTest::newRow("only tar.gz") << u".tar.gz"_s << u".tar"_s << u".gz"_s;
    QTest::newRow("plain gz") << u"a.gz"_s << u"a"_s << u".gz"_s;
    QTest::newRow("no ext") << u"README"_s << u"README"_s << QString();
    QTest::newRow("hidden") << u".bashrc"_s << u".bashrc"_s << QString();
    QTest::newRow("hidden with ext") << u".config.json"_s << u".config"_s << u".json"_s;
    QTest::newRow("trailing dot") << u"a."_s << u"a."_s << QString();
    QTest::newRow("space in ext") << u"Mr. Smith"_s << u"Mr. Smith"_s << QString();
    QTest::newRow("version number") << u"app-1.2.3"_s << u"app-1.2"_s << u".3"_s;
}

void TestFileNameSanitizer::splitExtension()
{
    QFETCH(QString, name);
    QFETCH(QString, stem);
    QFETCH(QString, ext);
    const auto [s, e] = splitFileExtension(name);
    QCOMPARE(s, stem);
    QCOMPARE(e, ext);
}

void TestFileNameSanitizer::unique_numbersTakenNames_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QStringList>("taken");
    QTest::addColumn<QString>("expected");

    QTest::newRow("free") << u"a.txt"_s << QStringList() << u"/d/a.txt"_s;
    QTest::newRow("first taken") << u"a.txt"_s << QStringList{u"/d/a.txt"_s} << u"/d/a (1).txt"_s;
    QTest::newRow("two taken") << u"a.txt"_s << QStringList{u"/d/a.txt"_s, u"/d/a (1).txt"_s}
                               << u"/d/a (2).txt"_s;
    QTest::newRow("gap is reused")
        << u"a.txt"_s << QStringList{u"/d/a.txt"_s, u"/d/a (2).txt"_s} << u"/d/a (1).txt"_s;
    QTest::newRow("tar.gz") << u"a.tar.gz"_s << QStringList{u"/d/a.tar.gz"_s}
                            << u"/d/a (1).tar.gz"_s;
    QTest::newRow("tar.zst") << u"src.tar.zst"_s << QStringList{u"/d/src.tar.zst"_s}
                             << u"/d/src (1).tar.zst"_s;
    QTest::newRow("no ext") << u"README"_s << QStringList{u"/d/README"_s} << u"/d/README (1)"_s;
    QTest::newRow("hidden") << u".bashrc"_s << QStringList{u"/d/.bashrc"_s} << u"/d/.bashrc (1)"_s;
    QTest::newRow("other dir irrelevant")
        << u"a.txt"_s << QStringList{u"/e/a.txt"_s} << u"/d/a.txt"_s;
}

void TestFileNameSanitizer::unique_numbersTakenNames()
{
    QFETCH(QString, fileName);
    QFETCH(QStringList, taken);
    QFETCH(QString, expected);

    const QSet<QString> set(taken.cbegin(), taken.cend());
    QStringList asked;
    const QString path = uniqueFilePath(u"/d"_s, fileName, [&](const QString &p) {
        asked.append(p);
        return set.contains(p);
    });
    QCOMPARE(path, expected);
    QCOMPARE(asked.constLast(), expected);
}

void TestFileNameSanitizer::unique_defaultPredicateChecksDisk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCOMPARE(uniqueFilePath(dir.path(), u"x.bin"_s), dir.filePath(u"x.bin"_s));

    QFile first(dir.filePath(u"x.bin"_s));
    QVERIFY(first.open(QIODevice::WriteOnly));
    first.close();
    QCOMPARE(uniqueFilePath(dir.path(), u"x.bin"_s), dir.filePath(u"x (1).bin"_s));
}

void TestFileNameSanitizer::unique_givesUpWhenEverythingTaken()
{
    int calls = 0;
    const QString path = uniqueFilePath(u"/d"_s, u"a.txt"_s, [&](const QString &) {
        ++calls;
        return true;
    });
    QVERIFY(path.isEmpty());
    QCOMPARE(calls, 10001);
}

void TestFileNameSanitizer::unique_keepsNumberedNameWithinLimit()
{
    const QString name = QString(251, u'n') + u".txt"_s; // exactly 255 bytes
    const QString path =
        uniqueFilePath(u"/d"_s, name, [&](const QString &p) { return p == u"/d/"_s + name; });
    const QString fileName = path.sliced(3);
    QCOMPARE(fileName.toUtf8().size(), 255);
    QVERIFY(fileName.endsWith(u"n (1).txt"_s));
}

QTEST_GUILESS_MAIN(TestFileNameSanitizer)
#include "tst_filenamesanitizer.moc"
