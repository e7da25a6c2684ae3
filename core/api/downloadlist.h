#pragma once

#include "api/downloadtypes.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QStringList>

namespace ferry {

// Lists of downloads in and out of Ferry: plain text (one address per line) or JSON. What is
// written never holds a secret: addresses lose their password, headers keep only their names.
// Pure functions over values.
class DownloadList final
{
public:
    enum class Format { Text, Json };

    // What a snapshot does not carry but a JSON list may show.
    struct Extras
    {
        QString checksum;              // "sha256=HEX"
        QList<QByteArray> headerNames; // names only, never values
    };

    static QByteArray write(const QList<DownloadSnapshot> &downloads, Format format,
                            const QHash<DownloadId, Extras> &extras = {});

    struct Imported
    {
        QList<DownloadRequest> requests; // url, and where the list says: directory, fileName,
                                         // checksum, connections, rateLimit
        QStringList skipped;             // "entry 3: not an http or https address"
    };
    // Ferry's JSON (an array of objects), `ferry-cli list --json` (one object per line), or
    // text with http(s) addresses anywhere in it. Patterns are kept as written, not expanded.
    static Imported read(const QByteArray &data);

    // Stable English names, as `ferry-cli --json` writes them.
    static QString stateKey(DownloadState state);
};

} // namespace ferry
