#include "engine/segmentplanner.h"

#include <QTest>

using namespace ferry::SegmentPlanner;

namespace {
constexpr qint64 MiB = 1024 * 1024;

Slot slot(qint64 start, qint64 end, qint64 done, bool owned, qint64 speed = 0, bool duplicated = false,
          qint64 ownedForMs = 10'000)
{
    Slot s;
    s.ownedForMs = owned ? ownedForMs : 0;
    s.start = start;
    s.end = end;
    s.done = done;
    s.owned = owned;
    s.speed = speed;
    s.duplicated = duplicated;
    return s;
}
} // namespace

Q_DECLARE_METATYPE(QList<Slot>)

class TestSegmentPlanner final : public QObject
{
    Q_OBJECT
private slots:
    void initialRanges_data()
    {
        QTest::addColumn<qint64>("total");
        QTest::addColumn<int>("connections");
        QTest::addColumn<int>("expectedCount");
        QTest::newRow("large file, 8") << 800 * MiB << 8 << 8;
        QTest::newRow("small file is not split below 1 MiB") << 3 * MiB + 5 << 8 << 3;
        QTest::newRow("tiny file") << qint64(10) << 8 << 1;
        QTest::newRow("one connection") << 100 * MiB << 1 << 1;
        QTest::newRow("32 connections") << 100 * MiB << 32 << 32;
        QTest::newRow("odd size") << 8 * MiB + 7 << 8 << 8;
    }

    void initialRanges()
    {
        QFETCH(qint64, total);
        QFETCH(int, connections);
        QFETCH(int, expectedCount);
        const QList<Range> ranges = ferry::SegmentPlanner::initialRanges(total, connections, MiB);
        QCOMPARE(ranges.size(), expectedCount);
        // Contiguous, covering everything, in order.
        QCOMPARE(ranges.first().start, 0);
        QCOMPARE(ranges.last().end, total);
        for (qsizetype i = 1; i < ranges.size(); ++i)
            QCOMPARE(ranges[i].start, ranges[i - 1].end);
        if (ranges.size() > 1) {
            for (const Range &r : ranges)
                QVERIFY(r.end - r.start >= MiB);
        }
    }

    void initialRanges_emptyFileHasNone()
    {
        QVERIFY(ferry::SegmentPlanner::initialRanges(0, 8, MiB).isEmpty());
    }

    void chooseWork_takesUnownedLowestFirst()
    {
        const QList<Slot> plan{slot(0, 10 * MiB, 0, true), slot(10 * MiB, 20 * MiB, 0, false), slot(20 * MiB, 30 * MiB, 0, false)};
        const Choice c = chooseWork(plan, MiB);
        QCOMPARE(c.kind, Choice::Take);
        QCOMPARE(c.index, 1);
    }

    void chooseWork_splitsTheLargestRemainingEvenIfOwnedBySlowConnection()
    {
        // Slot 1 has the most left, although its connection is slow: it gives up its upper half.
        const QList<Slot> plan{slot(0, 10 * MiB, 9 * MiB, true, 50 * MiB), slot(10 * MiB, 20 * MiB, MiB, true, 10 * 1024),
                               slot(20 * MiB, 30 * MiB, 10 * MiB, false)};
        const Choice c = chooseWork(plan, MiB);
        QCOMPARE(c.kind, Choice::Split);
        QCOMPARE(c.index, 1);
        QVERIFY(c.splitAt > 11 * MiB && c.splitAt < 20 * MiB);
        QCOMPARE(c.splitAt % 4096, 0);
        QCOMPARE(c.splitAt, 15 * MiB + MiB / 2);
    }

    void chooseWork_neverSplitsBelowTwiceTheMinimum()
    {
        const QList<Slot> plan{slot(0, 10 * MiB, 10 * MiB - MiB, true, 10 * MiB)};
        const Choice c = chooseWork(plan, MiB);
        QVERIFY(c.kind != Choice::Split);
    }

    void chooseWork_duplicatesTheSlowestTailNearTheEnd()
    {
        const QList<Slot> plan{slot(0, 10 * MiB, 10 * MiB - 512 * 1024, true, 10 * MiB),
                               slot(10 * MiB, 20 * MiB, 10 * MiB - 900 * 1024, true, 20 * 1024),
                               slot(20 * MiB, 30 * MiB, 10 * MiB, false)};
        const Choice c = chooseWork(plan, MiB);
        QCOMPARE(c.kind, Choice::Duplicate);
        QCOMPARE(c.index, 1);
    }

    void chooseWork_stalledTailIsDuplicated()
    {
        const QList<Slot> plan{slot(0, MiB, MiB - 100, true, 0)};
        QCOMPARE(chooseWork(plan, MiB).kind, Choice::Duplicate);
    }

    void chooseWork_doesNotRaceAConnectionThatHasJustStarted()
    {
        // Speed 0 only because nothing has been measured yet: racing it would fetch the same
        // bytes twice on a fast server.
        const QList<Slot> plan{slot(0, MiB, MiB / 2, true, 0, false, 100)};
        QCOMPARE(chooseWork(plan, MiB).kind, Choice::Nothing);
    }

    void chooseWork_doesNotDuplicateWhatFinishesSoon()
    {
        const QList<Slot> plan{slot(0, MiB, MiB - 1000, true, 10 * MiB)};
        QCOMPARE(chooseWork(plan, MiB).kind, Choice::Nothing);
    }

    void chooseWork_doesNotDuplicateTwice()
    {
        const QList<Slot> plan{slot(0, MiB, MiB / 2, true, 0, true)};
        QCOMPARE(chooseWork(plan, MiB).kind, Choice::Nothing);
    }

    void chooseWork_nothingWhenAllDone()
    {
        const QList<Slot> plan{slot(0, MiB, MiB, false), slot(MiB, 2 * MiB, MiB, true)};
        QCOMPARE(chooseWork(plan, MiB).kind, Choice::Nothing);
    }
};

QTEST_GUILESS_MAIN(TestSegmentPlanner)
#include "tst_segmentplanner.moc"
