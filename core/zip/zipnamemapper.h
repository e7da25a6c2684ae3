#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace ferry::zip {

// The archive name chosen for one S3 key.
struct ZipName {
    QString key;
    QString entryName;      // '/'-separated, directories end in '/'; empty: not archived
    bool directory = false;
    bool changed = false;   // entryName differs from the key relative to the prefix
};

// Turns the S3 keys of a selection into safe, unique archive entry names, so that extracting
// the archive on Windows, macOS or Linux writes exactly one file per object and nothing outside
// the target folder.
//
// - Names are relative to the folder of the selected prefix ("photos/2023/" or "photos/20":
//   "photos/2023/a.jpg" -> "2023/a.jpg" for the latter).
// - Backslashes are treated as folder separators, like Windows tools that uploaded them meant
//   and Windows unzippers will read them anyway; empty, "." and ".." segments are dropped
//   (no leading '/', no way up); a leading drive ("C:") is dropped.
// - Each segment is made safe with sanitizeFileName(): control characters become '_', and so do
//   characters Windows forbids; reserved device names get a leading '_'.
// - A file whose key has no usable segment is called "unnamed".
// - Folder markers (keys ending in '/' with size 0) become directory entries, so empty folders
//   survive; a marker for the selected folder itself, or for a folder already present, is
//   skipped (entryName empty).
// - Collisions are judged as a case-insensitive, normalization-insensitive file system would
//   (NFC + case folding): folders spelled differently take the first spelling; a file clashing
//   with a folder or an earlier file becomes "name (1).ext", "name (2).ext", ... Keys are taken
//   in sorted order and names that need no change are reserved first, so the result does not
//   depend on the order of the input and an unproblematic name is never taken by a renamed one.
//
// Every key whose name was changed or that is skipped has changed == true, for the UI to show.
class ZipNameMapper final
{
public:
    struct Key {
        QString key;
        qint64 size = 0;
    };

    explicit ZipNameMapper(const QString &prefix = {});

    // One ZipName per key, in the order of `keys`.
    QList<ZipName> map(const QList<Key> &keys) const;

    // The key relative to the prefix's folder, unsanitized.
    QString relativeKey(const QString &key) const;

private:
    QString m_base; // the prefix up to and including its last '/'
};

} // namespace ferry::zip
