// "When everything is done" against a real DownloadManager and a fake logind on a private bus:
// the action fires after the last download and the countdown, never while one is queued or
// running, never on an idle list; Cancel stops it; logind's answers reach the caller.
#include "downloadmanagerfixture.h"
#include "fakeclock.h"
#include "fakelogind.h"
#include "schedule/logind.h"
#include "schedule/whendone.h"

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

class TestWhenDone final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase() { m_bus.stop(); }
    void init();
    void cleanup();
    void logind_answersReachTheCaller();
    void logind_unreachableBus_saysSo();
    void suspend_afterLastDownloadAndCountdown();
    void cancel_stopsTheCountdown();
    void idleList_doesNotFire();
    void quit_asksTheOwnerToQuit();

private:
    DownloadId addBody(DownloadManager &m, const QString &path, qint64 bytesPerSecond,
                       bool paused = false);

    FakeLogind m_fake;
    PrivateBus m_bus;
};

void TestWhenDone::initTestCase()
{
    QString error;
    if (!m_bus.start(&m_fake, &error))
        QFAIL(qPrintable(error));
}

void TestWhenDone::init()
{
    QVERIFY(createFixture());
    m_fake.canSuspend = u"yes"_s;
    m_fake.canPowerOff = u"yes"_s;
    m_fake.calls.clear();
}

void TestWhenDone::cleanup()
{
    destroyFixture();
}

DownloadId TestWhenDone::addBody(DownloadManager &m, const QString &path, qint64 bytesPerSecond,
                                 bool paused)
{
    m_server->setResource(path, resource(QByteArray(256 * 1024, 'y')));
    Faults slow;
    slow.bytesPerSecond = bytesPerSecond;
    m_server->setFaults(path, slow);
    DownloadRequest r;
    r.url = m_server->url(path);
    r.directory = m_out->path();
    r.connections = 1;
    r.startPaused = paused;
    QString error;
    return m.add(r, &error);
}

void TestWhenDone::logind_answersReachTheCaller()
{
    m_fake.canSuspend = u"no"_s;
    m_fake.canPowerOff = u"challenge"_s;
    Logind logind(m_bus.address());
    QCOMPARE(logind.answer(Logind::Action::Suspend), Logind::Answer::Unknown);
    logind.query();
    QTRY_COMPARE(logind.answer(Logind::Action::Suspend), Logind::Answer::No);
    QTRY_COMPARE(logind.answer(Logind::Action::PowerOff), Logind::Answer::Challenge);
    QVERIFY(!Logind::allowed(logind.answer(Logind::Action::Suspend)));
    QVERIFY(Logind::allowed(logind.answer(Logind::Action::PowerOff)));
    QVERIFY(!Logind::reason(Logind::Answer::No).isEmpty());
    m_fake.canSuspend = u"na"_s;
    logind.query();
    QTRY_COMPARE(logind.answer(Logind::Action::Suspend), Logind::Answer::NotApplicable);

    QSignalSpy performed(&logind, &Logind::performed);
    logind.perform(Logind::Action::PowerOff);
    QTRY_COMPARE(performed.size(), 1);
    QCOMPARE(m_fake.calls, QStringList{u"PowerOff(false)"_s});
}

void TestWhenDone::logind_unreachableBus_saysSo()
{
    Logind logind(u"unix:path=/nonexistent/ferry-test-bus"_s);
    logind.query();
    QTRY_COMPARE(logind.answer(Logind::Action::Suspend), Logind::Answer::Unreachable);
    QVERIFY(!Logind::allowed(logind.answer(Logind::Action::Suspend)));
}

