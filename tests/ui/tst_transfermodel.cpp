#include "format.h"
#include "transferfilterproxy.h"
#include "transfermodel.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

namespace {

DownloadSnapshot snapshotFor(DownloadId id, DownloadState state = DownloadState::Queued,
                             qint64 total = 1000, qint64 done = 0)
{
    DownloadSnapshot s;
    s.id = id;
    s.fileName = u"file%1.zip"_s.arg(id);
    s.url = QUrl(u"https://example.com/pub/"_s + s.fileName);
    s.directory = u"/tmp"_s;
    s.total = total;
    s.done = done;
    s.state = state;
    s.added = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC).addSecs(id);
    return s;
}

QList<DownloadSnapshot> snapshotsFor(DownloadId first, DownloadId last)
{
    QList<DownloadSnapshot> list;
    for (DownloadId id = first; id <= last; ++id)
        list.append(snapshotFor(id));
    return list;
}

// The first and last row of each dataChanged emission, in order.
QList<QPair<int, int>> spans(const QSignalSpy &spy)
{
    QList<QPair<int, int>> result;
    for (const QList<QVariant> &args : spy)
        result.append({args.at(0).toModelIndex().row(), args.at(1).toModelIndex().row()});
    return result;
}

// A model and a sorted proxy over it, both watched by a fatal model tester.
struct Harness
{
    Harness()
    {
        proxy.setSourceModel(&model);
        proxy.sort(TransferModel::Name);
    }
    TransferModel model;
    TransferFilterProxy proxy;
    QAbstractItemModelTester modelTester{&model,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal};
    QAbstractItemModelTester proxyTester{&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::Fatal};
};

} // namespace

