// Measures the S3 browser on a prefix with 100,000 objects: how long the first rows take to
// appear, how long a frame takes while the user pages down to the last object (pages of 1,000
// are listed as the view reaches its end), how long a page takes to join the table, and how
// the filter box and a column sort behave with every row loaded. The endpoint is an in-process
// server that invents the listing and answers each request after a delay, like a remote region.
// Runs offscreen; prints a Markdown table.
// Usage: ferry-s3listbench [COUNT] [REPORT.md] [DELAY_MS]
// REPORT.md gets (or has replaced) the section "## S3 browser with a large prefix (COUNT objects)".
#include "s3objectmodel.h"
#include "s3panel.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"

#if __has_include("cannedlistserver.h")
#include "cannedlistserver.h"
#define FERRY_HAVE_CANNED_SERVER 1
#endif

#include "benchreport.h"
#include "benchstats.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QScrollBar>
#include <QSet>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

#ifndef FERRY_HAVE_CANNED_SERVER
int main()
{
    std::fputs("ferry-s3listbench needs the test support library: configure with "
               "BUILD_TESTING=ON.\n",
               stderr);
    return 2;
}
#else
using ferry::test::CannedListServer;
using ferry::ui::S3ObjectModel;

using ferry::bench::percentile;
using ferry::bench::writeSection;

