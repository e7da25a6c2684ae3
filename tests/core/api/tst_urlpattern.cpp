#include "api/urlpattern.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;

class TestUrlPattern final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void isPattern_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("expected");
        QTest::newRow("plain") << u"https://example.org/a.jpg"_s << false;
        QTest::newRow("range") << u"https://example.org/img[1-3].jpg"_s << true;
        QTest::newRow("list") << u"https://example.org/a.{jpg,png}"_s << true;
        QTest::newRow("escaped") << u"https://example.org/a\\[1\\].jpg"_s << false;
        QTest::newRow("ipv6") << u"http://[::1]:8080/file.bin"_s << false;
        QTest::newRow("ipv6 and range") << u"http://[::1]:8080/f[1-2].bin"_s << true;
        QTest::newRow("malformed") << u"https://example.org/img[1-3.jpg"_s << true;
    }
    void isPattern()
    {
        QFETCH(QString, text);
        QFETCH(bool, expected);
        QCOMPARE(UrlPattern::isPattern(text), expected);
    }

    void expand_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("numbers") << u"http://h/f[1-3].bin"_s
                                 << QStringList{u"http://h/f1.bin"_s, u"http://h/f2.bin"_s,
                                                u"http://h/f3.bin"_s};
        QTest::newRow("zero padded keeps the width")
            << u"http://h/img[008-011].jpg"_s
            << QStringList{u"http://h/img008.jpg"_s, u"http://h/img009.jpg"_s,
                           u"http://h/img010.jpg"_s, u"http://h/img011.jpg"_s};
        QTest::newRow("letters") << u"http://h/[a-c]"_s
                                 << QStringList{u"http://h/a"_s, u"http://h/b"_s, u"http://h/c"_s};
        QTest::newRow("upper letters with step")
            << u"http://h/[A-E:2]"_s
            << QStringList{u"http://h/A"_s, u"http://h/C"_s, u"http://h/E"_s};
        QTest::newRow("step") << u"http://h/[0-100:40]"_s
                              << QStringList{u"http://h/0"_s, u"http://h/40"_s, u"http://h/80"_s};
        QTest::newRow("list") << u"http://h/a.{jpg,png}"_s
                              << QStringList{u"http://h/a.jpg"_s, u"http://h/a.png"_s};
        QTest::newRow("product, left to right")
            << u"http://h/{x,y}/[1-2]"_s
            << QStringList{u"http://h/x/1"_s, u"http://h/x/2"_s, u"http://h/y/1"_s,
                           u"http://h/y/2"_s};
        QTest::newRow("escaped bracket is literal")
            << u"http://h/a\\[1\\]{b,c}"_s << QStringList{u"http://h/a[1]b"_s, u"http://h/a[1]c"_s};
        QTest::newRow("ipv6 host kept")
            << u"http://[::1]:8080/f[1-2]"_s
            << QStringList{u"http://[::1]:8080/f1"_s, u"http://[::1]:8080/f2"_s};
        QTest::newRow("no pattern") << u"http://h/plain"_s << QStringList{u"http://h/plain"_s};
    }
    void expand()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const UrlPattern p = UrlPattern::parse(text);
        QVERIFY2(p.isValid(), qPrintable(p.error()));
        QCOMPARE(p.count(), expected.size());
        QString error;
        QCOMPARE(p.expand(&error), expected);
        QVERIFY(error.isEmpty());
        QCOMPARE(p.address(0), expected.first());
        QCOMPARE(p.address(p.count() - 1), expected.last());
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("backwards")
            << u"http://h/[5-1]"_s << u"Line 1: the range [5-1] runs backwards."_s;
        QTest::newRow("unclosed [")
            << u"http://h/f[1-3"_s << u"Line 1: the [ at character 11 is never closed."_s;
        QTest::newRow("unclosed {")
            << u"http://h/{a,b"_s << u"Line 1: the { at character 10 is never closed."_s;
        QTest::newRow("stray ]") << u"http://h/a]"_s
                                 << u"Line 1: the ] at character 11 has no opening [."_s;
        QTest::newRow("mixed") << u"http://h/[a-9]"_s
                               << u"Line 1: the range [a-9] mixes letters and numbers."_s;
        QTest::newRow("step 0") << u"http://h/[0-10:0]"_s
                                << u"Line 1: the range [0-10:0] has a step of 0."_s;
        QTest::newRow("not a range")
            << u"http://h/[abc]"_s << u"Line 1: [abc] is not a range such as [1-10] or [a-z]."_s;
        QTest::newRow("nested list")
            << u"http://h/{a,{b}}"_s << u"Line 1: a list in {…} cannot hold another [ or {."_s;
    }
    void malformed()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const UrlPattern p = UrlPattern::parse(text);
        QVERIFY(!p.isValid());
        QCOMPARE(p.count(), 0);
        QCOMPARE(UrlPattern::describe(p.error(), 1), message);
        QString error;
        QVERIFY(p.expand(&error).isEmpty());
        QCOMPARE(error, UrlPattern::describe(p.error()));
        QVERIFY(!error.at(0).isLower());
    }

    void huge_isCountedNotExpanded()
    {
        QElapsedTimer timer;
        timer.start();
        const UrlPattern p = UrlPattern::parse(u"http://h/[1-1000000][1-1000000]"_s);
        QCOMPARE(p.count(), 1000000000000LL);
        QString error;
        QVERIFY(p.expand(&error).isEmpty());
        QCOMPARE(
            error,
            u"This pattern makes 1,000,000,000,000 addresses; at most 10,000 can be added at once."_s);
        QCOMPARE(p.address(p.count() - 1), u"http://h/10000001000000"_s);
        QVERIFY(timer.elapsed() < 1000);
    }

    void overLimit_refusedWithMessage()
    {
        const UrlPattern p = UrlPattern::parse(u"http://h/[1-3000]/[1-4000]"_s);
        QCOMPARE(p.count(), 12000000);
        QString error;
        QVERIFY(p.expand(&error).isEmpty());
        QCOMPARE(
            error,
            u"This pattern makes 12,000,000 addresses; at most 10,000 can be added at once."_s);
        const UrlPattern exact = UrlPattern::parse(u"http://h/[1-100][1-100]"_s);
        QCOMPARE(exact.expand(&error).size(), 10000);
    }

    void overflow_saturates()
    {
        const UrlPattern p =
            UrlPattern::parse(u"http://h/[1-999999999][1-999999999][1-999999999]"_s);
        QCOMPARE(p.count(), std::numeric_limits<qint64>::max());
        QString error;
        QVERIFY(p.expand(&error).isEmpty());
        QVERIFY(error.startsWith(u"This pattern makes more than"_s));
    }
};

QTEST_GUILESS_MAIN(TestUrlPattern)
#include "tst_urlpattern.moc"
