// The window with a scheduler and "when done": the Downloads menu offers the Scheduler and the
// queue commands, the status bar names the start time while the queue waits, and the countdown
// in the message bar can be cancelled.
#include "fakeclock.h"
#include "mainwindowfixture.h"
#include "messagebar.h"
#include "schedule/logind.h"
#include "schedule/scheduler.h"
#include "schedule/whendone.h"

#include <QLabel>
#include <QPushButton>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

QDateTime monday(int h, int m = 0)
{
    return QDateTime(QDate(2026, 11, 30), QTime(h, m));
}

} // namespace

class TestMainWindowSchedule final : public QObject
{
    Q_OBJECT
private slots:
    void waitingQueue_namedInStatusBar_startedByHand()
    {
        MainWindowFixture f;
        FakeClock clock(monday(1));
        Scheduler scheduler(f.manager.get(), &clock, f.qsettings.get());
        f.window->setScheduler(&scheduler);
        Schedule s;
        s.queueEnabled = true;
        s.queue = *TimeWindow::fromString(u"mon,tue,wed,thu,fri,sat,sun 02:00-06:00"_s);
        scheduler.setSchedule(s);
        auto *label = f.window->findChild<QLabel *>(u"queueStatus"_s);
        QVERIFY(label);
        QCOMPARE(label->text(), u"Queue starts at 02:00"_s);

        QVERIFY(f.action(u"Scheduler…"_s));
        QAction *start = f.action(u"Start Queue Now"_s);
        QAction *stop = f.action(u"Stop Queue Now"_s);
        QVERIFY(start && stop);
        QVERIFY(!start->isEnabled()); // nothing waits in the queue yet
        const DownloadId id = f.add(u"/q"_s, 4 * 1024 * 1024, 256 * 1024);
        scheduler.enqueue(id);
        QVERIFY(start->isEnabled());
        start->trigger();
        QVERIFY(label->text().isEmpty());
        QVERIFY(stop->isEnabled());
        QTRY_COMPARE(f.manager->snapshot(id)->state, DownloadState::Downloading);
        stop->trigger();
        QTRY_COMPARE(f.manager->snapshot(id)->state, DownloadState::Paused);
        QCOMPARE(label->text(), u"Queue starts at 02:00"_s);
    }

    void countdown_inMessageBar_cancelled()
    {
        MainWindowFixture f;
        FakeClock clock(monday(12));
        Logind logind(u"unix:path=/nonexistent/ferry-test-bus"_s); // never reached here
        WhenDone whenDone(f.manager.get(), &logind, &clock);
        f.window->setWhenDone(&whenDone, &logind);
        auto *button = f.window->findChild<QToolButton *>(u"whenDoneButton"_s);
        QVERIFY(button && button->menu());
        const DownloadId id = f.add(u"/d"_s, 64 * 1024);
        whenDone.setAction(WhenDone::Action::Suspend);
        QCOMPARE(button->text(), u"Suspend the Computer"_s);
        QTRY_COMPARE(f.manager->snapshot(id)->state, DownloadState::Completed);
        whenDone.check();
        QVERIFY(whenDone.counting());
        auto *bar = f.window->findChild<ui::MessageBar *>(u"messageBar"_s);
        QTRY_VERIFY(bar->isVisible());
        // Without the English plurals loaded the text reads "second(s)".
        QVERIFY(bar->text().startsWith(
            u"Every download is done. The computer is suspended in 60 second"_s));
        clock.advance(15);
        whenDone.check();
        QVERIFY(bar->text().startsWith(
            u"Every download is done. The computer is suspended in 45 second"_s));
        auto *cancel = bar->findChild<QPushButton *>(u"messageAction"_s);
        QCOMPARE(cancel->text(), u"Cancel"_s);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(whenDone.action(), WhenDone::Action::Nothing);
        QVERIFY(!bar->isVisible());
        QCOMPARE(button->text(), u"When Done"_s);
    }
};

QTEST_MAIN(TestMainWindowSchedule)
#include "tst_mainwindowschedule.moc"