namespace {

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

// Spins the event loop until `done` or `timeoutMs`; false on timeout.
bool waitFor(const std::function<bool()> &done, int timeoutMs = 60'000)
{
    QTimer heartbeat; // wakes the blocking event loop to look at `done` and the clock
    heartbeat.start(20);
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

qint64 peakRssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 100'000;
    const QString report = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    const int delayMs = argc > 3 ? QByteArray(argv[3]).toInt() : 30;

    CannedListServer::Options options;
    options.objectCount = count;
    options.delayMs = delayMs;
    CannedListServer server(options);
    if (!server.isListening())
        qFatal("the listing server could not listen on 127.0.0.1");

    QTemporaryDir state;
    ferry::s3::AccountStore accounts(state.filePath(u"settings.ini"_s));
    ferry::s3::CredentialStore credentials(std::make_unique<ferry::s3::MemoryKeychain>(),
                                           QProcessEnvironment());
    ferry::DownloadManager manager(state.filePath(u"state"_s));
    ferry::S3Transfers transfers(&manager);
    QString error;
    if (!manager.open(false, &error))
        qFatal("%s", qPrintable(error));
    ferry::ui::S3Panel panel(&transfers, &accounts, &credentials,
                             [&state] { return state.filePath(u"downloads"_s); });
    panel.setAwsConfig({});
    panel.resize(900, 700);
    panel.show();

    ferry::s3::Account account;
    account.name = u"Large listing"_s;
    account.endpoint = server.endpoint();
    account.pathStyle = true;
    if (const QString why = accounts.add(account); !why.isEmpty())
        qFatal("%s", qPrintable(why));
    bool saved = false;
    credentials.save(
        account, {u"AKIDBENCH"_s, u"bench-secret"_s, {}},
        [&](ferry::s3::CredentialStore::SaveOutcome, const QString &) { saved = true; });
    S3ObjectModel *model = panel.model();
    QTableView *view = panel.view();
    if (!waitFor([&] { return saved; }))
        qFatal("the keys were not stored");
    // The only bucket opens by itself, at its root, which holds the one folder.
    panel.openAccount(account.id);
    if (!waitFor([&] { return model->isComplete() && model->rowCount() == 1; }))
        qFatal("the bucket did not open: %s", qPrintable(panel.messageText()));
    QImage frame = view->viewport()->grab().toImage();

    // Open the folder: the first page arrives after one round trip and is painted.
    server.resetCounters();
    QElapsedTimer sinceOpen;
    sinceOpen.start();
    panel.openPrefix(options.prefix);
    if (!waitFor([&] { return model->rowCount() > 0; }))
        qFatal("the first page did not arrive");
    QCoreApplication::processEvents(); // the view's deferred layout
    frame = view->viewport()->grab().toImage();
    const double openMs = msSince(sinceOpen);
    const int requestsAfterOpen = server.listRequests();
    const int rowsAfterOpen = model->rowCount();

    // Page down like a user holding PgDn. At the end of the loaded rows the view asks for the
    // next page; the time the arrived page takes on the GUI thread (parse, insert, sort, repaint)
    // is measured separately from the scroll frames.
    bool pageArrived = false;
    QObject::connect(model, &S3ObjectModel::pageLoaded, &app, [&] { pageArrived = true; });
    std::vector<double> scrollFrames;
    std::vector<double> pageFrames;
    // Of a page's pass, the part that inserts it into the model, the sorting proxy and the view:
    // the part that would grow with the rows already loaded if an insert re-sorted everything.
    std::vector<double> insertTimes;
    QElapsedTimer insertTimer;
    QObject::connect(model, &QAbstractItemModel::rowsAboutToBeInserted, &app,
                     [&] { insertTimer.start(); });
    QObject::connect(model, &QAbstractItemModel::rowsInserted, &app,
                     [&] { insertTimes.push_back(msSince(insertTimer)); });
    double waitedMs = 0;
    int stuck = 0;
    QScrollBar *bar = view->verticalScrollBar();
    const QString lastName = server.name(count - 1);
    auto lastRowVisible = [&] {
        if (!model->isComplete() || bar->value() != bar->maximum())
            return false;
        const QModelIndex bottom = view->indexAt(QPoint(1, view->viewport()->height() - 2));
        return view->model()->index(view->model()->rowCount() - 1, 0).data().toString() ==
                   lastName &&
               (!bottom.isValid() || bottom.row() == view->model()->rowCount() - 1);
    };
    while (!lastRowVisible()) {
        QElapsedTimer f;
        f.start();
        bar->setValue(std::min(bar->maximum(), bar->value() + bar->pageStep()));
        frame = view->viewport()->grab().toImage();
        scrollFrames.push_back(msSince(f));
        if (!model->isLoading()) {
            // At the end of the loaded rows the view must have asked for the next page.
            if (bar->value() == bar->maximum() && !model->isComplete() && ++stuck > 3)
                qFatal("the view asked for no next page at row %d", model->rowCount());
            continue;
        }
        stuck = 0;
        // Wait for the page without blocking in the event loop, so that the pass in which it
        // arrives measures work (parse, insert, sort) and no idle time.
        pageArrived = false;
        QElapsedTimer wait;
        wait.start();
        double arrivalMs = 0;
        while (!pageArrived) {
            QElapsedTimer pass;
            pass.start();
            QCoreApplication::processEvents();
            if (pageArrived)
                arrivalMs = msSince(pass);
            else
                QThread::usleep(200);
            if (wait.elapsed() > 60'000)
                qFatal("a page did not arrive within a minute");
        }
        QElapsedTimer paint;
        paint.start();
        QCoreApplication::processEvents(); // the view's deferred layout
        frame = view->viewport()->grab().toImage();
        arrivalMs += msSince(paint);
        pageFrames.push_back(arrivalMs);
        waitedMs += msSince(wait) - arrivalMs;
        if (model->lastError().isError())
            qFatal("listing failed: %s", qPrintable(model->lastError().message));
    }
    const double reachMs = msSince(sinceOpen);
    // Every page but the first was inserted while paging; compare the early and the late ones.
    const size_t tenth = std::max<size_t>(1, insertTimes.size() / 10);
    const std::vector<double> earlyInserts(
        insertTimes.begin(), insertTimes.begin() + std::min(tenth, insertTimes.size()));
    const std::vector<double> lateInserts(insertTimes.end() - std::min(tenth, insertTimes.size()),
                                          insertTimes.end());
    const int listRequests = server.listRequests();
    const QStringList tokens = server.continuationTokens();
    const int distinctTokens = int(QSet<QString>(tokens.begin(), tokens.end()).size());

    // Type into the filter box with every row loaded: each keystroke refilters 100,000 names.
    auto *filter = panel.findChild<QLineEdit *>(u"s3Filter"_s);
    const QString typed = u"obj-0999"_s;
    std::vector<double> keyFrames;
    QElapsedTimer filterTotal;
    filterTotal.start();
    for (const QChar c : typed) {
        QElapsedTimer f;
        f.start();
        QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
        QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
        QCoreApplication::sendEvent(filter, &press);
        QCoreApplication::sendEvent(filter, &release);
        QCoreApplication::processEvents();
        frame = view->viewport()->grab().toImage();
        keyFrames.push_back(msSince(f));
    }
    const double filterMs = msSince(filterTotal);
    const int filteredRows = view->model()->rowCount();
    const int requestsWhileFiltering = server.listRequests() - listRequests;
    QElapsedTimer clearTimer;
    clearTimer.start();
    filter->clear();
    QCoreApplication::processEvents();
    frame = view->viewport()->grab().toImage();
    const double clearMs = msSince(clearTimer);

    // Sort by size (a click on the header), then back by name.
    QElapsedTimer sortTimer;
    sortTimer.start();
    view->sortByColumn(S3ObjectModel::Size, Qt::DescendingOrder);
    QCoreApplication::processEvents();
    frame = view->viewport()->grab().toImage();
    const double sortMs = msSince(sortTimer);
    view->sortByColumn(S3ObjectModel::Name, Qt::AscendingOrder);
    QCoreApplication::processEvents();

    // Open the folder afresh and drag the scroll bar to the end each time a page has arrived:
    // the quickest way a user reaches the last object.
    server.resetCounters();
    QElapsedTimer dragTimer;
    dragTimer.start();
    panel.refresh();
    while (!lastRowVisible()) {
        if (!waitFor([&] { return !model->isLoading(); }))
            qFatal("a page did not arrive within a minute");
        QCoreApplication::processEvents(); // the view's deferred layout
        bar->setValue(bar->maximum());
        frame = view->viewport()->grab().toImage();
    }
    const double dragMs = msSince(dragTimer);
    const int dragRequests = server.listRequests();

    const qint64 rssKiB = peakRssKiB();
    const int pages = (count + 999) / 1000;
    const QString heading = u"## S3 browser with a large prefix (%1 objects)"_s.arg(count);
    const QString table = heading + uR"(

Measured by `build/bench/ferry-s3listbench %1` (offscreen platform, Release build): the S3 panel
on a folder of %1 objects served by an in-process endpoint that answers each ListObjectsV2
request after %2 ms; the user pages down to the last object, types into the filter box, sorts,
then opens the folder again and drags the scroll bar to the end.

| step | measured | target |
|---|---|---|
| **open the folder: first rows painted** (one round trip included) | **%3 ms** (%4 rows, %5 list request) | < 1000 ms |
| paging down, frame time median / p99 / max | %6 / %7 / %8 ms (%9 frames) | < 16 ms |
| a page of 1,000 arrives: its event-loop pass (read, parse the XML, insert) + repaint, median / p99 / max | %10 / %11 / %12 ms (%13 pages) | |
| … of which inserting it into model, sorted proxy and view, median / max; first tenth of the pages vs last tenth (median) | %14 / %15 ms; %16 vs %17 ms | flat |
| list requests while paging to the end | %18 (%19 distinct pages of %20, at most %21 at once) | one per page, on demand |
| last object reachable, paging down at machine speed (%22 ms of it waiting for the server) | %23 ms | |
| **last object reachable, dragging the scroll bar to the end as each page arrives** | **%34 ms** (%35 list requests) | |
| filter box: typing "%24" (%25 keystrokes) over %1 rows, per keystroke median / max | %26 / %27 ms (%28 ms in all, %29 rows match, %30 list requests) | < 100 ms |
| clear the filter (all %1 rows back, re-sorted) | %31 ms | |
| sort %1 rows by size (header click) | %32 ms | |
| peak RSS (VmHWM) at the end | %33 MiB | |
)"_s.arg(count)
                                        .arg(delayMs)
                                        .arg(openMs, 0, 'f', 0)
                                        .arg(rowsAfterOpen)
                                        .arg(requestsAfterOpen)
                                        .arg(percentile(scrollFrames, 0.5), 0, 'f', 2)
                                        .arg(percentile(scrollFrames, 0.99), 0, 'f', 2)
                                        .arg(percentile(scrollFrames, 1.0), 0, 'f', 2)
                                        .arg(scrollFrames.size())
                                        .arg(percentile(pageFrames, 0.5), 0, 'f', 2)
                                        .arg(percentile(pageFrames, 0.99), 0, 'f', 2)
                                        .arg(percentile(pageFrames, 1.0), 0, 'f', 2)
                                        .arg(pageFrames.size())
                                        .arg(percentile(insertTimes, 0.5), 0, 'f', 2)
                                        .arg(percentile(insertTimes, 1.0), 0, 'f', 2)
                                        .arg(percentile(earlyInserts, 0.5), 0, 'f', 2)
                                        .arg(percentile(lateInserts, 0.5), 0, 'f', 2)
                                        .arg(listRequests)
                                        .arg(distinctTokens)
                                        .arg(pages)
                                        .arg(server.maxConcurrentListRequests())
                                        .arg(waitedMs, 0, 'f', 0)
                                        .arg(reachMs, 0, 'f', 0)
                                        .arg(typed)
                                        .arg(typed.size())
                                        .arg(percentile(keyFrames, 0.5), 0, 'f', 2)
                                        .arg(percentile(keyFrames, 1.0), 0, 'f', 2)
                                        .arg(filterMs, 0, 'f', 0)
                                        .arg(filteredRows)
                                        .arg(requestsWhileFiltering)
                                        .arg(clearMs, 0, 'f', 1)
                                        .arg(sortMs, 0, 'f', 0)
                                        .arg(double(rssKiB) / 1024.0, 0, 'f', 0)
                                        .arg(dragMs, 0, 'f', 0)
                                        .arg(dragRequests);
    std::fputs(qPrintable(table), stdout);
    if (!report.isEmpty())
        writeSection(report, heading, table);
    Q_UNUSED(frame);
    return 0;
}
#endif
