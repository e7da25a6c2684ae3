// The Scheduler dialog shows the schedule it is given and hands back what the user set, which
// survives the trip through the settings file.
#include "ratelimitbox.h"
#include "schedulerdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeEdit>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

class TestSchedulerDialog final : public QObject
{
    Q_OBJECT
private:
    template <typename T> static T *child(QWidget *dialog, const QString &name)
    {
        T *w = dialog->findChild<T *>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    static Schedule sample()
    {
        Schedule s;
        s.queueEnabled = true;
        s.queue = *TimeWindow::fromString(u"mon,wed 22:00-06:00"_s);
        s.speed.append(*SpeedRule::fromString(u"mon,tue,wed,thu,fri 09:00-18:00 2097152"_s));
        s.speed.append(
            *SpeedRule::fromString(u"tue,thu 01:00-02:30 0"_s)); // no preset names these days
        return s;
    }

private slots:
    void shows_theGivenSchedule()
    {
        SchedulerDialog dialog(sample());
        QVERIFY(child<QCheckBox>(&dialog, u"queueEnabled"_s)->isChecked());
        QVERIFY(child<QCheckBox>(&dialog, u"queueDay1"_s)->isChecked());
        QVERIFY(!child<QCheckBox>(&dialog, u"queueDay2"_s)->isChecked());
        QVERIFY(child<QCheckBox>(&dialog, u"queueDay3"_s)->isChecked());
        QCOMPARE(child<QTimeEdit>(&dialog, u"queueStart"_s)->time(), QTime(22, 0));
        QVERIFY(child<QCheckBox>(&dialog, u"queueStopEnabled"_s)->isChecked());
        QCOMPARE(child<QTimeEdit>(&dialog, u"queueStop"_s)->time(), QTime(6, 0));
        QCOMPARE(child<QComboBox>(&dialog, u"ruleDays0"_s)->currentIndex(), 1); // Monday to Friday
        QCOMPARE(child<RateLimitBox>(&dialog, u"ruleLimit0"_s)->bytesPerSecond(), 2097152);
        QCOMPARE(child<QTimeEdit>(&dialog, u"ruleTo1"_s)->time(), QTime(2, 30));
        QCOMPARE(dialog.schedule(), sample()); // untouched, it gives back what it was given
    }

    void edits_roundTripThroughSettings()
    {
        SchedulerDialog dialog(Schedule{});
        QVERIFY(!child<QTimeEdit>(&dialog, u"queueStart"_s)->isEnabled()); // the queue is off
        child<QCheckBox>(&dialog, u"queueEnabled"_s)->setChecked(true);
        QVERIFY(child<QTimeEdit>(&dialog, u"queueStart"_s)->isEnabled());
        for (int d = 1; d <= 7; ++d)
            child<QCheckBox>(&dialog, u"queueDay%1"_s.arg(d))->setChecked(d >= 6);
        child<QTimeEdit>(&dialog, u"queueStart"_s)->setTime(QTime(1, 30));
        child<QCheckBox>(&dialog, u"queueStopEnabled"_s)->setChecked(false);
        QVERIFY(!child<QTimeEdit>(&dialog, u"queueStop"_s)->isEnabled());

        QTest::mouseClick(child<QPushButton>(&dialog, u"addSpeedRule"_s), Qt::LeftButton);
        child<QComboBox>(&dialog, u"ruleDays0"_s)->setCurrentIndex(0); // every day
        child<QTimeEdit>(&dialog, u"ruleFrom0"_s)->setTime(QTime(8, 0));
        child<QTimeEdit>(&dialog, u"ruleTo0"_s)->setTime(QTime(20, 0));
        auto *limit = child<RateLimitBox>(&dialog, u"ruleLimit0"_s);
        limit->lineEdit()->selectAll();
        QTest::keyClicks(limit->lineEdit(), u"2M"_s);
        QTest::keyClick(limit->lineEdit(), Qt::Key_Return);

        Schedule expected;
        expected.queueEnabled = true;
        expected.queue = *TimeWindow::fromString(u"sat,sun 01:30-"_s);
        expected.speed.append(
            *SpeedRule::fromString(u"mon,tue,wed,thu,fri,sat,sun 08:00-20:00 2097152"_s));
        QCOMPARE(dialog.schedule(), expected);

        QTemporaryDir dir;
        {
            QSettings settings(dir.filePath(u"ferry.ini"_s), QSettings::IniFormat);
            dialog.schedule().save(settings);
        }
        QSettings again(dir.filePath(u"ferry.ini"_s), QSettings::IniFormat);
        SchedulerDialog reopened(Schedule::load(again));
        QCOMPARE(reopened.schedule(), expected);
    }

    void removeRule_dropsIt()
    {
        SchedulerDialog dialog(sample());
        QTest::mouseClick(child<QPushButton>(&dialog, u"ruleRemove0"_s), Qt::LeftButton);
        const Schedule s = dialog.schedule();
        QCOMPARE(s.speed.size(), 1);
        QCOMPARE(s.speed.constFirst(), sample().speed.at(1));
    }

    void noDayTicked_keepsTheQueueOff()
    {
        SchedulerDialog dialog(sample());
        for (int d = 1; d <= 7; ++d)
            child<QCheckBox>(&dialog, u"queueDay%1"_s.arg(d))->setChecked(false);
        QVERIFY(!dialog.schedule().queueEnabled);
    }
};

QTEST_MAIN(TestSchedulerDialog)
#include "tst_schedulerdialog.moc"
