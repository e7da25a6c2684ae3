#pragma once

#include "engine/partfile.h"

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
// existing file (a dangling link included), even one that appears meanwhile, and never takes
// "X" while another download's "X.part" exists. Only the file `identity` names is renamed: a
// link or another file now at `partPath` is refused. `beforeRename` learns each chosen name
// first, so it can be recorded and a crash right after the rename is recognised on the next
// start. Returns the final path, or empty with *error. `ownPart`: another part file of the same
// download (an archive entry's span, while its decoded file is moved), which reserves no name.
QString moveIntoPlace(const QString &partPath, PartFile::Identity identity,
                      const QString &directory, const QString &fileName,
                      const std::function<bool(const QString &)> &taken,
                      const std::function<void(const QString &)> &beforeRename, QString *error,
                      const QString &ownPart = {});

// Whether the part file was already renamed to `targetPath` (a crash came between the rename
// and recording it): the target is the part file's identity, or, for records without one, the
// part is gone and the target is a regular file of `total` bytes.
bool renamedAlready(const QString &partPath, PartFile::Identity identity, const QString &targetPath,
                    qint64 total);

} // namespace Finisher
} // namespace ferry
