#include "engine/backoff.h"

#include <QTest>

#include <limits>

using namespace ferry;

using OptMs = std::optional<qint64>;
Q_DECLARE_METATYPE(OptMs)

class TestBackoff : public QObject
{
    Q_OBJECT

private slots:
    void delay_followsJitteredExponential_data();
    void delay_followsJitteredExponential();
    void delay_retryAfterWinsAndIsClamped_data();
    void delay_retryAfterWinsAndIsClamped();
    void delay_toleratesBrokenRandomSource_data();
    void delay_toleratesBrokenRandomSource();
    void exhausted_afterMaxAttempts();
    void retryAfter_parses_data();
    void retryAfter_parses();
    void httpDate_resolvesTwoDigitYears_data();
    void httpDate_resolvesTwoDigitYears();
};

void TestBackoff::delay_followsJitteredExponential_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<int>("attempt");
    QTest::addColumn<qint64>("expected");

    // Policy: base 1000, cap 60000.
    QTest::newRow("max attempt 0") << 1.0 << 0 << 1000LL;
    QTest::newRow("max attempt 1") << 1.0 << 1 << 2000LL;
    QTest::newRow("max attempt 3") << 1.0 << 3 << 8000LL;
    QTest::newRow("max attempt 5") << 1.0 << 5 << 32000LL;
    QTest::newRow("max attempt 6 capped") << 1.0 << 6 << 60000LL;
    QTest::newRow("max attempt 62 capped") << 1.0 << 62 << 60000LL;
    QTest::newRow("max attempt 64 no overflow") << 1.0 << 64 << 60000LL;
    QTest::newRow("max attempt intmax") << 1.0 << std::numeric_limits<int>::max() << 60000LL;
    QTest::newRow("half attempt 0") << 0.5 << 0 << 500LL;
    QTest::newRow("half attempt 4") << 0.5 << 4 << 8000LL;
    QTest::newRow("half capped") << 0.5 << 20 << 30000LL;
    QTest::newRow("zero gets floor") << 0.0 << 0 << 100LL;
    QTest::newRow("zero gets floor late") << 0.0 << 9 << 100LL;
    QTest::newRow("tiny gets floor") << 0.01 << 0 << 100LL;
    QTest::newRow("negative attempt as 0") << 1.0 << -5 << 1000LL;
}

void TestBackoff::delay_followsJitteredExponential()
{
    QFETCH(double, random);
    QFETCH(int, attempt);
    QFETCH(qint64, expected);

    const Backoff backoff({}, [random] { return random; });
    QCOMPARE(backoff.delayMs(attempt), expected);
}

void TestBackoff::delay_retryAfterWinsAndIsClamped_data()
{
    QTest::addColumn<qint64>("retryAfter");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("zero") << 0LL << 0LL;
    QTest::newRow("short") << 1500LL << 1500LL;
    QTest::newRow("beyond backoff cap") << 120000LL << 120000LL;
    QTest::newRow("ten minutes") << 600000LL << 600000LL;
    QTest::newRow("over ten minutes") << 600001LL << 600000LL;
    QTest::newRow("a day") << 86400000LL << 600000LL;
    QTest::newRow("int64 max") << std::numeric_limits<qint64>::max() << 600000LL;
    QTest::newRow("negative") << -5LL << 0LL;
    QTest::newRow("int64 min") << std::numeric_limits<qint64>::min() << 0LL;
}

void TestBackoff::delay_retryAfterWinsAndIsClamped()
{
    QFETCH(qint64, retryAfter);
    QFETCH(qint64, expected);

    const Backoff backoff({}, [] { return 1.0; });
    QCOMPARE(backoff.delayMs(3, retryAfter), expected);
}

void TestBackoff::delay_toleratesBrokenRandomSource_data()
{
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expected");

    QTest::newRow("above one") << 7.0 << 4000LL;
    QTest::newRow("below zero") << -3.0 << 400LL;
    QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << 4000LL;
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << 4000LL;
}

