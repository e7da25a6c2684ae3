#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace ferry::ui {

// Human-readable text for the table, the details pane and tooltips. All of it goes through
// the translator and the current QLocale, so decimal separators and units follow the user.

QString formatSize(qint64 bytes);           // "1.5 MiB"; "–" when negative (unknown)
QString formatSpeed(qint64 bytesPerSecond); // "1.5 MiB/s"; "–" when negative
QString formatEta(qint64 seconds); // "45 s", "3 min 20 s", "2 h 05 min"; "–" when negative
QString formatDateTime(const QDateTime &time); // local time, short locale format; "–" when invalid

// A speed limit as the limit boxes show it: "5 MiB/s", "1.5 MiB/s", "512 KiB/s"; "No limit" for
// 0 (or less). parseRateLimit() reads this text back, and everything ferry-cli --limit takes.
QString formatRateLimit(qint64 bytesPerSecond);
// "5M", "512k", "1.5 MiB/s" -> bytes per second; a number alone counts KiB/s; empty, "0" and
// the "No limit" text -> 0. Invalid text -> nullopt, with a sentence for the user in *error.
std::optional<qint64> parseRateLimit(const QString &text, QString *error = nullptr);
// An HTTP date as servers send it ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 7231's preferred
// form) in local time and the locale's long format; any other text comes back as it is.
QString formatHttpDate(const QString &httpDate);

} // namespace ferry::ui
