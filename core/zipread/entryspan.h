#pragma once

#include "api/downloadtypes.h"

#include <QByteArray>

#include <optional>

namespace ferry::zipread {

// A download's ZipEntrySpan as kept in its record's extra JSON, under the key "zipEntry". Other
// keys of that object belong to other features and are kept as they are.
QByteArray withEntrySpan(const QByteArray &extra, const ZipEntrySpan &span);
// The span recorded in `extra`; nullopt for a download that is not an archive entry.
std::optional<ZipEntrySpan> entrySpanOf(const QByteArray &extra);

} // namespace ferry::zipread
