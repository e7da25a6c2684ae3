// The scheduler driving a real DownloadManager against the in-process server, with a clock the
// test moves: the queue starts and stops on time, a missed start is caught up at launch, a stop
// time the clock jumped over still stops, and the speed schedule sets the global limit.
#include "downloadmanagerfixture.h"
#include "fakeclock.h"
#include "schedule/scheduler.h"

#include <QSettings>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::test;

namespace {

// 2026-11-30 is a Monday.
QDateTime monday(int h, int m = 0)
{
    return QDateTime(QDate(2026, 11, 30), QTime(h, m));
}

} // namespace

class TestScheduler final : public QObject, private DownloadManagerFixture
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void queued_startsAtStartTime_pausedAtStopTime();
    void startWithoutStop_setAfterItsTime_waitsForTheNextStart();
    void clockJumpAcrossStop_stopsAtNextCheck();
    void windowSleptThrough_startsNothing();
    void missedStart_startsAtLaunchAndSaysSo();
    void byHand_startAndStopNow();
    void addedWhileRunning_runs();
    void speedSchedule_followsTheClock();

private:
    DownloadId addSlow(DownloadManager &m, const QString &path);
    std::unique_ptr<QSettings> settings();
    static Schedule nightly();
    std::unique_ptr<QTemporaryDir> m_conf;
};

void TestScheduler::init()
{
    QVERIFY(createFixture());
    m_conf = std::make_unique<QTemporaryDir>();
}

void TestScheduler::cleanup()
{
    m_conf.reset();
    destroyFixture();
}

DownloadId TestScheduler::addSlow(DownloadManager &m, const QString &path)
{
    // Slow enough to still run when the test looks, a moment later.
    m_server->setResource(path, resource(QByteArray(8 * 1024 * 1024, 'x')));
    Faults slow;
    slow.bytesPerSecond = 64 * 1024;
    m_server->setFaults(path, slow);
    DownloadRequest request;
    request.url = m_server->url(path);
    request.directory = m_out->path();
    request.connections = 1;
    request.startPaused = true;
    QString error;
    const DownloadId id = m.add(request, &error);
    if (id == 0)
        qWarning("add failed: %s", qPrintable(error));
    return id;
}

std::unique_ptr<QSettings> TestScheduler::settings()
{
    return std::make_unique<QSettings>(m_conf->filePath(u"settings.ini"_s), QSettings::IniFormat);
}

Schedule TestScheduler::nightly()
{
    Schedule s;
    s.queueEnabled = true;
    s.queue = *TimeWindow::fromString(u"mon,tue,wed,thu,fri,sat,sun 02:00-06:00"_s);
    return s;
}

static bool running(DownloadManager &m, DownloadId id)
{
    const auto s = m.snapshot(id);
    return s && (s->state == DownloadState::Downloading || s->state == DownloadState::Queued);
}

void TestScheduler::queued_startsAtStartTime_pausedAtStopTime()
{
    auto m = makeManager();
    FakeClock clock(monday(1));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setSchedule(nightly());
    const DownloadId id = addSlow(*m, u"/a"_s);
    scheduler.enqueue(id);
    QVERIFY(scheduler.waiting());
    QCOMPARE(scheduler.nextStart(), monday(2));

    clock.set(monday(1, 59));
    scheduler.check();
    QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);

    clock.set(monday(2));
    scheduler.check();
    QVERIFY(scheduler.queueRunning());
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Downloading);

    clock.set(monday(5, 59));
    scheduler.check();
    QVERIFY(running(*m, id));
    clock.set(monday(6));
    scheduler.check();
    QVERIFY(!scheduler.queueRunning());
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Paused);
    QVERIFY(scheduler.isQueued(id)); // it waits for tomorrow's start
}

void TestScheduler::startWithoutStop_setAfterItsTime_waitsForTheNextStart()
{
    // "Start at 02:00 every day", no stop, set in the afternoon: yesterday's 02:00 does not
    // count, the queue waits for tonight's.
    auto m = makeManager();
    FakeClock clock(monday(16));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    Schedule s;
    s.queueEnabled = true;
    s.queue = *TimeWindow::fromString(u"mon,tue,wed,thu,fri,sat,sun 02:00-"_s);
    scheduler.setSchedule(s);
    const DownloadId id = addSlow(*m, u"/open"_s);
    scheduler.enqueue(id);
    QVERIFY(!scheduler.queueRunning());
    QVERIFY(scheduler.waiting());
    clock.set(monday(23, 59));
    scheduler.check();
    QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);
    clock.set(QDateTime(monday(2).date().addDays(1), QTime(2, 0)));
    scheduler.check();
    QVERIFY(scheduler.queueRunning());
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Downloading);
}

