// The window's queue: "Add to Queue" waits as Queued and is counted so, the list shows the
// queue's order, and moving a download in the queue moves its row, across a restart too;
// rows dragged between others move there in the queue, while links dropped on the list still
// go to the add dialog.
#include "format.h"
#include "mainwindowfixture.h"
#include "requestadder.h"
#include "transfermodel.h"
#include "transferview.h"

#include <QDataStream>
#include <QDialog>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QToolTip>
#include <QTreeWidget>

#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestMainWindowQueue final : public QObject
{
    Q_OBJECT

private:
    static QList<DownloadId> shownOrder(const MainWindowFixture &f)
    {
        QList<DownloadId> ids;
        const QAbstractItemModel *model = f.view()->model();
        for (int row = 0; row < model->rowCount(); ++row)
            ids.append(model->index(row, 0).data(ui::TransferModel::IdRole).value<DownloadId>());
        return ids;
    }

    static QString sidebarText(const MainWindowFixture &f, const QString &startsWith)
    {
        const auto items = f.window->findChild<QTreeWidget *>(u"sidebar"_s)
                               ->findItems(startsWith, Qt::MatchRecursive | Qt::MatchStartsWith);
        return items.isEmpty() ? QString() : items.first()->text(0);
    }

    // "Add to Queue" (or "Start Now") from the add dialog, as the window hands it on.
    static QList<DownloadId> addFromDialog(MainWindowFixture &f, const QStringList &paths,
                                           bool startNow, const ProbeInfo &probed = {})
    {
        QList<DownloadRequest> requests;
        for (const QString &path : paths) {
            Resource r;
            r.body = deterministicBytes(64 * 1024, 7);
            r.etag = "\"q\"";
            f.server.setResource(path, r);
            DownloadRequest req;
            req.url = f.server.url(path);
            req.directory = f.out.path();
            req.probedName = probed.fileName;
            req.probedSize = probed.size;
            req.probedResumable = probed.resumable;
            requests.append(req);
        }
        return ui::RequestAdder(f.manager.get(), ui::RequestAdder::Question{})
            .add(requests, startNow)
            .added;
    }

    static QStringList shownPositions(const MainWindowFixture &f)
    {
        QStringList positions;
        const QAbstractItemModel *model = f.view()->model();
        for (int row = 0; row < model->rowCount(); ++row)
            positions.append(model->index(row, ui::TransferModel::Position).data().toString());
        return positions;
    }

    // One finished download, then one that holds the only slot, then `count` queued behind it.
    struct Queue
    {
        DownloadId done = 0;
        DownloadId busy = 0;
        QList<DownloadId> queued;
    };
    static Queue makeQueue(MainWindowFixture &f, int count)
    {
        Queue q;
        f.manager->setMaxConcurrentDownloads(1);
        q.done = f.add(u"/done.bin"_s, 64 * 1024);
        if (!QTest::qWaitFor(
                [&] { return f.manager->snapshot(q.done)->state == DownloadState::Completed; },
                20'000))
            return {};
        q.busy = f.add(u"/busy.bin"_s, 4 * 1024 * 1024, 64 * 1024);
        if (!QTest::qWaitFor(
                [&] { return f.manager->snapshot(q.busy)->state == DownloadState::Downloading; },
                20'000))
            return {};
        QStringList paths;
        for (int i = 1; i <= count; ++i)
            paths.append(u"/q%1"_s.arg(i));
        q.queued = addFromDialog(f, paths, false);
        return q;
    }

    static int rowOf(const MainWindowFixture &f, DownloadId id)
    {
        return int(shownOrder(f).indexOf(id));
    }

    // The rows of `ids`, as the list hands them to a drag.
    static std::unique_ptr<QMimeData> dragged(const MainWindowFixture &f,
                                              const QList<DownloadId> &ids)
    {
        QModelIndexList indexes;
        for (DownloadId id : ids)
            indexes.append(f.view()->model()->index(rowOf(f, id), ui::TransferModel::Name));
        return std::unique_ptr<QMimeData>(f.view()->model()->mimeData(indexes));
    }

    // A point of the list's viewport in the window's coordinates, where a drag arrives.
    static QPoint inWindow(const MainWindowFixture &f, const QPoint &viewportPos)
    {
        return f.view()->viewport()->mapTo(f.window.get(), viewportPos);
    }
    // The boundary above `row` of the list, a few pixels into the row above it or into `row`.
    static QPoint gapAbove(const MainWindowFixture &f, int row, int offset)
    {
        return QPoint(f.view()->viewport()->width() / 2,
                      f.view()->rowViewportPosition(row) + offset);
    }

    // A drag from the list entering at `from`, moving to `to` and let go there, as the window
    // system delivers it. Returns whether the list accepted the drop, and what it showed
    // as the landing place just before.
    struct DragResult
    {
        bool entered = false;
        bool dropped = false;
        int indicatorRow = -1;
    };
    static DragResult dragThrough(MainWindowFixture &f, const QMimeData *mime, const QPoint &from,
                                  const QPoint &to)
    {
        DragResult result;
        QWindow *handle = f.window->windowHandle();
        QDragEnterEvent enter(inWindow(f, from), Qt::MoveAction, mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(handle, &enter);
        result.entered = enter.isAccepted();
        if (!result.entered)
            return result;
        QDragMoveEvent move(inWindow(f, to), Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(handle, &move);
        result.indicatorRow = qobject_cast<ui::TransferView *>(f.view())->dropIndicatorRow();
        QDropEvent drop(QPointF(inWindow(f, to)), Qt::MoveAction, mime, Qt::LeftButton,
                        Qt::NoModifier);
        QCoreApplication::sendEvent(handle, &drop);
        result.dropped = drop.isAccepted();
        return result;
    }

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void addToQueue_isQueuedCountedAndShownWithWhatTheProbeFound()
    {
        MainWindowFixture f;
        f.manager->setMaxConcurrentDownloads(1);
        const DownloadId busy = f.add(u"/busy.bin"_s, 4 * 1024 * 1024, 64 * 1024);
        QTRY_COMPARE(f.manager->snapshot(busy)->state, DownloadState::Downloading);
        ProbeInfo probed;
        probed.fileName = u"probed.iso"_s;
        probed.size = 5 * 1024 * 1024;
        probed.resumable = true;
        QList<DownloadId> queued = addFromDialog(f, {u"/a"_s}, false, probed);
        queued += addFromDialog(f, {u"/b"_s}, false);
        QCOMPARE(queued.size(), 2);
        for (DownloadId id : queued)
            QCOMPARE(f.manager->snapshot(id)->state, DownloadState::Queued);
        QTRY_VERIFY(f.window->findChild<QLabel *>(u"counts"_s)->text().contains(u"2 queued"_s));
        QTRY_COMPARE(sidebarText(f, u"Queued"_s), u"Queued (2)"_s);
        QCOMPARE(sidebarText(f, u"Active"_s), u"Active (1)"_s);
        QCOMPARE(sidebarText(f, u"All"_s), u"All (3)"_s);

        // Before its own probe the row shows the add dialog's findings.
        const QAbstractItemModel *model = f.view()->model();
        const int row = int(shownOrder(f).indexOf(queued.first()));
        QCOMPARE(model->index(row, ui::TransferModel::Name).data().toString(), u"probed.iso"_s);
        QCOMPARE(model->index(row, ui::TransferModel::Size).data().toString(),
                 ui::formatSize(5 * 1024 * 1024));
        QVERIFY(f.manager->snapshot(queued.first())->resumable);

        // "Start Now" goes ahead of them and takes the next free slot.
        const DownloadId now = addFromDialog(f, {u"/now"_s}, true).constFirst();
        QCOMPARE(shownOrder(f).mid(0, 4),
                 (QList<DownloadId>{now, busy, queued.at(0), queued.at(1)}));
        QList<DownloadId> started;
        connect(f.manager.get(), &DownloadManager::stateChanged, this,
                [&](DownloadId id, DownloadState state) {
                    if (state == DownloadState::Downloading && !started.contains(id))
                        started.append(id);
                });
        f.manager->pause(busy);
        for (DownloadId id : {now, queued.at(0), queued.at(1)})
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Completed,
                                      20'000);
        QCOMPARE(started, (QList<DownloadId>{now, queued.at(0), queued.at(1)}));
        QTRY_COMPARE(sidebarText(f, u"Queued"_s), u"Queued (0)"_s);
    }

    void moveInQueue_movesTheRow_andTheOrderSurvivesARestart()
    {
        MainWindowFixture f;
        f.manager->setMaxConcurrentDownloads(1);
        const DownloadId busy = f.add(u"/busy.bin"_s, 4 * 1024 * 1024, 64 * 1024);
        QTRY_COMPARE(f.manager->snapshot(busy)->state, DownloadState::Downloading);
        const QList<DownloadId> q = addFromDialog(f, {u"/q1"_s, u"/q2"_s, u"/q3"_s}, false);
        QCOMPARE(shownOrder(f), (QList<DownloadId>{busy, q[0], q[1], q[2]}));
        QCOMPARE(f.view()->model()->index(3, ui::TransferModel::Position).data().toString(),
                 u"4"_s);

        f.view()->selectRow(3);
        f.action(u"Move Up in Queue"_s)->trigger();
        QCOMPARE(shownOrder(f), (QList<DownloadId>{busy, q[0], q[2], q[1]}));
        f.view()->selectRow(1);
        f.action(u"Move Down in Queue"_s)->trigger();
        const QList<DownloadId> expected{busy, q[2], q[0], q[1]};
        QCOMPARE(shownOrder(f), expected);
        QCOMPARE(f.view()->model()->index(1, ui::TransferModel::Position).data().toString(),
                 u"2"_s);

        // A restart: the same rows in the same order, none started meanwhile.
        f.window.reset();
        f.manager.reset();
        f.manager = std::make_unique<DownloadManager>(f.state.path());
        QString error;
        QVERIFY(f.manager->open(false, &error));
        f.window = std::make_unique<ui::MainWindow>(f.manager.get(), &f.prober, f.settings.get());
        f.window->show();
        QCOMPARE(shownOrder(f), expected);
    }

    void droppedRows_landBetweenOthers_inTheirOrder_finishedRowsMeanTheEnd()
    {
        MainWindowFixture f;
        const Queue q = makeQueue(f, 4);
        QCOMPARE(q.queued.size(), 4);
        const QList<DownloadId> &n = q.queued;
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[0], n[1], n[2], n[3], q.done}));
        QAbstractItemModel *model = f.view()->model();

        // A finished row has no place in the queue, so it cannot be dragged.
        QVERIFY(!(model->index(rowOf(f, q.done), 0).flags() & Qt::ItemIsDragEnabled));
        QVERIFY(model->index(rowOf(f, n[2]), 0).flags() & Qt::ItemIsDragEnabled);
        QVERIFY(!dragged(f, {q.done}));

        // #4 and #5, picked in any order, dropped above #2: they keep their order and go there.
        auto mime = dragged(f, {n[3], n[2]});
        QVERIFY(mime);
        QVERIFY(!mime->hasUrls() && !mime->hasText()); // nothing a browser or the window would take
        QVERIFY(model->canDropMimeData(mime.get(), Qt::MoveAction, rowOf(f, n[0]), 0, {}));
        QVERIFY(model->dropMimeData(mime.get(), Qt::MoveAction, rowOf(f, n[0]), 0, {}));
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[2], n[3], n[0], n[1], q.done}));
        QCOMPARE(shownPositions(f),
                 (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s, QString()}));

        // Rows dragged from another Ferry's list name that one's downloads: refused.
        QByteArray foreignIds;
        QDataStream out(&foreignIds, QIODevice::WriteOnly);
        out << QCoreApplication::applicationPid() + 1 << QList<DownloadId>{n[1]};
        QMimeData foreign;
        foreign.setData(ui::TransferModel::queueMimeType(), foreignIds);
        QVERIFY(!model->canDropMimeData(&foreign, Qt::MoveAction, 0, 0, {}));
        QVERIFY(!model->dropMimeData(&foreign, Qt::MoveAction, 0, 0, {}));
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[2], n[3], n[0], n[1], q.done}));

        // Onto the finished row, or below every row: the end of the queue.
        QVERIFY(
            model->dropMimeData(dragged(f, {n[2]}).get(), Qt::MoveAction, rowOf(f, q.done), 0, {}));
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[3], n[0], n[1], n[2], q.done}));
        QVERIFY(model->dropMimeData(dragged(f, {q.busy}).get(), Qt::MoveAction, model->rowCount(),
                                    0, {}));
        QCOMPARE(shownOrder(f), (QList<DownloadId>{n[3], n[0], n[1], n[2], q.busy, q.done}));
        QCOMPARE(f.manager->snapshot(q.busy)->state,
                 DownloadState::Downloading); // moved, not stopped

        // The engine keeps the order: it is what a restart shows.
        QList<DownloadSnapshot> stored = f.manager->snapshots();
        std::sort(stored.begin(), stored.end(),
                  [](const DownloadSnapshot &a, const DownloadSnapshot &b) {
                      return a.priority != b.priority ? a.priority > b.priority : a.id < b.id;
                  });
        QList<DownloadId> engineOrder;
        for (const DownloadSnapshot &s : std::as_const(stored)) {
            if (s.state != DownloadState::Completed)
                engineOrder.append(s.id);
        }
        QCOMPARE(engineOrder, (QList<DownloadId>{n[3], n[0], n[1], n[2], q.busy}));
    }

    void draggedRows_throughTheWindow_showWhereTheyLand_andMoveThere()
    {
        MainWindowFixture f;
        const Queue q = makeQueue(f, 3);
        QCOMPARE(q.queued.size(), 3);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        const QList<DownloadId> &n = q.queued;
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[0], n[1], n[2], q.done}));
        auto *view = qobject_cast<ui::TransferView *>(f.view());
        QVERIFY(view);
        const int h = view->rowHeight(0);

        // Let go in the lower half of #1: the line is under it, and #4 lands there.
        auto mime = dragged(f, {n[2]});
        DragResult r = dragThrough(f, mime.get(), gapAbove(f, 3, h / 2), gapAbove(f, 1, -h / 4));
        QVERIFY(r.entered);
        QCOMPARE(r.indicatorRow, 1);
        QVERIFY(r.dropped);
        QCOMPARE(view->dropIndicatorRow(), -1);
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[2], n[0], n[1], q.done}));

        // Over the finished row the line snaps to the end of the queue, above it.
        mime = dragged(f, {n[2], n[0]});
        r = dragThrough(f, mime.get(), gapAbove(f, 1, h / 2), gapAbove(f, 4, h / 2));
        QCOMPARE(r.indicatorRow, 4);
        QVERIFY(r.dropped);
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[1], n[2], n[0], q.done}));

        // Sorted by anything else the place would mean nothing: the list refuses the drag,
        // and so does the window (it is not a link).
        view->sortByColumn(ui::TransferModel::Size, Qt::AscendingOrder);
        QVERIFY(!view->showsQueueOrder());
        const QList<DownloadId> bySize = shownOrder(f);
        mime = dragged(f, {n[0]});
        r = dragThrough(f, mime.get(), gapAbove(f, 1, h / 2), gapAbove(f, 0, h / 4));
        QVERIFY(!r.entered);
        QCOMPARE(shownOrder(f), bySize);
        // A row pressed and pulled says why nothing moves.
        const QPoint row1 = gapAbove(f, 1, h / 2);
        view->selectRow(1);
        QTest::mousePress(view->viewport(), Qt::LeftButton, {}, row1);
        QTest::mouseMove(view->viewport(), row1 + QPoint(0, 3 * h));
        QTest::mouseMove(view->viewport(), row1 + QPoint(0, 4 * h));
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains(u"sort the list by #"_s));
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, row1 + QPoint(0, 4 * h));
        QCOMPARE(shownOrder(f), bySize);
        view->sortByColumn(ui::TransferModel::Position, Qt::AscendingOrder);
        QCOMPARE(shownOrder(f), (QList<DownloadId>{q.busy, n[1], n[2], n[0], q.done}));
    }

    void linkDroppedOnTheList_stillOpensTheAddDialog()
    {
        MainWindowFixture f;
        const Queue q = makeQueue(f, 2);
        QCOMPARE(q.queued.size(), 2);
        QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
        const QList<DownloadId> before = shownOrder(f);
        QString shown;
        ModalAnswerer answer([&](QWidget *modal) {
            if (auto *urls = modal->findChild<QPlainTextEdit *>(u"urlEdit"_s))
                shown = urls->toPlainText();
            if (auto *dialog = qobject_cast<QDialog *>(modal))
                dialog->reject();
        });
        QMimeData mime;
        mime.setUrls({QUrl(u"https://a.example.org/dropped.iso"_s)});
        // Right on a row of the list, as a browser's link is let go.
        const QPoint at = inWindow(f, gapAbove(f, 1, f.view()->rowHeight(1) / 2));
        QVERIFY(f.window->childAt(at) == f.view()->viewport());
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(f.window->windowHandle(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(f.window->windowHandle(), &drop);
        QTRY_COMPARE(shown, u"https://a.example.org/dropped.iso"_s);
        QCOMPARE(shownOrder(f), before);
        QCOMPARE(qobject_cast<ui::TransferView *>(f.view())->dropIndicatorRow(), -1);
    }
};

QTEST_MAIN(TestMainWindowQueue)
#include "tst_mainwindowqueue.moc"
