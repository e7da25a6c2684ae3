#include "engine/contentrange.h"

namespace ferry {

namespace {

// 18 decimal digits always fit in a qint64 (max is 19 digits), so refusing longer strings is a
// cheap overflow check that also rejects sizes no real server will ever send.
constexpr qsizetype MaxDigits = 18;

bool isSpace(char c)
{
    return c == ' ' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Consumes a run of digits at `pos`; fails on an empty run or one longer than MaxDigits.
std::optional<qint64> takeNumber(QByteArrayView text, qsizetype &pos)
{
    const qsizetype start = pos;
    qint64 value = 0;
    while (pos < text.size() && isDigit(text[pos])) {
        if (pos - start >= MaxDigits)
            return std::nullopt;
        value = value * 10 + (text[pos] - '0');
        ++pos;
    }
    if (pos == start)
        return std::nullopt;
    return value;
}

bool takeChar(QByteArrayView text, qsizetype &pos, char c)
{
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

} // namespace

std::optional<ContentRange> parseContentRange(QByteArrayView header)
{
    const QByteArrayView text = header.trimmed();
    constexpr QByteArrayView unit = "bytes";
    if (text.size() <= unit.size() ||
        text.first(unit.size()).compare(unit, Qt::CaseInsensitive) != 0)
        return std::nullopt;

    qsizetype pos = unit.size();
    if (!isSpace(text[pos]))
        return std::nullopt;
    while (pos < text.size() && isSpace(text[pos]))
        ++pos;

    ContentRange range;
    if (takeChar(text, pos, '*')) {
        // "bytes */N" only comes with 416 and must carry the complete length.
        if (!takeChar(text, pos, '/'))
            return std::nullopt;
        const auto total = takeNumber(text, pos);
        if (!total || pos != text.size())
            return std::nullopt;
        range.total = *total;
        return range;
    }

    const auto first = takeNumber(text, pos);
    if (!first || !takeChar(text, pos, '-'))
        return std::nullopt;
    const auto last = takeNumber(text, pos);
    if (!last || !takeChar(text, pos, '/'))
        return std::nullopt;
    range.first = *first;
    range.last = *last;
    if (!takeChar(text, pos, '*')) {
        const auto total = takeNumber(text, pos);
        if (!total)
            return std::nullopt;
        range.total = *total;
    }
    if (pos != text.size())
        return std::nullopt;
    if (range.last < range.first)
        return std::nullopt;
    if (range.total >= 0 && range.last >= range.total)
        return std::nullopt;
    return range;
}

} // namespace ferry