void TestBackoff::delay_toleratesBrokenRandomSource()
{
    QFETCH(double, random);
    QFETCH(qint64, expected);

    const Backoff backoff({4000, 60000, 5}, [random] { return random; });
    QCOMPARE(backoff.delayMs(0), expected);
}

void TestBackoff::exhausted_afterMaxAttempts()
{
    const Backoff backoff({1000, 60000, 3});
    QVERIFY(!backoff.exhausted(0));
    QVERIFY(!backoff.exhausted(2));
    QVERIFY(backoff.exhausted(3));
    QVERIFY(backoff.exhausted(100));
    QCOMPARE(backoff.policy().maxAttempts, 3);
    QCOMPARE(Backoff().policy().baseMs, qint64(1000));
}

void TestBackoff::retryAfter_parses_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<OptMs>("expected");

    // now = 1994-11-06 08:49:00 UTC
    QTest::newRow("seconds") << QByteArray("120") << OptMs(120000);
    QTest::newRow("zero") << QByteArray("0") << OptMs(0);
    QTest::newRow("whitespace") << QByteArray("  30 ") << OptMs(30000);
    QTest::newRow("leading zeros") << QByteArray("0000000000000000000000005") << OptMs(5000);
    QTest::newRow("huge saturates") << QByteArray("99999999999999999999999")
                                    << OptMs(std::numeric_limits<qint64>::max() / 1000 * 1000);
    QTest::newRow("imf-fixdate") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << OptMs(37000);
    QTest::newRow("imf lower case") << QByteArray("sun, 06 nov 1994 08:49:37 gmt") << OptMs(37000);
    QTest::newRow("rfc 850") << QByteArray("Sunday, 06-Nov-94 08:49:37 GMT") << OptMs(37000);
    QTest::newRow("asctime") << QByteArray("Sun Nov  6 08:49:37 1994") << OptMs(37000);
    QTest::newRow("asctime two-digit day")
        << QByteArray("Mon Nov 07 08:49:00 1994") << OptMs(86400000);
    QTest::newRow("next year") << QByteArray("Sun, 01 Jan 1995 00:00:00 GMT")
                               << OptMs(QDateTime(QDate(1994, 11, 6), QTime(8, 49), Qt::UTC)
                                            .msecsTo(QDateTime(QDate(1995, 1, 1), QTime(0, 0),
                                                               Qt::UTC)));
    QTest::newRow("leap second") << QByteArray("Sun, 06 Nov 1994 08:49:60 GMT") << OptMs(59000);
    QTest::newRow("now") << QByteArray("Sun, 06 Nov 1994 08:49:00 GMT") << OptMs(0);
    QTest::newRow("past") << QByteArray("Sat, 05 Nov 1994 08:49:37 GMT") << OptMs(0);
    QTest::newRow("far past") << QByteArray("Thu, 01 Jan 1970 00:00:00 GMT") << OptMs(0);

    QTest::newRow("empty") << QByteArray() << OptMs();
    QTest::newRow("spaces") << QByteArray("   ") << OptMs();
    QTest::newRow("negative") << QByteArray("-5") << OptMs();
    QTest::newRow("plus") << QByteArray("+5") << OptMs();
    QTest::newRow("fraction") << QByteArray("1.5") << OptMs();
    QTest::newRow("unit") << QByteArray("10s") << OptMs();
    QTest::newRow("hex") << QByteArray("0x10") << OptMs();
    QTest::newRow("two numbers") << QByteArray("1 2") << OptMs();
    QTest::newRow("word") << QByteArray("soon") << OptMs();
    QTest::newRow("not gmt") << QByteArray("Sun, 06 Nov 1994 08:49:37 PST") << OptMs();
    QTest::newRow("numeric zone") << QByteArray("Sun, 06 Nov 1994 08:49:37 +0000") << OptMs();
    QTest::newRow("missing zone") << QByteArray("Sun, 06 Nov 1994 08:49:37") << OptMs();
    QTest::newRow("trailing garbage") << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT x") << OptMs();
    QTest::newRow("bad month") << QByteArray("Sun, 06 Foo 1994 08:49:37 GMT") << OptMs();
    QTest::newRow("bad day name") << QByteArray("Xyz, 06 Nov 1994 08:49:37 GMT") << OptMs();
    QTest::newRow("long day in imf") << QByteArray("Sunday, 06 Nov 1994 08:49:37 GMT") << OptMs();
    QTest::newRow("feb 30") << QByteArray("Sun, 30 Feb 1994 08:49:37 GMT") << OptMs();
    QTest::newRow("day zero") << QByteArray("Sun, 00 Nov 1994 08:49:37 GMT") << OptMs();
    QTest::newRow("hour 24") << QByteArray("Sun, 06 Nov 1994 24:00:00 GMT") << OptMs();
    QTest::newRow("minute 60") << QByteArray("Sun, 06 Nov 1994 08:60:00 GMT") << OptMs();
    QTest::newRow("short time") << QByteArray("Sun, 06 Nov 1994 8:49:37 GMT") << OptMs();
    QTest::newRow("time letters") << QByteArray("Sun, 06 Nov 1994 ab:cd:ef GMT") << OptMs();
    QTest::newRow("two-digit year imf") << QByteArray("Sun, 06 Nov 94 08:49:37 GMT") << OptMs();
    QTest::newRow("five-digit year") << QByteArray("Sun, 06 Nov 19940 08:49:37 GMT") << OptMs();
    QTest::newRow("rfc850 bad dashes") << QByteArray("Sunday, 06/Nov/94 08:49:37 GMT") << OptMs();
    QTest::newRow("rfc850 four-digit year")
        << QByteArray("Sunday, 06-Nov-1994 08:49:37 GMT") << OptMs();
    QTest::newRow("asctime missing year") << QByteArray("Sun Nov  6 08:49:37") << OptMs();
    QTest::newRow("only comma") << QByteArray(",") << OptMs();
    QTest::newRow("nul inside") << QByteArray("12\0003", 4) << OptMs();
}

