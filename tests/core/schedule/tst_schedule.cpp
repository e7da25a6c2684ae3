// The schedule as a value: windows on weekdays, overnight windows, speed rules, settings strings.
#include "schedule/schedule.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;

namespace {

// 2026-11-30 is a Monday.
QDateTime at(int day, int h, int m = 0)
{
    return QDateTime(QDate(2026, 11, 30).addDays(day), QTime(h, m));
}

} // namespace

class TestSchedule final : public QObject
{
    Q_OBJECT
private slots:
    void contains_data();
    void contains();
    void lastAndNextStart_skipDaysNotListed();
    void window_withoutEnd_neverEnds();
    void speedLimitAt_firstRuleThatHolds();
    void strings_roundTrip_data();
    void strings_roundTrip();
    void strings_rejectNonsense_data();
    void strings_rejectNonsense();
    void settings_roundTrip();
};

void TestSchedule::contains_data()
{
    QTest::addColumn<QString>("window");
    QTest::addColumn<QDateTime>("time");
    QTest::addColumn<bool>("inside");
    QTest::newRow("weekday inside") << u"mon,tue,wed,thu,fri 09:00-18:00"_s << at(0, 12) << true;
    QTest::newRow("at the begin") << u"mon 09:00-18:00"_s << at(0, 9) << true;
    QTest::newRow("at the end is outside") << u"mon 09:00-18:00"_s << at(0, 18) << false;
    QTest::newRow("before the begin") << u"mon 09:00-18:00"_s << at(0, 8, 59) << false;
    QTest::newRow("saturday not listed")
        << u"mon,tue,wed,thu,fri 09:00-18:00"_s << at(5, 12) << false;
    QTest::newRow("overnight, evening") << u"mon 22:00-06:00"_s << at(0, 23) << true;
    QTest::newRow("overnight, next morning") << u"mon 22:00-06:00"_s << at(1, 5, 59) << true;
    QTest::newRow("overnight, next morning after end") << u"mon 22:00-06:00"_s << at(1, 6) << false;
    QTest::newRow("overnight, morning of the listed day")
        << u"mon 22:00-06:00"_s << at(0, 3) << false;
    QTest::newRow("sunday night into monday") << u"sun 22:00-06:00"_s << at(0, 1) << true;
    QTest::newRow("same begin and end: a whole day") << u"tue 10:00-10:00"_s << at(2, 9) << true;
}

void TestSchedule::contains()
{
    QFETCH(QString, window);
    QFETCH(QDateTime, time);
    QFETCH(bool, inside);
    const auto w = TimeWindow::fromString(window);
    QVERIFY(w);
    QCOMPARE(w->contains(time), inside);
}

void TestSchedule::lastAndNextStart_skipDaysNotListed()
{
    const auto w = TimeWindow::fromString(u"wed,sat 02:00-04:00"_s);
    QVERIFY(w);
    QCOMPARE(w->lastStart(at(4, 12)), at(2, 2)); // Friday: Wednesday's
    QCOMPARE(w->nextStart(at(4, 12)), at(5, 2)); // Friday: Saturday's
    QCOMPARE(w->nextStart(at(2, 2)), at(5, 2));  // exactly at a begin: the next one
    QCOMPARE(w->lastStart(at(2, 2)), at(2, 2));
    QCOMPARE(w->endAfter(at(2, 2)), at(2, 4));
}

void TestSchedule::window_withoutEnd_neverEnds()
{
    const auto w = TimeWindow::fromString(u"mon 02:00-"_s);
    QVERIFY(w);
    QVERIFY(!w->to.isValid());
    QVERIFY(!w->endAfter(at(0, 2)).isValid());
    QVERIFY(w->contains(at(3, 12)));
    QCOMPARE(w->toString(), u"mon 02:00-"_s);
}

void TestSchedule::speedLimitAt_firstRuleThatHolds()
{
    Schedule s;
    s.speed.append(*SpeedRule::fromString(u"mon,tue,wed,thu,fri 09:00-18:00 2097152"_s));
    s.speed.append(*SpeedRule::fromString(u"mon,tue,wed,thu,fri,sat,sun 00:00-23:59 100"_s));
    QCOMPARE(s.speedLimitAt(at(0, 10)), std::optional<qint64>(2097152));
    QCOMPARE(s.speedLimitAt(at(5, 10)), std::optional<qint64>(100));
    s.speed.removeLast();
    QCOMPARE(s.speedLimitAt(at(0, 18)), std::nullopt);
    QCOMPARE(s.speedLimitAt(at(0, 8)), std::nullopt);
}

void TestSchedule::strings_roundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("one day") << u"sun 02:00-06:30"_s;
    QTest::newRow("work days") << u"mon,tue,wed,thu,fri 09:00-18:00"_s;
    QTest::newRow("overnight") << u"fri,sat 22:00-06:00"_s;
    QTest::newRow("no end") << u"mon,sun 02:00-"_s;
}

void TestSchedule::strings_roundTrip()
{
    QFETCH(QString, text);
    const auto w = TimeWindow::fromString(text);
    QVERIFY(w);
    QCOMPARE(w->toString(), text);
    QCOMPARE(Schedule::daysToString(workDays), u"mon,tue,wed,thu,fri"_s);
    QCOMPARE(Schedule::daysFromString(u"Mon,FRI"_s),
             std::optional<Weekdays>(dayBit(1) | dayBit(5)));
}

void TestSchedule::strings_rejectNonsense_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("no days") << u" 02:00-06:00"_s;
    QTest::newRow("unknown day") << u"mon,xyz 02:00-06:00"_s;
    QTest::newRow("bad time") << u"mon 25:00-06:00"_s;
    QTest::newRow("bad end") << u"mon 02:00-6"_s;
    QTest::newRow("no dash") << u"mon 02:00"_s;
}

void TestSchedule::strings_rejectNonsense()
{
    QFETCH(QString, text);
    QVERIFY(!TimeWindow::fromString(text));
    QVERIFY(!SpeedRule::fromString(text + u" 100"_s));
    QVERIFY(!SpeedRule::fromString(u"mon 02:00- 100"_s)); // a speed rule needs an end
    QVERIFY(!SpeedRule::fromString(u"mon 02:00-03:00 fast"_s));
}

void TestSchedule::settings_roundTrip()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    Schedule s;
    s.queueEnabled = true;
    s.queue = *TimeWindow::fromString(u"sat,sun 22:00-06:00"_s);
    s.speed.append(*SpeedRule::fromString(u"mon,tue 09:00-18:00 2097152"_s));
    s.save(settings);
    settings.sync();
    QSettings again(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    QCOMPARE(Schedule::load(again), s);
    s.speed.append(*SpeedRule::fromString(u"sun 01:00-02:00 0"_s));
    s.save(again);
    QCOMPARE(Schedule::load(again), s);
}

QTEST_GUILESS_MAIN(TestSchedule)
#include "tst_schedule.moc"
