// The "when done" menu: its choice drives WhenDone and follows it, and what logind does not
// allow is greyed out with the reason (against a fake logind on a private bus).
#include "whendonemenu.h"

#include "api/downloadmanager.h"
#include "fakeclock.h"
#include "fakelogind.h"
#include "schedule/logind.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;
using namespace ferry::ui;

class TestWhenDoneMenu final : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QString error;
        if (!m_bus.start(&m_fake, &error))
            QFAIL(qPrintable(error));
        QVERIFY(m_state.isValid());
        m_manager = std::make_unique<DownloadManager>(m_state.path());
        QVERIFY(m_manager->open(false, &error));
    }
    void cleanupTestCase()
    {
        m_manager.reset();
        m_bus.stop();
    }

    void refused_greyedOutWithReason()
    {
        m_fake.canSuspend = u"no"_s;
        m_fake.canPowerOff = u"challenge"_s;
        Logind logind(m_bus.address());
        WhenDone whenDone(m_manager.get(), &logind, &m_clock);
        WhenDoneMenu menu(&whenDone, &logind);
        QAction *suspend = menu.findChild<QAction *>(u"whenDoneSuspend"_s);
        QAction *powerOff = menu.findChild<QAction *>(u"whenDonePowerOff"_s);
        QVERIFY(suspend && powerOff);
        menu.popup(QPoint(0, 0)); // opening it asks logind
        QTRY_VERIFY(!suspend->isEnabled());
        QCOMPARE(suspend->toolTip(), Logind::reason(Logind::Answer::No));
        QTRY_COMPARE(logind.answer(Logind::Action::PowerOff), Logind::Answer::Challenge);
        QVERIFY(powerOff->isEnabled()); // the desktop asks for a password
        menu.hide();

        m_fake.canSuspend = u"yes"_s;
        menu.popup(QPoint(0, 0));
        QTRY_VERIFY(suspend->isEnabled());
        QVERIFY(suspend->toolTip() != Logind::reason(Logind::Answer::No)); // back to its own text
    }

    void choice_drivesWhenDoneAndFollowsIt()
    {
        m_fake.canSuspend = u"yes"_s;
        Logind logind(m_bus.address());
        WhenDone whenDone(m_manager.get(), &logind, &m_clock);
        WhenDoneMenu menu(&whenDone, &logind);
        WhenDoneMenu tray(&whenDone, &logind); // a second menu stays in step
        QVERIFY(menu.findChild<QAction *>(u"whenDoneNothing"_s)->isChecked());
        menu.findChild<QAction *>(u"whenDoneSuspend"_s)->trigger();
        QCOMPARE(whenDone.action(), WhenDone::Action::Suspend);
        QVERIFY(tray.findChild<QAction *>(u"whenDoneSuspend"_s)->isChecked());
        whenDone.setAction(WhenDone::Action::Quit); // e.g. fired, or chosen in the tray
        QVERIFY(menu.findChild<QAction *>(u"whenDoneQuit"_s)->isChecked());
        whenDone.cancel();
        QVERIFY(menu.findChild<QAction *>(u"whenDoneNothing"_s)->isChecked());
    }

private:
    FakeLogind m_fake;
    PrivateBus m_bus;
    QTemporaryDir m_state;
    FakeClock m_clock{QDateTime(QDate(2026, 11, 30), QTime(12, 0))};
    std::unique_ptr<DownloadManager> m_manager;
};

QTEST_MAIN(TestWhenDoneMenu)
#include "tst_whendonemenu.moc"