void TestScheduler::clockJumpAcrossStop_stopsAtNextCheck()
{
    auto m = makeManager();
    FakeClock clock(monday(3));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setSchedule(nightly()); // inside the window: the queue runs at once
    const DownloadId id = addSlow(*m, u"/a"_s);
    scheduler.enqueue(id);
    QTRY_VERIFY(running(*m, id));
    // The machine slept from 03:00 to 09:30: no timer fired at 06:00.
    clock.set(monday(9, 30));
    scheduler.check();
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Paused);
    QVERIFY(scheduler.waiting());
}

void TestScheduler::windowSleptThrough_startsNothing()
{
    auto m = makeManager();
    FakeClock clock(monday(1));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setSchedule(nightly());
    const DownloadId id = addSlow(*m, u"/a"_s);
    scheduler.enqueue(id);
    clock.set(monday(7)); // 02:00 and 06:00 both passed during one sleep
    scheduler.check();
    QVERIFY(!scheduler.queueRunning());
    QCOMPARE(m->snapshot(id)->state, DownloadState::Paused);
}

void TestScheduler::missedStart_startsAtLaunchAndSaysSo()
{
    auto m = makeManager();
    DownloadId id = 0;
    {
        FakeClock clock(monday(1));
        auto store = settings();
        Scheduler scheduler(m.get(), &clock, store.get());
        scheduler.setSchedule(nightly());
        id = addSlow(*m, u"/a"_s);
        scheduler.enqueue(id);
    } // Ferry quits at 01:00 and is started again at 03:10.
    FakeClock clock(monday(3, 10));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    QVERIFY(scheduler.isQueued(id));
    QSignalSpy notices(&scheduler, &Scheduler::notice);
    scheduler.check();
    QVERIFY(scheduler.queueRunning());
    QTRY_VERIFY(running(*m, id));
    QCOMPARE(notices.size(), 1);
    QCOMPARE(
        notices.at(0).at(0).toString(),
        u"The scheduled start at 02:00 was missed while Ferry was not running; the queue starts now."_s);
    // Its stop time still holds.
    clock.set(monday(6, 1));
    scheduler.check();
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Paused);
    QCOMPARE(notices.size(), 1);
}

void TestScheduler::byHand_startAndStopNow()
{
    auto m = makeManager();
    FakeClock clock(monday(12));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setSchedule(nightly());
    const DownloadId id = addSlow(*m, u"/a"_s);
    scheduler.enqueue(id);
    scheduler.startNow();
    QTRY_VERIFY(running(*m, id));
    clock.set(monday(13));
    scheduler.check(); // no stop time for a queue started by hand
    QVERIFY(running(*m, id));
    scheduler.stopNow();
    QTRY_COMPARE(m->snapshot(id)->state, DownloadState::Paused);
    QVERIFY(scheduler.waiting());
}

void TestScheduler::addedWhileRunning_runs()
{
    auto m = makeManager();
    FakeClock clock(monday(2, 30));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setSchedule(nightly());
    QVERIFY(scheduler.queueRunning());
    Resource small = resource("small body");
    m_server->setResource(u"/s"_s, small);
    const DownloadId id = add(*m, m_server->url(u"/s"_s));
    scheduler.enqueue(id);
    QCOMPARE(waitFinal(*m, id).state, DownloadState::Completed);
    QTRY_VERIFY(!scheduler.isQueued(id)); // a finished download leaves the queue
}

void TestScheduler::speedSchedule_followsTheClock()
{
    auto m = makeManager();
    FakeClock clock(monday(8));
    auto store = settings();
    Scheduler scheduler(m.get(), &clock, store.get());
    scheduler.setBaseRateLimit(0);
    QSignalSpy applied(&scheduler, &Scheduler::rateLimitApplied);
    Schedule s;
    s.speed.append(*SpeedRule::fromString(u"mon,tue,wed,thu,fri 09:00-18:00 2097152"_s));
    scheduler.setSchedule(s);
    QCOMPARE(applied.size(), 0); // 08:00: the user's own limit stays
    clock.set(monday(9));
    scheduler.check();
    QCOMPARE(applied.size(), 1);
    QCOMPARE(applied.at(0).at(0).toLongLong(), 2097152);
    QCOMPARE(m->settings().globalRateLimit, 2097152);
    clock.set(monday(12));
    scheduler.check();
    QCOMPARE(applied.size(), 1); // nothing changed
    clock.set(monday(18));
    scheduler.check();
    QCOMPARE(applied.size(), 2);
    QCOMPARE(applied.at(1).at(0).toLongLong(), 0);
    QCOMPARE(m->settings().globalRateLimit, 0);
    // Saturday: no rule; the user's limit, changed in between, holds.
    scheduler.setBaseRateLimit(500 * 1024);
    clock.set(QDateTime(QDate(2026, 12, 5), QTime(10, 0)));
    scheduler.check();
    QCOMPARE(applied.size(), 2);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
