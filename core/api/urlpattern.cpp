#include "api/urlpattern.h"

#include <QCoreApplication>
#include <QLocale>

#include <limits>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

bool escapable(QChar c)
{
    return c == u'[' || c == u']' || c == u'{' || c == u'}';
}

// Where an IPv6 host's `[` would stand: right after the scheme's `://`. Brackets there are the
// host, never a pattern (curl needs -g for them; an address with a host like that is common
// enough that guessing right is kinder).
qsizetype hostBracket(const QString &text)
{
    const qsizetype slashes = text.indexOf(u"://"_s);
    if (slashes <= 0 || slashes + 3 >= text.size() || text.at(slashes + 3) != u'[')
        return -1;
    return slashes + 3;
}

// Up to 18 digits, so that arithmetic on them never overflows.
bool parseNumber(const QString &s, qint64 *value)
{
    if (s.isEmpty() || s.size() > 18)
        return false;
    for (QChar c : s) {
        if (c < u'0' || c > u'9')
            return false;
    }
    *value = s.toLongLong();
    return true;
}

bool isLetter(const QString &s)
{
    return s.size() == 1 &&
           ((s.at(0) >= u'a' && s.at(0) <= u'z') || (s.at(0) >= u'A' && s.at(0) <= u'Z'));
}

bool isDigits(const QString &s)
{
    qint64 ignored = 0;
    return parseNumber(s, &ignored);
}

} // namespace

bool UrlPattern::isPattern(const QString &text)
{
    const qsizetype host = hostBracket(text);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'\\' && i + 1 < text.size() && escapable(text.at(i + 1))) {
            ++i;
        } else if (i == host) {
            const qsizetype close = text.indexOf(u']', i);
            if (close < 0)
                return false;
            i = close;
        } else if (c == u'[' || c == u'{') {
            return true;
        }
    }
    return false;
}

UrlPattern UrlPattern::parse(const QString &text)
{
    UrlPattern p;
    QString literal;
    const auto flush = [&] {
        if (!literal.isEmpty()) {
            Part part;
            part.items = {literal};
            p.m_parts.append(part);
            literal.clear();
        }
    };
    const auto fail = [&](const QString &message) {
        p.m_parts.clear();
        p.m_error = message;
        return p;
    };
    const qsizetype host = hostBracket(text);
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        if (c == u'\\' && i + 1 < n && escapable(text.at(i + 1))) {
            literal += text.at(++i);
        } else if (i == host && text.indexOf(u']', i) > 0) {
            const qsizetype close = text.indexOf(u']', i);
            literal += text.mid(i, close - i + 1);
            i = close;
        } else if (c == u'{') {
            Part part;
            part.kind = Part::List;
            QString item;
            qsizetype j = i + 1;
            bool closed = false;
            for (; j < n; ++j) {
                const QChar d = text.at(j);
                if (d == u'\\' && j + 1 < n && escapable(text.at(j + 1))) {
                    item += text.at(++j);
                } else if (d == u'[' || d == u'{') {
                    return fail(QCoreApplication::translate(
                        "ferry::UrlPattern", "a list in {…} cannot hold another [ or {."));
                } else if (d == u',') {
                    part.items.append(item);
                    item.clear();
                } else if (d == u'}') {
                    part.items.append(item);
                    closed = true;
                    break;
                } else {
                    item += d;
                }
            }
            if (!closed)
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the { at character %1 is never closed.")
                                .arg(i + 1));
            flush();
            p.m_parts.append(part);
            i = j;
        } else if (c == u'[') {
            const qsizetype close = text.indexOf(u']', i);
            if (close < 0)
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the [ at character %1 is never closed.")
                                .arg(i + 1));
            const QString shown = text.mid(i, close - i + 1);
            const QString inner = text.mid(i + 1, close - i - 1);
            if (inner.contains(u'[') || inner.contains(u'{'))
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the [ at character %1 is never closed.")
                                .arg(i + 1));
            const QStringList stepSplit = inner.split(u':');
            const QStringList ends = stepSplit.first().split(u'-');
            Part part;
            if (stepSplit.size() > 2 || ends.size() != 2)
                return fail(QCoreApplication::translate(
                                "ferry::UrlPattern", "%1 is not a range such as [1-10] or [a-z].")
                                .arg(shown));
            if (stepSplit.size() == 2 && !parseNumber(stepSplit.at(1), &part.step))
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the step in %1 is not a whole number.")
                                .arg(shown));
            const QString &from = ends.at(0);
            const QString &to = ends.at(1);
            if (isLetter(from) && isLetter(to)) {
                if (from.at(0).isLower() != to.at(0).isLower())
                    return fail(QCoreApplication::translate(
                                    "ferry::UrlPattern", "the range %1 mixes upper and lower case.")
                                    .arg(shown));
                part.kind = Part::Letters;
                part.first = from.at(0).unicode();
                part.last = to.at(0).unicode();
            } else if (parseNumber(from, &part.first) && parseNumber(to, &part.last)) {
                part.kind = Part::Numbers;
                if (from.size() > 1 && from.startsWith(u'0'))
                    part.width = int(from.size());
            } else if ((isLetter(from) && isDigits(to)) || (isDigits(from) && isLetter(to))) {
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the range %1 mixes letters and numbers.")
                                .arg(shown));
            } else {
                return fail(QCoreApplication::translate(
                                "ferry::UrlPattern", "%1 is not a range such as [1-10] or [a-z].")
                                .arg(shown));
            }
            if (part.step == 0)
                return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                        "the range %1 has a step of 0.")
                                .arg(shown));
            if (part.first > part.last)
                return fail(
                    QCoreApplication::translate("ferry::UrlPattern", "the range %1 runs backwards.")
                        .arg(shown));
            flush();
            p.m_parts.append(part);
            i = close;
        } else if (c == u']' || c == u'}') {
            return fail(QCoreApplication::translate("ferry::UrlPattern",
                                                    "the %1 at character %2 has no opening %3.")
                            .arg(c)
                            .arg(i + 1)
                            .arg(QChar(c == u']' ? u'[' : u'{')));
        } else {
            literal += c;
        }
    }
    flush();
    return p;
}

