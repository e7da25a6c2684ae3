#include "format.h"

#include "engine/ratetext.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// An en dash rather than "?" or "0": unknown is not zero.
QString unknown()
{
    return u"\u2013"_s;
}

QString twoDigits(const QLocale &locale, qint64 value)
{
    return locale.toString(value).rightJustified(2, locale.zeroDigit().front());
}

} // namespace

QString formatSize(qint64 bytes)
{
    if (bytes < 0)
        return unknown();
    // IEC units (KiB, MiB) because that is what file managers on every platform divide by.
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

QString formatSpeed(qint64 bytesPerSecond)
{
    if (bytesPerSecond < 0)
        return unknown();
    return QCoreApplication::translate("ferry::ui::Format", "%1/s").arg(formatSize(bytesPerSecond));
}

QString formatEta(qint64 seconds)
{
    if (seconds < 0)
        return unknown();
    const QLocale locale;
    if (seconds < 60)
        return QCoreApplication::translate("ferry::ui::Format", "%1 s")
            .arg(locale.toString(seconds));
    if (seconds < 3600)
        return QCoreApplication::translate("ferry::ui::Format", "%1 min %2 s")
            .arg(locale.toString(seconds / 60), locale.toString(seconds % 60));
    // Two units are enough precision for an estimate; the smaller one is zero-padded so the
    // column does not jitter while it counts down.
    if (seconds < 100 * 3600)
        return QCoreApplication::translate("ferry::ui::Format", "%1 h %2 min")
            .arg(locale.toString(seconds / 3600), twoDigits(locale, seconds % 3600 / 60));
    return QCoreApplication::translate("ferry::ui::Format", "%1 d %2 h")
        .arg(locale.toString(seconds / 86400), twoDigits(locale, seconds % 86400 / 3600));
}

QString formatDateTime(const QDateTime &time)
{
    if (!time.isValid())
        return unknown();
    return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
}

QString formatHttpDate(const QString &httpDate)
{
    // Day and month names in English whatever the user's language: parsed with the C locale.
    const QDateTime parsed = QLocale::c().toDateTime(httpDate.trimmed(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s);
    if (!parsed.isValid())
        return httpDate; // an obsolete or broken form still tells the user something as it is
    const QDateTime utc(parsed.date(), parsed.time(), Qt::UTC);
    return QLocale().toString(utc.toLocalTime(), QLocale::LongFormat);
}

QString formatRateLimit(qint64 bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return QCoreApplication::translate("ferry::ui::Format", "No limit");
    // The text must read back as the same speed: no digit grouping ("1,024" would be a decimal
    // point in some locales), at most two decimals, none that are zero ("5 MiB/s").
    QLocale locale;
    if (locale.zeroDigit() != u"0"_s)
        locale = QLocale::c(); // digits the parser knows
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    const auto number = [&](qint64 unit) {
        QString text = locale.toString(double(bytesPerSecond) / double(unit), 'f', 2);
        const QString point = locale.decimalPoint();
        if (text.contains(point)) {
            while (text.endsWith(locale.zeroDigit()))
                text.chop(locale.zeroDigit().size());
            if (text.endsWith(point))
                text.chop(point.size());
        }
        return text;
    };
    constexpr qint64 kib = 1024, mib = kib * 1024, gib = mib * 1024;
    if (bytesPerSecond >= gib)
        return QCoreApplication::translate("ferry::ui::Format", "%1 GiB/s").arg(number(gib));
    if (bytesPerSecond >= mib)
        return QCoreApplication::translate("ferry::ui::Format", "%1 MiB/s").arg(number(mib));
    if (bytesPerSecond >= kib)
        return QCoreApplication::translate("ferry::ui::Format", "%1 KiB/s").arg(number(kib));
    return QCoreApplication::translate("ferry::ui::Format", "%1 B/s").arg(number(1));
}

std::optional<qint64> parseRateLimit(const QString &text, QString *error)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.compare(formatRateLimit(0), Qt::CaseInsensitive) == 0)
        return 0;
    // What formatRateLimit() wrote in this locale reads back; otherwise the units and the
    // decimal point are exactly those of ferry-cli --limit.
    QString plain = trimmed;
    const QString point = QLocale().decimalPoint();
    if (point != u"."_s)
        plain.replace(point, u"."_s);
    // A bare number keeps meaning KiB/s, as in the spin boxes these fields replaced.
    const qint64 bytes = parseRateText(plain, 1024);
    if (bytes >= 0)
        return bytes;
    if (error)
        *error = QCoreApplication::translate("ferry::ui::Format",
                                             "“%1” is not a speed. Examples: 500K, 2M, 1.5 MiB/s.")
                     .arg(trimmed);
    return std::nullopt;
}

} // namespace ferry::ui
