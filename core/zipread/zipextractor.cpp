#include "zipread/zipextractor.h"

#include "engine/filenamesanitizer.h"
#include "zip/zipnamemapper.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

bool isWildcard(const QString &pattern)
{
    return pattern.contains(u'*') || pattern.contains(u'?') || pattern.contains(u'[');
}

QString folderOf(const QString &name)
{
    return name.endsWith(u'/') ? name : name + u'/';
}

bool endsEveryEntry(RemoteFailure failure)
{
    return failure == RemoteFailure::Changed || failure == RemoteFailure::Network ||
           failure == RemoteFailure::Aborted || failure == RemoteFailure::NoRanges ||
           failure == RemoteFailure::Http;
}

} // namespace

QList<qsizetype> ZipExtractor::select(const QList<ZipEntry> &entries, const QStringList &patterns,
                                      QStringList *unmatched)
{
    QList<bool> chosen(entries.size(), false);
    for (const QString &pattern : patterns) {
        bool any = false;
        QStringList folders; // folders the pattern matched, whose contents come along
        if (isWildcard(pattern)) {
            // Qt's default wildcard conversion keeps * and ? within one path segment.
            const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(pattern));
            for (const ZipEntry &e : entries) {
                QString name = e.name;
                if (name.endsWith(u'/'))
                    name.chop(1);
                if (re.match(name).hasMatch()) {
                    if (e.directory)
                        folders.append(folderOf(e.name));
                    else
                        folders.append(name + u'/'); // a file matched; "name/" matches nothing else
                }
            }
            for (qsizetype i = 0; i < entries.size(); ++i) {
                QString name = entries.at(i).name;
                if (name.endsWith(u'/'))
                    name.chop(1);
                if (re.match(name).hasMatch()) {
                    chosen[i] = any = true;
                    continue;
                }
                for (const QString &folder : std::as_const(folders)) {
                    if (entries.at(i).name.startsWith(folder)) {
                        chosen[i] = any = true;
                        break;
                    }
                }
            }
        } else {
            const QString folder = folderOf(pattern);
            for (qsizetype i = 0; i < entries.size(); ++i) {
                const QString &name = entries.at(i).name;
                if (name == pattern || name == folder || name.startsWith(folder))
                    chosen[i] = any = true;
            }
        }
        if (!any && unmatched)
            unmatched->append(pattern);
    }
    QList<qsizetype> result;
    for (qsizetype i = 0; i < chosen.size(); ++i) {
        if (chosen.at(i))
            result.append(i);
    }
    return result;
}

// Creates the folders one segment at a time below `root`, refusing to pass through anything
// that is not a real folder (a file, or a symbolic link that could lead out of the root).
QString ZipExtractor::makeFolders(const QString &root, const QStringList &segments, QString *error)
{
    QString path = root;
    for (const QString &segment : segments) {
        path += u'/' + segment;
        const QFileInfo info(path);
        if (info.isSymLink()) {
            *error = tr("“%1” is a symbolic link; nothing is written through it.")
                         .arg(QDir::toNativeSeparators(path));
            return {};
        }
        if (info.exists() && !info.isDir()) {
            *error =
                tr("“%1” is a file, where a folder is needed.").arg(QDir::toNativeSeparators(path));
            return {};
        }
        if (!info.exists() && !QDir().mkdir(path)) {
            *error = tr("Cannot create the folder “%1”.").arg(QDir::toNativeSeparators(path));
            return {};
        }
    }
    return path;
}

QHash<qsizetype, zip::ZipName> ZipExtractor::mapNames(const QList<ZipEntry> &entries,
                                                      const QList<qsizetype> &chosen)
{
    // Safe, unique relative names for all chosen entries at once, as the bundles' names are made.
    QList<qsizetype> valid;
    QList<zip::ZipNameMapper::Key> keys;
    for (qsizetype i : chosen) {
        if (i < 0 || i >= entries.size() || valid.contains(i))
            continue;
        valid.append(i);
        keys.append({entries.at(i).name,
                     entries.at(i).directory ? 0 : qMax<qint64>(1, entries.at(i).size)});
    }
    const QList<zip::ZipName> mapped = zip::ZipNameMapper().map(keys);
    QHash<qsizetype, zip::ZipName> names;
    for (qsizetype k = 0; k < valid.size(); ++k)
        names.insert(valid.at(k), mapped.at(k));
    return names;
}

