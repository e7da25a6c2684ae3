#include "engine/backoff.h"

#include <QList>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ferry {

Backoff::Backoff(Policy policy, std::function<double()> random01)
    : m_policy(policy), m_random01(std::move(random01))
{
    if (!m_random01)
        m_random01 = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 Backoff::ceilingMs(int attempt) const
{
    const qint64 base = std::max<qint64>(m_policy.baseMs, 0);
    const qint64 cap = std::max<qint64>(m_policy.capMs, 0);
    qint64 ceiling = base;
    // Doubling step by step stops as soon as the cap is reached, so huge attempts cannot overflow.
    for (int i = 0; i < attempt && ceiling < cap; ++i)
        ceiling = ceiling > cap / 2 ? cap : ceiling * 2;
    return std::min(ceiling, cap);
}

qint64 Backoff::delayMs(int attempt, std::optional<qint64> retryAfterMs) const
{
    if (retryAfterMs)
        return std::clamp<qint64>(*retryAfterMs, 0, MaxRetryAfterMs);

    const qint64 ceiling = ceilingMs(std::max(attempt, 0));
    const double r = m_random01();
    const double unit = std::isfinite(r) ? std::clamp(r, 0.0, 1.0) : 1.0;
    const qint64 floor = std::min(std::max<qint64>(m_policy.baseMs, 0) / 10, ceiling);
    return std::max(floor, std::llround(unit * double(ceiling)));
}

namespace {

QList<QByteArrayView> splitSpaces(QByteArrayView text)
{
    QList<QByteArrayView> parts;
    qsizetype pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ')
            ++pos;
        const qsizetype start = pos;
        while (pos < text.size() && text[pos] != ' ')
            ++pos;
        if (pos > start)
            parts.append(text.sliced(start, pos - start));
    }
    return parts;
}

std::optional<int> number(QByteArrayView text, qsizetype minDigits, qsizetype maxDigits)
{
    if (text.size() < minDigits || text.size() > maxDigits)
        return std::nullopt;
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<int> monthNumber(QByteArrayView name)
{
    static constexpr const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i) {
        if (name.compare(months[i], Qt::CaseInsensitive) == 0)
            return i + 1;
    }
    return std::nullopt;
}

bool isDayName(QByteArrayView name, bool longForm)
{
    static constexpr const char *shortNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *longNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
    for (int i = 0; i < 7; ++i) {
        if (name.compare(longForm ? longNames[i] : shortNames[i], Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

std::optional<QTime> timeOfDay(QByteArrayView text)
{
    if (text.size() != 8 || text[2] != ':' || text[5] != ':')
        return std::nullopt;
    const auto h = number(text.sliced(0, 2), 2, 2);
    const auto m = number(text.sliced(3, 2), 2, 2);
    const auto s = number(text.sliced(6, 2), 2, 2);
    if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60)
        return std::nullopt;
    return QTime(*h, *m, std::min(*s, 59)); // a leap second is not worth a separate code path
}

std::optional<QDateTime> assemble(int year, std::optional<int> month, std::optional<int> day,
                                  QByteArrayView time)
{
    const auto clock = timeOfDay(time);
    if (!month || !day || !clock)
        return std::nullopt;
    const QDate date(year, *month, *day);
    if (!date.isValid())
        return std::nullopt;
    return QDateTime(date, *clock, Qt::UTC);
}

bool isGmt(QByteArrayView zone)
{
    return zone.compare("GMT", Qt::CaseInsensitive) == 0;
}

} // namespace

std::optional<QDateTime> parseHttpDate(QByteArrayView value, const QDateTime &now)
{
    const QByteArrayView text = value.trimmed();
    const qsizetype comma = text.indexOf(',');
    if (comma < 0) {
        // asctime: "Sun Nov  6 08:49:37 1994"
        const QList<QByteArrayView> p = splitSpaces(text);
        if (p.size() != 5 || !isDayName(p[0], false))
            return std::nullopt;
        const auto year = number(p[4], 4, 4);
        if (!year)
            return std::nullopt;
        return assemble(*year, monthNumber(p[1]), number(p[2], 1, 2), p[3]);
    }

    const QByteArrayView dayName = text.first(comma);
    const QList<QByteArrayView> p = splitSpaces(text.sliced(comma + 1));
    if (p.size() == 5) {
        // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
        if (!isDayName(dayName, false) || !isGmt(p[4]))
            return std::nullopt;
        const auto year = number(p[2], 4, 4);
        if (!year)
            return std::nullopt;
        return assemble(*year, monthNumber(p[1]), number(p[0], 1, 2), p[3]);
    }
    if (p.size() == 3) {
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        if (!isDayName(dayName, true) || !isGmt(p[2]))
            return std::nullopt;
        const QByteArrayView d = p[0];
        if (d.size() != 9 || d[2] != '-' || d[6] != '-')
            return std::nullopt;
        const auto yy = number(d.sliced(7, 2), 2, 2);
        if (!yy)
            return std::nullopt;
        const int nowYear = now.toUTC().date().year();
        // The latest year ending in those digits that is at most 50 years ahead (RFC 9110).
        int year = nowYear - nowYear % 100 + *yy;
        if (year + 100 <= nowYear + 50)
            year += 100;
        else if (year > nowYear + 50)
            year -= 100;
        return assemble(year, monthNumber(d.sliced(3, 3)), number(d.first(2), 2, 2), p[1]);
    }
    return std::nullopt;
}

std::optional<qint64> parseRetryAfterMs(QByteArrayView value, const QDateTime &now)
{
    QByteArrayView text = value.trimmed();
    if (text.isEmpty())
        return std::nullopt;

    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        while (text.size() > 1 && text.front() == '0')
            text = text.sliced(1);
        constexpr qint64 maxSeconds = std::numeric_limits<qint64>::max() / 1000;
        if (text.size() > 18)
            return maxSeconds * 1000;
        const qint64 seconds = text.toByteArray().toLongLong();
        return std::min(seconds, maxSeconds) * 1000;
    }

    const auto date = parseHttpDate(text, now);
    if (!date)
        return std::nullopt;
    return std::max<qint64>(now.toUTC().msecsTo(*date), 0);
}

} // namespace ferry