qint64 UrlPattern::Part::size() const
{
    switch (kind) {
    case Text:
        return 1;
    case List:
        return items.size();
    case Numbers:
    case Letters:
        return (last - first) / step + 1;
    }
    return 1;
}

QString UrlPattern::Part::at(qint64 i) const
{
    switch (kind) {
    case Text:
        return items.first();
    case List:
        return items.at(i);
    case Numbers:
        return QString::number(first + i * step).rightJustified(width, u'0');
    case Letters:
        return QString(QChar(char16_t(first + i * step)));
    }
    return {};
}

qint64 UrlPattern::count() const
{
    if (!isValid())
        return 0;
    constexpr qint64 most = std::numeric_limits<qint64>::max();
    qint64 total = 1;
    for (const Part &part : m_parts) {
        const qint64 size = part.size();
        if (size > 0 && total > most / size)
            return most;
        total *= size;
    }
    return total;
}

QString UrlPattern::address(qint64 index) const
{
    QStringList pieces;
    pieces.reserve(m_parts.size());
    for (auto it = m_parts.crbegin(); it != m_parts.crend(); ++it) {
        const qint64 size = it->size();
        pieces.prepend(it->at(index % size));
        index /= size;
    }
    return pieces.join(QString());
}

QStringList UrlPattern::expand(QString *error, qint64 limit) const
{
    if (!isValid()) {
        if (error)
            *error = describe(m_error);
        return {};
    }
    const qint64 total = count();
    if (total > limit) {
        if (error)
            *error = tooManyMessage(total);
        return {};
    }
    QStringList out;
    out.reserve(total);
    for (qint64 i = 0; i < total; ++i)
        out.append(address(i));
    return out;
}

QString UrlPattern::describe(const QString &fragment, int line)
{
    if (line > 0)
        return QCoreApplication::translate("ferry::UrlPattern", "Line %1: %2")
            .arg(line)
            .arg(fragment);
    if (fragment.isEmpty())
        return fragment;
    return fragment.at(0).toUpper() + fragment.mid(1);
}

QString UrlPattern::tooManyMessage(qint64 count)
{
    const QLocale locale;
    if (count == std::numeric_limits<qint64>::max())
        return QCoreApplication::translate(
                   "ferry::UrlPattern",
                   "This pattern makes more than %1 addresses; at most %2 can be added at once.")
            .arg(locale.toString(count), locale.toString(maxAddresses));
    return QCoreApplication::translate(
               "ferry::UrlPattern",
               "This pattern makes %1 addresses; at most %2 can be added at once.")
        .arg(locale.toString(count), locale.toString(maxAddresses));
}

} // namespace ferry
