// Measures the window with a large history: how long 10,000 downloads take to load and show,
// and how long a frame takes while scrolling through them and while a batch of them updates.
// Runs offscreen; prints a Markdown table. Usage: ferry-listbench [COUNT] [REPORT.md]
// REPORT.md gets (or has replaced) the section "## Window with a large history (COUNT downloads)".
#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "mainwindow.h"
#include "storage/storage.h"

#include "benchreport.h"
#include "benchstats.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

using ferry::bench::percentile;

namespace {

void fill(const QString &stateDir, int count)
{
    ferry::Storage storage(stateDir + u"/ferry.sqlite"_s);
    QString error;
    if (!storage.open(&error))
        qFatal("%s", qPrintable(error));
    const char *suffixes[] = {"iso", "zip", "mkv", "mp3", "pdf", "deb", "tar.gz", "png"};
    for (int i = 0; i < count; ++i) {
        ferry::StoredDownload d;
        d.url = QUrl(u"https://mirror%1.example.org/pub/files/item-%2.%3"_s.arg(i % 7).arg(i).arg(
            QLatin1StringView(suffixes[i % 8])));
        d.directory = stateDir;
        d.fileName = d.url.fileName();
        d.targetPath = stateDir + u'/' + d.fileName;
        d.total = 1024LL * 1024 * (1 + i % 900);
        d.resumable = true;
        d.state = (i % 10 == 0)   ? ferry::DownloadState::Paused
                  : (i % 13 == 0) ? ferry::DownloadState::Failed
                                  : ferry::DownloadState::Completed;
        d.message = d.state == ferry::DownloadState::Failed
                        ? u"The server no longer has this file (404 Not Found)."_s
                        : QString();
        d.added = QDateTime::currentDateTimeUtc().addSecs(-i * 60);
        d.segments = {
            {0, d.total, d.state == ferry::DownloadState::Completed ? d.total : d.total / 3}};
        storage.insert(d);
    }
    storage.flush();
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int count = argc > 1 ? QByteArray(argv[1]).toInt() : 10'000;
    const QString report = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QString();
    QTemporaryDir state;
    const QString loadAtStart = ferry::bench::loadAverage();

    QElapsedTimer t;
    t.start();
    fill(state.path(), count);
    const qint64 fillMs = t.restart();

    QSettings qs(state.filePath(u"settings.ini"_s), QSettings::IniFormat);
    ferry::ui::AppSettings settings(&qs);
    ferry::DownloadManager manager(state.path());
    QString error;
    if (!manager.open(false, &error))
        qFatal("%s", qPrintable(error));
    const qint64 loadMs = t.restart();
    ferry::UrlProber prober;
    ferry::ui::MainWindow window(&manager, &prober, &settings);
    window.resize(1280, 800);
    window.show();
    QImage frame = window.grab().toImage(); // the first complete paint of the window
    const qint64 showMs = t.restart();

    auto *view = window.findChild<QTableView *>(u"transferView"_s);
    std::vector<double> scrollFrames;
    QScrollBar *bar = view->verticalScrollBar();
    for (int step = 0; bar->value() < bar->maximum() && step < 400; ++step) {
        QElapsedTimer f;
        f.start();
        bar->setValue(bar->value() + bar->pageStep() / 2);
        frame = view->viewport()->grab().toImage(); // a real render of the visible rows
        scrollFrames.push_back(double(f.nsecsElapsed()) / 1e6);
    }

    // A tick in which 500 downloads changed, as when many run or are paused at once.
    QList<ferry::DownloadSnapshot> all = manager.snapshots();
    std::vector<double> updateFrames;
    for (int round = 0; round < 20; ++round) {
        QList<ferry::DownloadSnapshot> changed;
        for (int i = 0; i < 500 && i < all.size(); ++i) {
            ferry::DownloadSnapshot s = all[(round * 500 + i) % all.size()];
            s.done = s.total / (2 + round);
            changed.append(s);
        }
        QElapsedTimer f;
        f.start();
        emit manager.snapshotsUpdated(changed);
        frame = view->viewport()->grab().toImage(); // a real render of the visible rows
        updateFrames.push_back(double(f.nsecsElapsed()) / 1e6);
    }

    const QString heading = u"## Window with a large history (%1 downloads)"_s.arg(count);
    const QString table = uR"(## Window with a large history (%1 downloads)

Measured by `build/bench/ferry-listbench %1` (offscreen platform, Release build) %12.

| step | measured | target |
|---|---|---|
| load the state database (`DownloadManager::open`) | %2 ms | |
| build and paint the window | %3 ms | |
| **open: load + first paint** | **%4 ms** | < 1000 ms |
| scrolling, frame time median / p99 / max | %5 / %6 / %7 ms (%8 frames) | < 16 ms |
| 500 downloads changed in one tick, model update + repaint median / max | %9 / %10 ms | < 16 ms |

(Creating the test database took %11 ms and is not part of opening.)
)"_s.arg(count)
                              .arg(loadMs)
                              .arg(showMs)
                              .arg(loadMs + showMs)
                              .arg(percentile(scrollFrames, 0.5), 0, 'f', 2)
                              .arg(percentile(scrollFrames, 0.99), 0, 'f', 2)
                              .arg(percentile(scrollFrames, 1.0), 0, 'f', 2)
                              .arg(scrollFrames.size())
                              .arg(percentile(updateFrames, 0.5), 0, 'f', 2)
                              .arg(percentile(updateFrames, 1.0), 0, 'f', 2)
                              .arg(fillMs)
                              .arg(ferry::bench::runConditions(loadAtStart));
    std::fputs(qPrintable(table), stdout);
    if (!report.isEmpty())
        ferry::bench::writeSection(report, heading, table);
    Q_UNUSED(frame);
    return 0;
}
