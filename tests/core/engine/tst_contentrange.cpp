#include "engine/contentrange.h"

#include <QTest>

using namespace ferry;

class TestContentRange : public QObject
{
    Q_OBJECT

private slots:
    void parse_acceptsValid_data();
    void parse_acceptsValid();
    void parse_rejectsHostile_data();
    void parse_rejectsHostile();
    void length_isInclusive();
    void length_isZeroForUnsatisfiedRange();
};

void TestContentRange::parse_acceptsValid_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    QTest::addColumn<qint64>("total");

    QTest::newRow("full") << QByteArray("bytes 0-99/1000") << 0LL << 99LL << 1000LL;
    QTest::newRow("unknown total") << QByteArray("bytes 0-99/*") << 0LL << 99LL << -1LL;
    QTest::newRow("unsatisfied") << QByteArray("bytes */1000") << -1LL << -1LL << 1000LL;
    QTest::newRow("unsatisfied empty file") << QByteArray("bytes */0") << -1LL << -1LL << 0LL;
    QTest::newRow("upper case unit") << QByteArray("BYTES 5-9/10") << 5LL << 9LL << 10LL;
    QTest::newRow("mixed case unit") << QByteArray("Bytes 5-9/10") << 5LL << 9LL << 10LL;
    QTest::newRow("surrounding whitespace")
        << QByteArray("  \tbytes 1-1/2 \t") << 1LL << 1LL << 2LL;
    QTest::newRow("several spaces after unit") << QByteArray("bytes   1-2/3") << 1LL << 2LL << 3LL;
    QTest::newRow("single byte") << QByteArray("bytes 0-0/1") << 0LL << 0LL << 1LL;
    QTest::newRow("last byte") << QByteArray("bytes 999-999/1000") << 999LL << 999LL << 1000LL;
    QTest::newRow("leading zeros") << QByteArray("bytes 007-010/100") << 7LL << 10LL << 100LL;
    QTest::newRow("18 digits") << QByteArray("bytes 0-999999999999999998/999999999999999999") << 0LL
                               << 999999999999999998LL << 999999999999999999LL;
}

void TestContentRange::parse_acceptsValid()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    QFETCH(qint64, total);

    const auto range = parseContentRange(header);
    QVERIFY(range.has_value());
    QCOMPARE(range->first, first);
    QCOMPARE(range->last, last);
    QCOMPARE(range->total, total);
}

void TestContentRange::parse_rejectsHostile_data()
{
    QTest::addColumn<QByteArray>("header");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("whitespace only") << QByteArray("   ");
    QTest::newRow("unit only") << QByteArray("bytes");
    QTest::newRow("unit and space") << QByteArray("bytes ");
    QTest::newRow("other unit") << QByteArray("items 0-1/2");
    QTest::newRow("unit prefix") << QByteArray("bytesx 0-1/2");
    QTest::newRow("no space after unit") << QByteArray("bytes0-1/2");
    QTest::newRow("equals instead of space") << QByteArray("bytes=0-1/2");
    QTest::newRow("missing unit") << QByteArray("0-99/100");
    QTest::newRow("missing total") << QByteArray("bytes 0-99");
    QTest::newRow("missing total after slash") << QByteArray("bytes 0-99/");
    QTest::newRow("missing last") << QByteArray("bytes 0-/100");
    QTest::newRow("missing first") << QByteArray("bytes -99/100");
    QTest::newRow("missing dash") << QByteArray("bytes 099/100");
    QTest::newRow("star star") << QByteArray("bytes */*");
    QTest::newRow("star without slash") << QByteArray("bytes *");
    QTest::newRow("star range") << QByteArray("bytes *-5/10");
    QTest::newRow("plus sign") << QByteArray("bytes +0-99/100");
    QTest::newRow("minus sign") << QByteArray("bytes -1-99/100");
    QTest::newRow("signed total") << QByteArray("bytes 0-99/+100");
    QTest::newRow("negative total") << QByteArray("bytes 0-99/-100");
    QTest::newRow("hex digits") << QByteArray("bytes 0x0-0x10/100");
    QTest::newRow("letter in number") << QByteArray("bytes 0-9a/100");
    QTest::newRow("decimal point") << QByteArray("bytes 0-9.5/100");
    QTest::newRow("space inside range") << QByteArray("bytes 0 - 99/100");
    QTest::newRow("space before slash") << QByteArray("bytes 0-99 /100");
    QTest::newRow("last before first") << QByteArray("bytes 100-99/1000");
    QTest::newRow("last equals total") << QByteArray("bytes 0-100/100");
    QTest::newRow("last beyond total") << QByteArray("bytes 0-500/100");
    QTest::newRow("empty file range") << QByteArray("bytes 0-0/0");
    QTest::newRow("multiple ranges") << QByteArray("bytes 0-1,5-6/10");
    QTest::newRow("two headers folded") << QByteArray("bytes 0-1/10, bytes 2-3/10");
    QTest::newRow("trailing garbage") << QByteArray("bytes 0-1/10x");
    QTest::newRow("trailing star garbage") << QByteArray("bytes 0-1/*x");
    QTest::newRow("trailing unsatisfied garbage") << QByteArray("bytes */10;");
    QTest::newRow("19 digit first")
        << QByteArray("bytes 1000000000000000000-1000000000000000001/*");
    QTest::newRow("19 digit total") << QByteArray("bytes 0-1/1000000000000000000");
    QTest::newRow("int64 overflow") << QByteArray("bytes 0-1/99999999999999999999999");
    QTest::newRow("19 digit leading zeros") << QByteArray("bytes 0000000000000000000-1/2");
    QTest::newRow("nul byte") << QByteArray("bytes 0-1/2\0", 12);
    QTest::newRow("non-ascii digits") << QByteArray("bytes \xd9\xa0-1/2");
    QTest::newRow("newline inside") << QByteArray("bytes\n0-1/2");
}

void TestContentRange::parse_rejectsHostile()
{
    QFETCH(QByteArray, header);
    const auto range = parseContentRange(header);
    QVERIFY2(!range.has_value(), header.constData());
}

void TestContentRange::length_isInclusive()
{
    const auto range = parseContentRange("bytes 100-199/1000");
    QVERIFY(range.has_value());
    QCOMPARE(range->length(), qint64(100));
}

void TestContentRange::length_isZeroForUnsatisfiedRange()
{
    const auto range = parseContentRange("bytes */1000");
    QVERIFY(range.has_value());
    QCOMPARE(range->length(), qint64(0));
}

QTEST_GUILESS_MAIN(TestContentRange)
#include "tst_contentrange.moc"