void TestWhenDone::suspend_afterLastDownloadAndCountdown()
{
    EngineSettings settings;
    settings.maxConcurrentDownloads = 1; // the second waits in the queue while the first runs
    auto m = makeManager(settings);
    FakeClock clock(QDateTime(QDate(2026, 11, 30), QTime(12, 0)));
    Logind logind(m_bus.address());
    WhenDone whenDone(m.get(), &logind, &clock);
    const DownloadId first = addBody(*m, u"/1"_s, 256 * 1024);
    const DownloadId second = addBody(*m, u"/2"_s, 256 * 1024);
    const DownloadId paused = addBody(*m, u"/3"_s, 0, true); // paused by the user: not pending
    QVERIFY(first && second && paused);
    QSignalSpy countdown(&whenDone, &WhenDone::countdown);
    whenDone.setAction(WhenDone::Action::Suspend);

    QCOMPARE(waitFinal(*m, first).state, DownloadState::Completed);
    whenDone.check();
    QVERIFY(!whenDone.counting()); // the second is still queued or running
    QCOMPARE(countdown.size(), 0);

    QCOMPARE(waitFinal(*m, second).state, DownloadState::Completed);
    whenDone.check();
    QVERIFY(whenDone.counting());
    QCOMPARE(countdown.constFirst().at(1).toInt(), WhenDone::countdownSeconds);
    QCOMPARE(m->snapshot(paused)->state, DownloadState::Paused);

    clock.advance(WhenDone::countdownSeconds - 1);
    whenDone.check();
    QCOMPARE(whenDone.secondsLeft(), 1);
    QCOMPARE(countdown.constLast().at(1).toInt(), 1);
    QCOMPARE(m_fake.calls.size(), 0);

    clock.advance(1);
    whenDone.check();
    QTRY_COMPARE(m_fake.calls, QStringList{u"Suspend(false)"_s});
    QCOMPARE(whenDone.action(), WhenDone::Action::Nothing); // for one run only
    QVERIFY(!whenDone.counting());
}

void TestWhenDone::cancel_stopsTheCountdown()
{
    auto m = makeManager();
    FakeClock clock(QDateTime(QDate(2026, 11, 30), QTime(12, 0)));
    Logind logind(m_bus.address());
    WhenDone whenDone(m.get(), &logind, &clock);
    const DownloadId id = addBody(*m, u"/1"_s, 512 * 1024);
    whenDone.setAction(WhenDone::Action::PowerOff);
    QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
    whenDone.check();
    QVERIFY(whenDone.counting());
    QSignalSpy stopped(&whenDone, &WhenDone::countdownStopped);
    whenDone.cancel();
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(whenDone.action(), WhenDone::Action::Nothing);
    clock.advance(5 * 60);
    whenDone.check();
    QTest::qWait(200); // a call, had one gone out, would have arrived by now
    QCOMPARE(m_fake.calls.size(), 0);
}

void TestWhenDone::idleList_doesNotFire()
{
    auto m = makeManager();
    FakeClock clock(QDateTime(QDate(2026, 11, 30), QTime(12, 0)));
    Logind logind(m_bus.address());
    WhenDone whenDone(m.get(), &logind, &clock);
    addBody(*m, u"/p"_s, 0, true);
    whenDone.setAction(WhenDone::Action::Suspend);
    clock.advance(10 * 60);
    whenDone.check();
    QVERIFY(!whenDone.counting());
    QCOMPARE(whenDone.action(), WhenDone::Action::Suspend); // waits for the next run
}

void TestWhenDone::quit_asksTheOwnerToQuit()
{
    auto m = makeManager();
    FakeClock clock(QDateTime(QDate(2026, 11, 30), QTime(12, 0)));
    Logind logind(m_bus.address());
    WhenDone whenDone(m.get(), &logind, &clock);
    QSignalSpy quit(&whenDone, &WhenDone::quitRequested);
    const DownloadId id = addBody(*m, u"/1"_s, 0);
    whenDone.setAction(WhenDone::Action::Quit);
    QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
    whenDone.check();
    clock.advance(WhenDone::countdownSeconds);
    whenDone.check();
    QCOMPARE(quit.size(), 1);
    QCOMPARE(m_fake.calls.size(), 0);
}

QTEST_GUILESS_MAIN(TestWhenDone)
#include "tst_whendone.moc"
