#pragma once

#include <QByteArrayView>
#include <QString>

class QUrl;

namespace ferry {

// Raw (unsanitized) file name from a Content-Disposition header: filename* (RFC 5987 / 8187:
// charset'lang'pct-encoded, UTF-8 and ISO-8859-1) wins over filename (token or quoted-string with
// backslash escapes). Empty when absent or unparseable.
//
// filename* wins because it is the only form that carries its charset; servers send both so that
// old clients get an ASCII approximation in filename and new ones get the real name.
// The result may contain path separators or "..": pass it through sanitizeFileName().
QString fileNameFromContentDisposition(QByteArrayView header);

// Last non-empty path segment of the URL, percent-decoded; empty if none.
QString fileNameFromUrl(const QUrl &url);

} // namespace ferry
