// How the main window ends: Quit and closing the window while downloads run, and the restart
// a new language needs.
#include "mainwindowquit.h"

#include "appsettings.h"
#include "mainwindow.h"

#include "api/downloadmanager.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QMessageBox>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace ferry::ui {

QuitPrompt::Answer QuitPrompt::ask(QWidget *parent, int running, bool trayAvailable,
                                   AppSettings *settings)
{
    if (running <= 0)
        return Answer::Quit;
    switch (settings->quitWhileRunning()) {
    case AppSettings::QuitWhileRunning::Quit:
        return Answer::Quit;
    case AppSettings::QuitWhileRunning::KeepInTray:
        if (trayAvailable)
            return Answer::KeepInTray;
        break; // nowhere to keep it: ask
    case AppSettings::QuitWhileRunning::Ask:
        break;
    }

    QMessageBox box(
        QMessageBox::Question, tr("Quit Ferry"),
        trayAvailable
            ? tr("%n download(s) are running. Quit anyway, keep running in the tray, or cancel?",
                 nullptr, running)
            : tr("%n download(s) are running. Quit anyway?", nullptr, running),
        QMessageBox::NoButton, parent);
    box.setObjectName(u"quitPrompt"_s);
    box.setInformativeText(settings->resumeAtStart()
                               ? tr("What is downloaded so far is kept; unfinished downloads go on "
                                    "the next time Ferry starts.")
                               : tr("What is downloaded so far is kept; unfinished downloads wait "
                                    "in the queue until you resume them."));
    QPushButton *quit = box.addButton(tr("&Quit"), QMessageBox::AcceptRole);
    quit->setObjectName(u"quitButton"_s);
    QPushButton *tray = nullptr;
    if (trayAvailable) {
        tray = box.addButton(tr("&Keep Running in Tray"), QMessageBox::ActionRole);
        tray->setObjectName(u"trayButton"_s);
    }
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    cancel->setObjectName(u"cancelButton"_s);
    auto *again = new QCheckBox(tr("&Don't ask again"), &box);
    again->setObjectName(u"dontAskAgain"_s);
    box.setCheckBox(again);
    // Quitting loses nothing (progress is on disk), so Enter does what Ctrl+Q asked for.
    box.setDefaultButton(quit);
    box.setEscapeButton(cancel);
    box.exec();

    const Answer answer = box.clickedButton() == quit           ? Answer::Quit
                          : tray && box.clickedButton() == tray ? Answer::KeepInTray
                                                                : Answer::Cancel;
    if (again->isChecked() && answer != Answer::Cancel) {
        settings->setQuitWhileRunning(answer == Answer::Quit
                                          ? AppSettings::QuitWhileRunning::Quit
                                          : AppSettings::QuitWhileRunning::KeepInTray);
        settings->sync();
    }
    return answer;
}

void MainWindow::requestQuit()
{
    switch (QuitPrompt::ask(this, m_manager->totals().active, m_tray != nullptr, m_settings)) {
    case QuitPrompt::Answer::Quit:
        m_quitting = true;
        close();
        QApplication::quit();
        return;
    case QuitPrompt::Answer::KeepInTray:
        hide();
        return;
    case QuitPrompt::Answer::Cancel:
        return;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_quitting) {
        event->accept();
        return;
    }
    // Closing to the tray is asked for in Settings and stops nothing, so it needs no question.
    if (m_tray && m_settings->closeToTray()) {
        hide();
        event->ignore();
        return;
    }
    // Otherwise closing the window is quitting, with Quit's question: the application does
    // not end with its last window on its own (it may live on in the tray).
    switch (QuitPrompt::ask(this, m_manager->totals().active, m_tray != nullptr, m_settings)) {
    case QuitPrompt::Answer::Quit:
        m_quitting = true;
        event->accept();
        QApplication::quit();
        return;
    case QuitPrompt::Answer::KeepInTray:
        hide();
        event->ignore();
        return;
    case QuitPrompt::Answer::Cancel:
        event->ignore();
        return;
    }
}

void MainWindow::offerRestart()
{
    QMessageBox box(QMessageBox::Question, tr("Restart Ferry"),
                    tr("Ferry shows the new language after a restart. Restart now?"),
                    QMessageBox::NoButton, this);
    box.setObjectName(u"restartPrompt"_s);
    if (const int running = m_manager->totals().active; running > 0) {
        box.setInformativeText(
            m_settings->resumeAtStart()
                ? tr("%n running download(s) stop for the restart and then go on.", nullptr,
                     running)
                : tr("%n running download(s) stop and wait in the queue until you resume them.",
                     nullptr, running));
    }
    QPushButton *now = box.addButton(tr("&Restart Now"), QMessageBox::AcceptRole);
    now->setObjectName(u"restartNowButton"_s);
    QPushButton *later = box.addButton(tr("&Later"), QMessageBox::RejectRole);
    later->setObjectName(u"restartLaterButton"_s);
    box.setDefaultButton(now);
    box.setEscapeButton(later);
    box.exec();
    if (box.clickedButton() == now)
        emit restartRequested();
}

} // namespace ferry::ui
