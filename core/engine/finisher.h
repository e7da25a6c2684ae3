#pragma once

#include <QObject>
#include <QString>
#include <functional>

namespace ferry {

// The last steps of a download, apart from the transfer: checking the finished part file and
// moving it to a final name that nobody else has.
namespace Finisher {

// Checks the size and, when a checksum is given ("sha256=HEX"), hashes the file on a thread of
// its own (gigabytes take seconds). `done` runs on `context`'s thread with an empty string on
// success, or a sentence for the user.
void verify(const QString &partPath, qint64 expectedSize, const QString &checksum, QObject *context,
            std::function<void(const QString &error)> done);

// Renames the part file to the first free "name.ext", "name (1).ext", ...; never replaces an
// existing file, even one that appears meanwhile. `beforeRename` learns each chosen name first,
// so it can be recorded and a crash right after the rename is recognised on the next start.
// Returns the final path, or empty with *error.
QString moveIntoPlace(const QString &partPath, const QString &directory, const QString &fileName,
                      const std::function<bool(const QString &)> &taken,
                      const std::function<void(const QString &)> &beforeRename, QString *error);

} // namespace Finisher
} // namespace ferry