class TestTransferModel final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void applySnapshots_appendsUnknownIdsInOneInsert()
    {
        Harness h;
        QSignalSpy inserted(&h.model, &QAbstractItemModel::rowsInserted);
        h.model.applySnapshots(snapshotsFor(1, 3));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 2);
        QCOMPARE(h.model.rowCount(), 3);
        QCOMPARE(h.proxy.rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(h.model.idAt(row), DownloadId(row + 1));
            QCOMPARE(h.model.rowOf(row + 1), row);
        }
        QCOMPARE(h.model.rowOf(99), -1);
        QCOMPARE(h.model.idAt(3), DownloadId(0));
    }

    void applySnapshots_sameNewIdTwiceAddsOneRowWithTheLaterValues()
    {
        Harness h;
        h.model.applySnapshots(
            {snapshotFor(7, DownloadState::Queued), snapshotFor(7, DownloadState::Paused)});
        QCOMPARE(h.model.rowCount(), 1);
        QCOMPARE(h.model.snapshot(7)->state, DownloadState::Paused);
    }

    void applySnapshots_updatesOnlyChangedSpans()
    {
        Harness h;
        h.model.resetTo(snapshotsFor(1, 10));
        QSignalSpy changed(&h.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&h.model, &QAbstractItemModel::rowsInserted);
        // Rows 1, 2, 3 and 6, given out of order: two spans, not four signals and not 28 cells.
        QList<DownloadSnapshot> batch;
        for (DownloadId id : {7, 3, 2, 4})
            batch.append(snapshotFor(id, DownloadState::Downloading, 1000, 500));
        h.model.applySnapshots(batch);
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(spans(changed), (QList<QPair<int, int>>{{1, 3}, {6, 6}}));
        for (const QList<QVariant> &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).toModelIndex().column(), 0);
            QCOMPARE(args.at(1).toModelIndex().column(), TransferModel::ColumnCount - 1);
        }
        QCOMPARE(h.model.index(2, 0).data(TransferModel::DoneRole).toLongLong(), 500);
        QCOMPARE(h.model.index(4, 0).data(TransferModel::DoneRole).toLongLong(), 0);
    }

    void applySnapshots_exactlyHalfChangedStillUsesSpans()
    {
        Harness h;
        h.model.resetTo(snapshotsFor(1, 10));
        QSignalSpy changed(&h.model, &QAbstractItemModel::dataChanged);
        h.model.applySnapshots(
            {snapshotFor(1), snapshotFor(3), snapshotFor(5), snapshotFor(7), snapshotFor(9)});
        QCOMPARE(spans(changed), (QList<QPair<int, int>>{{0, 0}, {2, 2}, {4, 4}, {6, 6}, {8, 8}}));
    }

    void applySnapshots_moreThanHalfChangedRepaintsWholeTable()
    {
        Harness h;
        h.model.resetTo(snapshotsFor(1, 10));
        QSignalSpy changed(&h.model, &QAbstractItemModel::dataChanged);
        h.model.applySnapshots({snapshotFor(1), snapshotFor(3), snapshotFor(5), snapshotFor(7),
                                snapshotFor(9), snapshotFor(10)});
        QCOMPARE(spans(changed), (QList<QPair<int, int>>{{0, 9}}));
        QCOMPARE(changed.at(0).at(1).toModelIndex().column(), TransferModel::ColumnCount - 1);
    }

    void applySnapshots_updatesBeforeInsertingNewRows()
    {
        Harness h;
        h.model.resetTo(snapshotsFor(1, 4));
        QSignalSpy changed(&h.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&h.model, &QAbstractItemModel::rowsInserted);
        h.model.applySnapshots(
            {snapshotFor(5), snapshotFor(2, DownloadState::Paused), snapshotFor(6)});
        QCOMPARE(spans(changed), (QList<QPair<int, int>>{{1, 1}}));
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), 4);
        QCOMPARE(inserted.at(0).at(2).toInt(), 5);
        QCOMPARE(h.model.rowOf(5), 4);
        QCOMPARE(h.model.rowOf(6), 5);
        QCOMPARE(h.model.snapshot(2)->state, DownloadState::Paused);
    }

    void removeDownload_keepsRowLookupInSync()
    {
        Harness h;
        h.model.resetTo(snapshotsFor(1, 5));
        QSignalSpy removed(&h.model, &QAbstractItemModel::rowsRemoved);
        h.model.removeDownload(2);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.at(0).at(1).toInt(), 1);
        QCOMPARE(h.model.rowCount(), 4);
        QCOMPARE(h.model.rowOf(2), -1);
        QVERIFY(!h.model.snapshot(2));
        for (DownloadId id : {1, 3, 4, 5})
            QCOMPARE(h.model.idAt(h.model.rowOf(id)), id);
        QCOMPARE(h.model.rowOf(5), 3);

        h.model.removeDownload(42);
        QCOMPARE(removed.size(), 1);
        h.model.applySnapshots({snapshotFor(2)});
        QCOMPARE(h.model.rowOf(2), 4);
    }

    void resetTo_replacesEveryRow()
    {
        Harness h;
        h.model.applySnapshots(snapshotsFor(1, 5));
        QSignalSpy reset(&h.model, &QAbstractItemModel::modelReset);
        h.model.resetTo(snapshotsFor(10, 12));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(h.model.rowCount(), 3);
        QCOMPARE(h.model.rowOf(1), -1);
        QCOMPARE(h.model.rowOf(12), 2);
        QCOMPARE(h.proxy.rowCount(), 3);
        h.model.resetTo({});
        QCOMPARE(h.model.rowCount(), 0);
    }

    void roles_returnRawValues()
    {
        Harness h;
        DownloadSnapshot s = snapshotFor(9, DownloadState::Downloading, 4000, 1000);
        s.fileName = u"Holiday Movie.MKV"_s;
        s.url = QUrl(u"https://Media.example.org/v/Holiday%20Movie.MKV"_s);
        s.speed = 2048;
        s.etaSeconds = 1;
        s.message = u"server does not support resume"_s;
        s.segments = {{0, 2000, 1000, true, 2048}, {2000, 4000, 0, false, 0}};
        h.model.applySnapshots({s});
        const QModelIndex index = h.model.index(0, TransferModel::Name);

        QCOMPARE(index.data(TransferModel::IdRole).toLongLong(), 9);
        QCOMPARE(index.data(TransferModel::StateRole).toInt(), int(DownloadState::Downloading));
        QCOMPARE(index.data(TransferModel::CategoryRole).toInt(), int(Category::Video));
        QCOMPARE(index.data(TransferModel::ProgressRole).toDouble(), 0.25);
        QCOMPARE(index.data(TransferModel::TotalRole).toLongLong(), 4000);
        QCOMPARE(index.data(TransferModel::DoneRole).toLongLong(), 1000);
        QCOMPARE(index.data(TransferModel::SpeedRole).toLongLong(), 2048);
        QCOMPARE(index.data(TransferModel::EtaRole).toLongLong(), 1);
        QCOMPARE(index.data(TransferModel::AddedRole).toDateTime(), s.added);
        QCOMPARE(index.data(TransferModel::UrlRole).toString(), s.url.toDisplayString());
        QCOMPARE(index.data(TransferModel::MessageRole).toString(), s.message);
        QCOMPARE(index.data(TransferModel::SearchTextRole).toString(),
                 u"holiday movie.mkv https://media.example.org/v/holiday movie.mkv"_s);

        const QVariant segments = index.data(TransferModel::SegmentsRole);
        QVERIFY(segments.canConvert<QList<SegmentSnapshot>>());
        const auto list = segments.value<QList<SegmentSnapshot>>();
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).done, 1000);
        QVERIFY(list.at(0).active);
        QCOMPARE(list.at(1).start, 2000);

        QCOMPARE(h.model.index(0, TransferModel::Size).data(TransferModel::SortRole).toLongLong(),
                 4000);
        QCOMPARE(h.model.index(0, TransferModel::Speed).data(TransferModel::SortRole).toLongLong(),
                 2048);
        QCOMPARE(h.model.index(0, TransferModel::State).data(TransferModel::SortRole).toInt(),
                 int(DownloadState::Downloading));
        // Whole seconds first, then the id (see sameSecond_sortsByIdWhateverTheArrivalOrder).
        QCOMPARE(h.model.index(0, TransferModel::Added).data(TransferModel::SortRole).toLongLong(),
                 (s.added.toSecsSinceEpoch() << 24) + s.id);
    }

    void progressRole_isMinusOneOnlyWhileTheSizeIsUnknown()
    {
        Harness h;
        h.model.applySnapshots({snapshotFor(1, DownloadState::Downloading, -1, 500),
                                snapshotFor(2, DownloadState::Completed, -1, 500),
                                snapshotFor(3, DownloadState::Queued, 0, 0)});
        QCOMPARE(h.model.index(0, 0).data(TransferModel::ProgressRole).toDouble(), -1.0);
        QCOMPARE(h.model.index(0, TransferModel::Progress).data().toString(), u"\u2013"_s);
        QCOMPARE(h.model.index(1, 0).data(TransferModel::ProgressRole).toDouble(), 1.0);
        QCOMPARE(h.model.index(1, TransferModel::Size).data().toString(), formatSize(500));
        QCOMPARE(h.model.index(2, 0).data(TransferModel::ProgressRole).toDouble(), 0.0);
    }

    void displayRole_givesFormattedText()
    {
        Harness h;
        DownloadSnapshot running =
            snapshotFor(1, DownloadState::Downloading, 10 * 1024 * 1024, 9999999);
        running.speed = 1536 * 1024;
        running.etaSeconds = 200;
        DownloadSnapshot failed = snapshotFor(2, DownloadState::Failed);
        failed.speed = 99;
        failed.message = u"HTTP 404"_s;
        h.model.applySnapshots({running, failed});

        QCOMPARE(h.model.index(0, TransferModel::Name).data().toString(), u"file1.zip"_s);
        QCOMPARE(h.model.index(0, TransferModel::Size).data().toString(),
                 formatSize(10 * 1024 * 1024));
        QCOMPARE(h.model.index(0, TransferModel::Speed).data().toString(),
                 formatSpeed(1536 * 1024));
        QCOMPARE(h.model.index(0, TransferModel::Eta).data().toString(), formatEta(200));
        QCOMPARE(h.model.index(0, TransferModel::Added).data().toString(),
                 formatDateTime(running.added));
        // 95.36 % is shown rounded down, so that 100 % only ever means finished.
        QVERIFY(h.model.index(0, TransferModel::Progress)
                    .data()
                    .toString()
                    .startsWith(QLocale().toString(95.3, 'f', 1)));
        QCOMPARE(h.model.index(0, TransferModel::Size).data(Qt::TextAlignmentRole).toInt(),
                 int(Qt::AlignRight | Qt::AlignVCenter));
        QVERIFY(!h.model.index(0, TransferModel::Name)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());

        // A failed download shows no speed or time left, and says why in the tooltips.
        QVERIFY(h.model.index(1, TransferModel::Speed).data().toString().isEmpty());
        QVERIFY(h.model.index(1, TransferModel::Eta).data().toString().isEmpty());
        QCOMPARE(h.model.index(1, TransferModel::State).data().toString().toLower(),
                 stateName(DownloadState::Failed));
        QVERIFY(h.model.index(1, TransferModel::State)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"HTTP 404"_s));
        const QString nameTip =
            h.model.index(1, TransferModel::Name).data(Qt::ToolTipRole).toString();
        QVERIFY(nameTip.contains(failed.url.toDisplayString()));
        QVERIFY(nameTip.contains(u"HTTP 404"_s));
    }

    // The formatting helpers behind DisplayRole, in the C locale the tests run with.
    void formatEta_showsTwoUnitsAtMost_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown") << qint64(-1) << u"\u2013"_s;
        QTest::newRow("seconds") << qint64(45) << u"45 s"_s;
        QTest::newRow("minutes") << qint64(200) << u"3 min 20 s"_s;
        QTest::newRow("hours pad minutes") << qint64(2 * 3600 + 5 * 60 + 9) << u"2 h 05 min"_s;
        QTest::newRow("days") << qint64(5 * 86400 + 3 * 3600) << u"5 d 03 h"_s;
    }

    void formatEta_showsTwoUnitsAtMost()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, expected);
        QCOMPARE(formatEta(seconds), expected);
    }

    void formatSize_usesIecUnitsAndDashForUnknown()
    {
        QCOMPARE(formatSize(-1), u"\u2013"_s);
        QCOMPARE(formatSize(1536 * 1024), u"1.5 MiB"_s);
        QCOMPARE(formatSpeed(1536 * 1024), u"1.5 MiB/s"_s);
        QCOMPARE(formatDateTime({}), u"\u2013"_s);
    }

    void headerData_titlesEveryColumn()
    {
        TransferModel model;
        for (int column = 0; column < TransferModel::ColumnCount; ++column)
            QVERIFY(!model.headerData(column, Qt::Horizontal).toString().isEmpty());
    }

    void applySnapshots_tenThousandRowsAppliedTwice()
    {
        Harness h;
        constexpr DownloadId count = 10000;
        QList<DownloadSnapshot> all = snapshotsFor(1, count);
        h.model.applySnapshots(all);
        QCOMPARE(h.model.rowCount(), int(count));
        QCOMPARE(h.proxy.rowCount(), int(count));

        for (DownloadSnapshot &s : all) {
            s.state = DownloadState::Downloading;
            s.done = s.id;
        }
        QSignalSpy changed(&h.model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&h.model, &QAbstractItemModel::rowsInserted);
        h.model.applySnapshots(all);
        QCOMPARE(h.model.rowCount(), int(count));
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changed.size(), 1);
        for (DownloadId id = 1; id <= count; ++id)
            QCOMPARE(h.model.rowOf(id), int(id - 1));
        QCOMPARE(h.model.snapshot(count)->done, count);
    }

    void positionColumn_numbersUnfinishedInQueueOrder_finishedLast()
    {
        Harness h;
        h.proxy.sort(TransferModel::Position);
        QList<DownloadSnapshot> list = snapshotsFor(1, 4);
        list[1].state = DownloadState::Completed;
        list[3].priority = 2; // started before the older ones
        h.model.applySnapshots(list);
        const auto positionOf = [&](DownloadId id) {
            return h.model.index(h.model.rowOf(id), TransferModel::Position).data().toString();
        };
        QCOMPARE(positionOf(4), u"1"_s);
        QCOMPARE(positionOf(1), u"2"_s);
        QCOMPARE(positionOf(3), u"3"_s);
        QCOMPARE(positionOf(2), QString());
        QList<DownloadId> order;
        for (int row = 0; row < h.proxy.rowCount(); ++row)
            order.append(h.proxy.index(row, 0).data(TransferModel::IdRole).value<DownloadId>());
        QCOMPARE(order, (QList<DownloadId>{4, 1, 3, 2}));
    }

    void priorityChange_movesTheRowUnderThePositionSort()
    {
        Harness h;
        h.proxy.sort(TransferModel::Position);
        QList<DownloadSnapshot> list = snapshotsFor(1, 3);
        h.model.applySnapshots(list);
        QCOMPARE(h.proxy.index(2, 0).data(TransferModel::IdRole).value<DownloadId>(), DownloadId(3));
        // What the manager's moveInQueue writes: a priority per place.
        list[0].priority = 3, list[1].priority = 1, list[2].priority = 2;
        h.model.applySnapshots(list);
        QCOMPARE(h.proxy.index(1, 0).data(TransferModel::IdRole).value<DownloadId>(), DownloadId(3));
        QCOMPARE(h.model.index(h.model.rowOf(3), TransferModel::Position).data().toString(), u"2"_s);
        // Finishing leaves the queue: the others close up.
        list[0].state = DownloadState::Completed;
        h.model.applySnapshots({list[0]});
        QCOMPARE(h.model.index(h.model.rowOf(3), TransferModel::Position).data().toString(), u"1"_s);
    }

    void sameSecond_sortsByIdWhateverTheArrivalOrder()
    {
        // Before a restart the rows know milliseconds; the database keeps seconds.
        const QDateTime second = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
        DownloadSnapshot a = snapshotFor(1), b = snapshotFor(2);
        a.added = second.addMSecs(900);
        b.added = second.addMSecs(100);
        for (const QList<DownloadSnapshot> &arrival : {QList{a, b}, QList{b, a}}) {
            Harness h;
            h.proxy.sort(TransferModel::Added, Qt::AscendingOrder);
            h.model.applySnapshots(arrival);
            QCOMPARE(h.proxy.index(0, 0).data(TransferModel::IdRole).value<DownloadId>(), DownloadId(1));
        }
    }

    void failedAndPausedRows_lookDifferent()
    {
        Harness h;
        h.model.applySnapshots({snapshotFor(1, DownloadState::Failed),
                                snapshotFor(2, DownloadState::Paused),
                                snapshotFor(3, DownloadState::Completed)});
        const QVariant failed = h.model.index(0, TransferModel::State).data(Qt::ForegroundRole);
        QVERIFY(failed.canConvert<QColor>());
        QVERIFY(failed.value<QColor>().red() > 150 && failed.value<QColor>().green() < 80);
        QVERIFY(h.model.index(1, TransferModel::Name).data(Qt::FontRole).value<QFont>().italic());
        QVERIFY(!h.model.index(2, TransferModel::State).data(Qt::ForegroundRole).isValid());
        QVERIFY(!h.model.index(2, TransferModel::Name).data(Qt::FontRole).isValid());
    }

    void selectedRow_keepsItsIcon()
    {
        Harness h;
        h.model.applySnapshots({snapshotFor(1)});
        const QIcon icon = h.model.index(0, TransferModel::Name).data(Qt::DecorationRole).value<QIcon>();
        QVERIFY(!icon.isNull());
        const QImage normal = icon.pixmap(QSize(16, 16), QIcon::Normal).toImage();
        QVERIFY(!normal.isNull());
        // Selected, the icon keeps its own colours and sits on a light tile, so that the
        // highlight neither tints it nor shows through it.
        const QImage selected =
            icon.pixmap(QSize(16, 16), QIcon::Selected).toImage().convertToFormat(QImage::Format_ARGB32);
        const QImage plain = normal.convertToFormat(QImage::Format_ARGB32);
        QCOMPARE(selected.size(), plain.size());
        int tile = 0;
        for (int y = 0; y < plain.height(); ++y) {
            for (int x = 0; x < plain.width(); ++x) {
                const QColor n = plain.pixelColor(x, y);
                const QColor s = selected.pixelColor(x, y);
                if (n.alpha() == 255)
                    QCOMPARE(s, n);
                if (n.alpha() == 0 && s.alpha() > 200 && s.red() > 200 && s.green() > 200 && s.blue() > 200)
                    ++tile;
            }
        }
        QVERIFY2(tile > 16, qPrintable(QString::number(tile)));
        QCOMPARE(selected.pixelColor(8, 8).alpha() > 200, true);
    }
};

QTEST_MAIN(TestTransferModel)
#include "tst_transfermodel.moc"
