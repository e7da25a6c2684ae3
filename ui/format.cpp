#include "format.h"

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

} // namespace ferry::ui
