#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

class QSettings;

namespace ferry {

// Days of the week as bits: Monday is bit 0 ... Sunday bit 6, as QDate::dayOfWeek() - 1.
using Weekdays = quint8;
inline constexpr Weekdays everyDay = 0x7f;
inline constexpr Weekdays workDays = 0x1f;
inline constexpr Weekdays dayBit(int dayOfWeek)
{
    return Weekdays(1u << (dayOfWeek - 1));
}

// A stretch of time that begins at `from` on each of `days` and lasts until the next `to`,
// which may be on the following day (22:00-06:00 runs overnight). An invalid `to` means no
// end. `to` equal to `from` means a whole day. All times are local.
struct TimeWindow
{
    Weekdays days = everyDay;
    QTime from;
    QTime to;

    bool isValid() const { return days != 0 && from.isValid(); }
    // The latest begin at or before `t` (up to a week back); invalid when there is none.
    QDateTime lastStart(const QDateTime &t) const;
    // The first begin after `t`; invalid when there is none.
    QDateTime nextStart(const QDateTime &t) const;
    // Where the stretch that began at `start` ends; invalid when it has no end.
    QDateTime endAfter(const QDateTime &start) const;
    bool contains(const QDateTime &t) const;

    // "mon,tue,fri 02:00-06:00", "sat 02:00-" (no end).
    QString toString() const;
    static std::optional<TimeWindow> fromString(const QString &text);
    friend bool operator==(const TimeWindow &, const TimeWindow &) = default;
};

// A global speed limit that holds inside its window.
struct SpeedRule
{
    TimeWindow window;
    qint64 bytesPerSecond = 0; // 0 = unlimited

    // "mon,tue,wed,thu,fri 09:00-18:00 2097152"
    QString toString() const;
    static std::optional<SpeedRule> fromString(const QString &text);
    friend bool operator==(const SpeedRule &, const SpeedRule &) = default;
};

// When the scheduled queue runs and which speed limits follow the clock. A plain value: it is
// stored by Scheduler in the settings file it is handed.
struct Schedule
{
    bool queueEnabled = false;
    TimeWindow queue{everyDay, QTime(2, 0), QTime(6, 0)};
    QList<SpeedRule> speed;

    // The limit of the first rule whose window holds `t`; nothing when no rule does.
    std::optional<qint64> speedLimitAt(const QDateTime &t) const;

    void save(QSettings &settings) const; // under the group "Schedule"
    static Schedule load(QSettings &settings);
    friend bool operator==(const Schedule &, const Schedule &) = default;

    static QString daysToString(Weekdays days);
    static std::optional<Weekdays> daysFromString(const QString &text);
};

} // namespace ferry