void TestBackoff::retryAfter_parses()
{
    QFETCH(QByteArray, value);
    QFETCH(OptMs, expected);

    const QDateTime now(QDate(1994, 11, 6), QTime(8, 49), Qt::UTC);
    QCOMPARE(parseRetryAfterMs(value, now), expected);
}

void TestBackoff::httpDate_resolvesTwoDigitYears_data()
{
    QTest::addColumn<int>("nowYear");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("year");

    QTest::newRow("same century") << 2024 << QByteArray("Monday, 01-Jan-24 00:00:00 GMT") << 2024;
    QTest::newRow("near future") << 2024 << QByteArray("Monday, 01-Jan-70 00:00:00 GMT") << 2070;
    QTest::newRow("over 50 years ahead")
        << 2024 << QByteArray("Monday, 01-Jan-75 00:00:00 GMT") << 1975;
    QTest::newRow("next century") << 2090 << QByteArray("Monday, 01-Jan-05 00:00:00 GMT") << 2105;
    QTest::newRow("nineties") << 1994 << QByteArray("Monday, 01-Jan-94 00:00:00 GMT") << 1994;
}

void TestBackoff::httpDate_resolvesTwoDigitYears()
{
    QFETCH(int, nowYear);
    QFETCH(QByteArray, value);
    QFETCH(int, year);

    const QDateTime now(QDate(nowYear, 6, 1), QTime(12, 0), Qt::UTC);
    const auto date = parseHttpDate(value, now);
    QVERIFY(date.has_value());
    QCOMPARE(date->date(), QDate(year, 1, 1));
    QCOMPARE(date->timeSpec(), Qt::UTC);
}

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
