#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

namespace ferry {

// A parsed Content-Range response header (RFC 9110 §14.4), byte unit only.
struct ContentRange
{
    qint64 first = -1; // -1 together with last=-1 for "bytes */N"
    qint64 last = -1;  // inclusive
    qint64 total = -1; // -1 when the server said '*'
    qint64 length() const { return first < 0 ? 0 : last - first + 1; }
};

// Strict on purpose: a segment writes the body at `first`, so a header we half-understood would
// corrupt the file. Anything that is not exactly one well-formed byte range yields nullopt.
std::optional<ContentRange> parseContentRange(QByteArrayView header);

} // namespace ferry
