#pragma once

#include <QDateTime>
#include <QString>

namespace ferry::ui {

// Human-readable text for the table, the details pane and tooltips. All of it goes through
// the translator and the current QLocale, so decimal separators and units follow the user.

QString formatSize(qint64 bytes);           // "1.5 MiB"; "–" when negative (unknown)
QString formatSpeed(qint64 bytesPerSecond); // "1.5 MiB/s"; "–" when negative
QString formatEta(qint64 seconds); // "45 s", "3 min 20 s", "2 h 05 min"; "–" when negative
QString formatDateTime(const QDateTime &time); // local time, short locale format; "–" when invalid

} // namespace ferry::ui
