#include "engine/segmenttable.h"

#include <QTest>

using namespace ferry;

class TestSegmentTable final : public QObject
{
    Q_OBJECT
private slots:
    void load_restoresPersistedProgress()
    {
        SegmentTable t;
        t.load({{0, 100, 40}, {100, 200, 100}});
        QCOMPARE(t.size(), 2);
        QCOMPARE(t.bytesDone(), 140);
        QVERIFY(t.anyProgress());
        QVERIFY(!t.allComplete());
        QVERIFY(t[1].progress->complete());
    }

    void split_handsTheUpperPartToANewSegment()
    {
        SegmentTable t;
        t.plan({{0, 1000}, {1000, 2000}});
        t[0].progress->written = 100;
        const auto upper = t.split(0, 600);
        QCOMPARE(t.size(), 3);
        QCOMPARE(t[0].progress->end.load(), 600);
        QCOMPARE(t[1].progress, upper);
        QCOMPARE(upper->start, 600);
        QCOMPARE(upper->end.load(), 1000);
        QCOMPARE(t.find(upper), &t[1]);
        const QList<SegmentRecord> expected{{0, 600, 100}, {600, 1000, 0}, {1000, 2000, 0}};
        const QList<SegmentRecord> records = t.records();
        QCOMPARE(records.size(), expected.size());
        for (qsizetype i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].start, expected[i].start);
            QCOMPARE(records[i].end, expected[i].end);
            QCOMPARE(records[i].done, expected[i].done);
        }
    }

    void records_neverClaimPastASegmentsEnd()
    {
        // A connection stopped at a lowered end may have written a little further.
        SegmentTable t;
        t.plan({{0, 1000}});
        t.split(0, 500);
        t[0].progress->written = 700;
        QCOMPARE(t.records().first().done, 500);
        QCOMPARE(t.bytesDone(), 500);
        QVERIFY(t[0].progress->complete());
    }

    void stream_ofUnknownLengthCountsWhatArrived()
    {
        SegmentTable t;
        t.planStream(-1);
        t[0].progress->written = 12345;
        QCOMPARE(t.bytesDone(), 12345);
        QVERIFY(!t.allComplete());
        QCOMPARE(t.records().first().end, -1);
    }
};

QTEST_GUILESS_MAIN(TestSegmentTable)
#include "tst_segmenttable.moc"
