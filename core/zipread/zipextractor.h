#pragma once

#include "zip/zipnamemapper.h"
#include "zipread/zipreader.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace ferry::zipread {

// What became of one chosen entry.
struct ExtractedEntry
{
    QString entry; // name in the archive
    QString path;  // the file or folder written (absolute); empty when nothing was
    qint64 size = 0;
    bool renamed = false; // the path is not the entry's own name (made safe or made unique)
    QString error;        // empty on success
    qsizetype index = -1; // the entry's index in reader->entries() (names may repeat)
    bool refused = false; // left out by rule (ZipEntry::refusal()), not failed: `error` says why
};

// Chooses entries of an archive and writes them under a folder, with the rules every name in
// Ferry follows (ZipNameMapper): no way out of the folder (no "..", no absolute paths, no
// drive letters, never through a symbolic link that is already there), names safe on Windows,
// macOS and Linux, unique even on case-insensitive file systems, and never over an existing
// file ("name (1).ext" instead). Entries keep their folders below the target folder.
// Not thread-safe; runs on the reader's thread.
class ZipExtractor final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zipread::ZipExtractor)
    Q_DISABLE_COPY_MOVE(ZipExtractor)
public:
    // Indices of the entries `patterns` choose, in archive order: an entry's exact name; a
    // folder ("docs" or "docs/") with everything below it; or a wildcard pattern (*, ?, [...];
    // * and ? do not match '/') matched against whole names, where a matching folder brings
    // everything below it. Patterns that choose nothing go to *unmatched.
    static QList<qsizetype> select(const QList<ZipEntry> &entries, const QStringList &patterns,
                                   QStringList *unmatched = nullptr);

    explicit ZipExtractor(ZipReader *reader) : m_reader(reader) {}

    // Called after each entry; return false to stop.
    using EntryDone = std::function<bool(const ExtractedEntry &result)>;
    // Extracts the chosen entries (indices into reader->entries()) under `folder`, created when
    // missing. A failed entry leaves no file behind. One result per chosen entry, in the order
    // they were read (by position in the archive, so a remote archive is read front to back).
    QList<ExtractedEntry> extract(const QList<qsizetype> &chosen, const QString &folder,
                                  const EntryDone &entryDone = {});
    // The same with the names of `names` (from mapNames() over a larger choice, part of which
    // goes elsewhere), so that no two entries of that choice get the same name.
    QList<ExtractedEntry> extract(const QList<qsizetype> &chosen, const QString &folder,
                                  const EntryDone &entryDone,
                                  const QHash<qsizetype, zip::ZipName> &names);

    // The safe, unique names (ZipNameMapper) of the chosen entries, all mapped at once: entry
    // index -> name. Entries below a chosen folder are not added; choose them as well.
    static QHash<qsizetype, zip::ZipName> mapNames(const QList<ZipEntry> &entries,
                                                   const QList<qsizetype> &chosen);

    // Whether the last extract() stopped for a reason that ends every later entry too (the
    // remote archive changed, the network failed, it was cancelled).
    bool stoppedEarly() const { return m_stopped; }

    // Creates the folders `segments` one by one below `root`, refusing to pass through anything
    // that is not a real folder (a file, or a symbolic link that could lead out of the root).
    // Returns the innermost folder, or empty with *error.
    static QString makeFolders(const QString &root, const QStringList &segments, QString *error);

private:

    ZipReader *m_reader;
    bool m_stopped = false;
};

} // namespace ferry::zipread
