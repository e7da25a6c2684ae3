#include "schedule/schedule.h"

#include <QSettings>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// Stable, language-neutral names: the settings file must read the same in every locale.
constexpr const char *dayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const QString timeFormat = u"HH:mm"_s;

} // namespace

QDateTime TimeWindow::lastStart(const QDateTime &t) const
{
    if (!isValid())
        return {};
    // Eight days back: today's begin may still lie ahead, and a week ago is the same weekday.
    for (int back = 0; back <= 7; ++back) {
        const QDate date = t.date().addDays(-back);
        if (!(days & dayBit(date.dayOfWeek())))
            continue;
        const QDateTime start(date, from);
        if (start <= t)
            return start;
    }
    return {};
}

QDateTime TimeWindow::nextStart(const QDateTime &t) const
{
    if (!isValid())
        return {};
    for (int ahead = 0; ahead <= 7; ++ahead) {
        const QDate date = t.date().addDays(ahead);
        if (!(days & dayBit(date.dayOfWeek())))
            continue;
        const QDateTime start(date, from);
        if (start > t)
            return start;
    }
    return {};
}

QDateTime TimeWindow::endAfter(const QDateTime &start) const
{
    if (!to.isValid() || !start.isValid())
        return {};
    QDateTime end(start.date(), to);
    if (end <= start)
        end = end.addDays(1);
    return end;
}

bool TimeWindow::contains(const QDateTime &t) const
{
    const QDateTime start = lastStart(t);
    if (!start.isValid())
        return false;
    const QDateTime end = endAfter(start);
    return !end.isValid() || t < end;
}

QString TimeWindow::toString() const
{
    return Schedule::daysToString(days) + u' ' + from.toString(timeFormat) + u'-' +
           (to.isValid() ? to.toString(timeFormat) : QString());
}

std::optional<TimeWindow> TimeWindow::fromString(const QString &text)
{
    const QStringList parts = text.simplified().split(u' ');
    if (parts.size() != 2)
        return std::nullopt;
    const auto days = Schedule::daysFromString(parts.at(0));
    const qsizetype dash = parts.at(1).indexOf(u'-');
    if (!days || dash < 0)
        return std::nullopt;
    TimeWindow w;
    w.days = *days;
    w.from = QTime::fromString(parts.at(1).left(dash), timeFormat);
    const QString to = parts.at(1).mid(dash + 1);
    if (!to.isEmpty()) {
        w.to = QTime::fromString(to, timeFormat);
        if (!w.to.isValid())
            return std::nullopt;
    }
    if (!w.isValid())
        return std::nullopt;
    return w;
}

QString SpeedRule::toString() const
{
    return window.toString() + u' ' + QString::number(bytesPerSecond);
}

std::optional<SpeedRule> SpeedRule::fromString(const QString &text)
{
    const QString simple = text.simplified();
    const qsizetype space = simple.lastIndexOf(u' ');
    if (space < 0)
        return std::nullopt;
    bool ok = false;
    const qint64 limit = simple.mid(space + 1).toLongLong(&ok);
    const auto window = TimeWindow::fromString(simple.left(space));
    // A speed rule without an end would hold for ever: not a schedule.
    if (!ok || limit < 0 || !window || !window->to.isValid())
        return std::nullopt;
    return SpeedRule{*window, limit};
}

std::optional<qint64> Schedule::speedLimitAt(const QDateTime &t) const
{
    for (const SpeedRule &rule : speed) {
        if (rule.window.contains(t))
            return rule.bytesPerSecond;
    }
    return std::nullopt;
}

void Schedule::save(QSettings &settings) const
{
    settings.beginGroup(u"Schedule"_s);
    settings.setValue(u"queueEnabled"_s, queueEnabled);
    settings.setValue(u"queue"_s, queue.toString());
    QStringList rules;
    for (const SpeedRule &rule : speed)
        rules.append(rule.toString());
    // A list with one entry reads back from an ini file as a plain string; join instead.
    settings.setValue(u"speed"_s, rules.join(u';'));
    settings.endGroup();
}

Schedule Schedule::load(QSettings &settings)
{
    Schedule s;
    settings.beginGroup(u"Schedule"_s);
    s.queueEnabled = settings.value(u"queueEnabled"_s, false).toBool();
    if (const auto w = TimeWindow::fromString(settings.value(u"queue"_s).toString()))
        s.queue = *w;
    const QStringList rules = settings.value(u"speed"_s).toString().split(u';', Qt::SkipEmptyParts);
    for (const QString &text : rules) {
        if (const auto rule = SpeedRule::fromString(text))
            s.speed.append(*rule);
    }
    settings.endGroup();
    return s;
}

QString Schedule::daysToString(Weekdays days)
{
    QStringList names;
    for (int d = 1; d <= 7; ++d) {
        if (days & dayBit(d))
            names.append(QString::fromLatin1(dayNames[d - 1]));
    }
    return names.join(u',');
}

std::optional<Weekdays> Schedule::daysFromString(const QString &text)
{
    Weekdays days = 0;
    for (const QString &name : text.split(u',', Qt::SkipEmptyParts)) {
        int found = 0;
        for (int d = 1; d <= 7; ++d) {
            if (name.compare(QLatin1StringView(dayNames[d - 1]), Qt::CaseInsensitive) == 0)
                found = d;
        }
        if (found == 0)
            return std::nullopt;
        days |= dayBit(found);
    }
    if (days == 0)
        return std::nullopt;
    return days;
}

} // namespace ferry
