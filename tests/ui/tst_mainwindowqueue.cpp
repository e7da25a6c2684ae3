// The window's queue: "Add to Queue" waits as Queued and is counted so, the list shows the
// queue's order, and moving a download in the queue moves its row, across a restart too.
#include "mainwindowfixture.h"
#include "format.h"
#include "requestadder.h"
#include "transfermodel.h"

#include <QLabel>
#include <QStandardPaths>
#include <QTreeWidget>

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
    static QList<DownloadId> addFromDialog(MainWindowFixture &f, const QStringList &paths, bool startNow,
                                           const ProbeInfo &probed = {})
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
        return ui::RequestAdder(f.manager.get(), {}).add(requests, startNow).added;
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
        QCOMPARE(model->index(row, ui::TransferModel::Size).data().toString(), ui::formatSize(5 * 1024 * 1024));
        QVERIFY(f.manager->snapshot(queued.first())->resumable);

        // "Start Now" goes ahead of them and takes the next free slot.
        const DownloadId now = addFromDialog(f, {u"/now"_s}, true).constFirst();
        QCOMPARE(shownOrder(f).mid(0, 4), (QList<DownloadId>{now, busy, queued.at(0), queued.at(1)}));
        QList<DownloadId> started;
        connect(f.manager.get(), &DownloadManager::stateChanged, this, [&](DownloadId id, DownloadState state) {
            if (state == DownloadState::Downloading && !started.contains(id))
                started.append(id);
        });
        f.manager->pause(busy);
        for (DownloadId id : {now, queued.at(0), queued.at(1)})
            QTRY_COMPARE_WITH_TIMEOUT(f.manager->snapshot(id)->state, DownloadState::Completed, 20'000);
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
        QCOMPARE(f.view()->model()->index(3, ui::TransferModel::Position).data().toString(), u"4"_s);

        f.view()->selectRow(3);
        f.action(u"Move Up in Queue"_s)->trigger();
        QCOMPARE(shownOrder(f), (QList<DownloadId>{busy, q[0], q[2], q[1]}));
        f.view()->selectRow(1);
        f.action(u"Move Down in Queue"_s)->trigger();
        const QList<DownloadId> expected{busy, q[2], q[0], q[1]};
        QCOMPARE(shownOrder(f), expected);
        QCOMPARE(f.view()->model()->index(1, ui::TransferModel::Position).data().toString(), u"2"_s);

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
};

QTEST_MAIN(TestMainWindowQueue)
#include "tst_mainwindowqueue.moc"