QList<ExtractedEntry> ZipExtractor::extract(const QList<qsizetype> &chosen, const QString &folder,
                                            const EntryDone &entryDone)
{
    return extract(chosen, folder, entryDone, mapNames(m_reader->entries(), chosen));
}

QList<ExtractedEntry> ZipExtractor::extract(const QList<qsizetype> &chosen, const QString &folder,
                                            const EntryDone &entryDone,
                                            const QHash<qsizetype, zip::ZipName> &mappedNames)
{
    m_stopped = false;
    const QList<ZipEntry> &entries = m_reader->entries();
    QList<qsizetype> order = chosen;
    std::stable_sort(order.begin(), order.end(), [&](qsizetype a, qsizetype b) {
        return entries.at(a).localOffset < entries.at(b).localOffset;
    });
    // An entry the given names lack is named with the rest of the choice.
    QHash<qsizetype, zip::ZipName> own;
    for (qsizetype i : std::as_const(order)) {
        if (!mappedNames.contains(i)) {
            own = mapNames(entries, order);
            break;
        }
    }
    QList<zip::ZipName> names;
    for (qsizetype i : std::as_const(order))
        names.append(mappedNames.contains(i) ? mappedNames.value(i) : own.value(i));

    QList<ExtractedEntry> results;
    QDir().mkpath(folder);
    const QString root = QFileInfo(folder).absoluteFilePath();
    for (qsizetype k = 0; k < order.size(); ++k) {
        const ZipEntry &entry = entries.at(order.at(k));
        ExtractedEntry result;
        result.entry = entry.name;
        result.index = order.at(k);
        result.size = entry.directory ? 0 : entry.size;
        const zip::ZipName &name = names.at(k);
        if (m_stopped) {
            result.error = tr("Not extracted: reading the archive stopped earlier.");
        } else if (const QString why = entry.refusal(); !why.isEmpty()) {
            result.error = why;
            result.refused = true;
        } else if (name.entryName.isEmpty()) {
            // A folder that is already there, or the archive's top folder itself.
            result.path = makeFolders(root, {}, &result.error);
        } else {
            QStringList segments = name.entryName.split(u'/', Qt::SkipEmptyParts);
            const QString fileName = entry.directory ? QString() : segments.takeLast();
            const QString parent = makeFolders(root, segments, &result.error);
            if (!parent.isEmpty() && entry.directory) {
                result.path = parent;
            } else if (!parent.isEmpty()) {
                // Never over an existing file: the first free "name (n).ext".
                const QString path = uniqueFilePath(parent, fileName);
                QFile file(path);
                if (path.isEmpty() || !file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
                    result.error = tr("Cannot create “%1”: %2")
                                       .arg(QDir::toNativeSeparators(parent + u'/' + fileName),
                                            file.errorString());
                } else if (!m_reader->extract(entry, &file)) {
                    result.error = m_reader->errorString();
                    file.remove();
                    m_stopped = endsEveryEntry(m_reader->failure());
                } else {
                    if (entry.modified.isValid())
                        file.setFileTime(entry.modified, QFileDevice::FileModificationTime);
                    file.close();
                    result.path = path;
                    result.renamed = name.changed || QFileInfo(path).fileName() != fileName;
                }
            }
        }
        if (result.renamed == false && !result.path.isEmpty())
            result.renamed = name.changed;
        results.append(result);
        if (entryDone && !entryDone(result))
            m_stopped = true;
    }
    return results;
}

} // namespace ferry::zipread
