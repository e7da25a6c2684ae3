#pragma once

// The window over a real engine and an in-process HTTP server, for the tests of what the
// window does with keys, prompts and the desktop.
#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "faultserver.h"
#include "mainwindow.h"
#include "sandbox.h"

#include <QAction>
#include <QApplication>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>

namespace ferry::test {

struct MainWindowFixture
{
    QTemporaryDir state;
    QTemporaryDir out;
    FaultServer server;
    std::unique_ptr<QSettings> qsettings;
    std::unique_ptr<ui::AppSettings> settings;
    std::unique_ptr<DownloadManager> manager;
    UrlProber prober;
    std::unique_ptr<ui::MainWindow> window;

    MainWindowFixture()
    {
        using namespace Qt::StringLiterals;
        server.start();
        qsettings =
            std::make_unique<QSettings>(state.filePath(u"settings.ini"_s), QSettings::IniFormat);
        settings = std::make_unique<ui::AppSettings>(qsettings.get());
        settings->setCloseToTray(false);
        manager = std::make_unique<DownloadManager>(state.path());
        QString error;
        if (!manager->open(true, &error))
            qFatal("%s", qPrintable(error));
        window = std::make_unique<ui::MainWindow>(manager.get(), &prober, settings.get());
        window->show();
    }

    // A download of `size` bytes served at `bytesPerSecond` (0: as fast as it goes).
    DownloadId add(const QString &path, qint64 size, qint64 bytesPerSecond = 0)
    {
        Resource r;
        r.body = deterministicBytes(size, quint32(size));
        r.etag = "\"e\"";
        server.setResource(path, r);
        Faults f;
        f.bytesPerSecond = bytesPerSecond;
        server.setFaults(path, f);
        DownloadRequest req;
        req.url = server.url(path);
        req.directory = out.path();
        QString error;
        return manager->add(req, &error);
    }

    QTableView *view() const
    {
        return window->findChild<QTableView *>(QStringLiteral("transferView"));
    }
    int rows() const { return view()->model()->rowCount(); }
    QAction *action(const QString &text) const
    {
        for (QAction *a : window->findChildren<QAction *>()) {
            if (a->text().remove(u'&') == text)
                return a;
        }
        return nullptr;
    }
    // Shortcuts reach only the active window.
    bool activate() const
    {
        window->activateWindow();
        return QTest::qWaitForWindowActive(window.get());
    }
};

// Runs `answer` on each modal dialog that opens while it lives (a dialog runs its own event
// loop, so the test looks at it from a timer); `answer` must close it.
class ModalAnswerer
{
public:
    explicit ModalAnswerer(std::function<void(QWidget *)> answer) : m_answer(std::move(answer))
    {
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            QWidget *modal = QApplication::activeModalWidget();
            if (!modal)
                return;
            ++m_seen;
            m_answer(modal);
        });
        m_timer.start(20);
    }
    int seen() const { return m_seen; }

private:
    std::function<void(QWidget *)> m_answer;
    QTimer m_timer;
    int m_seen = 0;
};

} // namespace ferry::test
