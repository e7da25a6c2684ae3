#pragma once

#include <QString>
#include <QtGlobal>

namespace ferry {

// A speed as people type it: "500K", "2M", "1.5m", "1.5 MiB/s", "2 GB/s", "800000". K, M and G
// count 1024, 1024² and 1024³ bytes, with or without "B", "iB" or "B/s" after them (any case).
// A number without any unit counts `plainUnit` bytes: 1 for ferry-cli's --limit, 1024 where a
// box used to count KiB/s. Returns bytes per second, or -1 when the text is not a speed.
qint64 parseRateText(const QString &text, qint64 plainUnit = 1);

} // namespace ferry
