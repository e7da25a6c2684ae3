// MainWindow: the scheduled queue and "when everything is done".
#include "mainwindow.h"

#include "messagebar.h"
#include "ratelimitbox.h"
#include "schedulerdialog.h"
#include "whendonemenu.h"

#include "schedule/logind.h"
#include "schedule/scheduler.h"
#include "schedule/whendone.h"

#include <QAction>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QToolBar>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ferry::ui {

void MainWindow::setScheduler(Scheduler *scheduler)
{
    m_scheduler = scheduler;
    auto *showDialog = new QAction(icon("schedule"), tr("Sch&eduler…"), this);
    showDialog->setObjectName(u"schedulerAction"_s);
    connect(showDialog, &QAction::triggered, this, &MainWindow::showScheduler);
    auto *startQueue = new QAction(tr("Start &Queue Now"), this);
    startQueue->setObjectName(u"startQueueAction"_s);
    connect(startQueue, &QAction::triggered, scheduler, &Scheduler::startNow);
    auto *stopQueue = new QAction(tr("Stop Queue No&w"), this);
    stopQueue->setObjectName(u"stopQueueAction"_s);
    connect(stopQueue, &QAction::triggered, scheduler, &Scheduler::stopNow);
    if (auto *downloads = findChild<QMenu *>(u"downloadsMenu"_s)) {
        downloads->addSeparator();
        downloads->addActions({showDialog, startQueue, stopQueue});
    }

    m_queueLabel = new QLabel(this);
    m_queueLabel->setObjectName(u"queueStatus"_s);
    statusBar()->addWidget(m_queueLabel);
    const auto update = [this, startQueue, stopQueue] {
        startQueue->setEnabled(!m_scheduler->queueRunning() && !m_scheduler->queued().isEmpty());
        stopQueue->setEnabled(m_scheduler->queueRunning());
        updateQueueStatus();
    };
    connect(scheduler, &Scheduler::queueChanged, this, update);
    update();
    connect(scheduler, &Scheduler::notice, this, &MainWindow::showNotice);
    // The status bar's limit is the one outside the speed schedule; the box shows what holds.
    scheduler->setBaseRateLimit(m_limitBox->bytesPerSecond());
    connect(m_limitBox, &RateLimitBox::bytesPerSecondChanged, scheduler,
            &Scheduler::setBaseRateLimit);
    connect(scheduler, &Scheduler::rateLimitApplied, m_limitBox, &RateLimitBox::setBytesPerSecond);
}

void MainWindow::showScheduler()
{
    SchedulerDialog dialog(m_scheduler->schedule(), this);
    if (dialog.exec() == QDialog::Accepted)
        m_scheduler->setSchedule(dialog.schedule());
}

void MainWindow::updateQueueStatus()
{
    if (!m_queueLabel)
        return;
    const QDateTime next = m_scheduler->nextStart();
    if (!m_scheduler->waiting() || !next.isValid()) {
        m_queueLabel->clear();
        return;
    }
    const QString time = next.time().toString(u"HH:mm"_s);
    // Beyond tomorrow the day is named as well.
    m_queueLabel->setText(
        m_scheduler->now().date().daysTo(next.date()) <= 1
            ? tr("Queue starts at %1").arg(time)
            : tr("Queue starts on %1 at %2").arg(QLocale().dayName(next.date().dayOfWeek()), time));
}

void MainWindow::queueAdded(const RequestAdder::Outcome &outcome, bool startNow)
{
    // "Add to Queue" with a schedule on: the downloads wait for its start.
    if (startNow || !m_scheduler || !m_scheduler->schedule().queueEnabled)
        return;
    for (DownloadId id : outcome.added)
        m_scheduler->enqueue(id);
}

void MainWindow::setWhenDone(WhenDone *whenDone, Logind *logind)
{
    m_whenDone = whenDone;
    auto *menu = new WhenDoneMenu(whenDone, logind, this);
    auto *button = new QToolButton(this);
    button->setObjectName(u"whenDoneButton"_s);
    button->setMenu(menu);
    button->setPopupMode(QToolButton::InstantPopup);
    button->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    button->setIcon(icon("when-done"));
    const auto label = [button](WhenDone::Action action) {
        button->setText(action == WhenDone::Action::Nothing
                            ? tr("When Done")
                            : QString(WhenDoneMenu::label(action)).remove(u'&'));
        button->setToolTip(tr("What Ferry does when every download is done"));
    };
    label(whenDone->action());
    connect(whenDone, &WhenDone::actionChanged, button, label);
    if (auto *bar = findChild<QToolBar *>(u"mainToolBar"_s))
        bar->addWidget(button);
    if (m_tray && m_tray->contextMenu()) {
        QMenu *trayMenu = m_tray->contextMenu();
        trayMenu->insertMenu(trayMenu->actions().value(1),
                             new WhenDoneMenu(whenDone, logind, trayMenu));
    }

    connect(whenDone, &WhenDone::countdown, this, [this](WhenDone::Action action, int left) {
        QString text;
        switch (action) {
        case WhenDone::Action::Quit:
            text = tr("Every download is done. Ferry quits in %n second(s).", nullptr, left);
            break;
        case WhenDone::Action::Suspend:
            text = tr("Every download is done. The computer is suspended in %n second(s).", nullptr,
                      left);
            break;
        case WhenDone::Action::PowerOff:
            text = tr("Every download is done. The computer powers off in %n second(s).", nullptr,
                      left);
            break;
        case WhenDone::Action::Nothing:
            return;
        }
        m_messageBar->showMessage(text, tr("Cancel"), [this] { m_whenDone->cancel(); });
    });
    connect(whenDone, &WhenDone::countdownStopped, m_messageBar, &QWidget::hide);
    connect(whenDone, &WhenDone::quitRequested, this, &MainWindow::requestQuit);
    connect(logind, &Logind::failed, this, &MainWindow::showNotice);
}

} // namespace ferry::ui
