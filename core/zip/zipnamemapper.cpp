#include "zip/zipnamemapper.h"

#include "engine/filenamesanitizer.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

// Case-insensitive and normalization-insensitive, like NTFS and APFS compare names.
QString fold(const QString &name)
{
    return name.normalized(QString::NormalizationForm_C).toCaseFolded();
}

bool isDriveLetter(QStringView s)
{
    return s.size() >= 2 && s.at(1) == u':' &&
           ((s.at(0) >= u'a' && s.at(0) <= u'z') || (s.at(0) >= u'A' && s.at(0) <= u'Z'));
}

QString safeSegment(QString segment)
{
    for (QChar &c : segment) {
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            c = u'_'; // replaced rather than dropped, so "a\tb" and "ab" stay different
    }
    return sanitizeFileName(segment, u"_"_s);
}

QStringList safeSegments(const QString &relative)
{
    QString path = relative;
    path.replace(u'\\', u'/');
    QStringList parts;
    for (const QString &part : path.split(u'/', Qt::SkipEmptyParts)) {
        if (part == u"."_s || part == u".."_s)
            continue;
        if (parts.isEmpty() && isDriveLetter(part)) {
            if (part.size() > 2)
                parts.append(safeSegment(part.sliced(2)));
            continue;
        }
        parts.append(safeSegment(part));
    }
    return parts;
}

struct Item {
    QStringList parts;
    bool directory = false;
    QString parent; // canonical spelling of the parent folder ("" at the top)
};

} // namespace

ZipNameMapper::ZipNameMapper(const QString &prefix)
    : m_base(prefix.left(prefix.lastIndexOf(u'/') + 1))
{
}

QString ZipNameMapper::relativeKey(const QString &key) const
{
    return key.startsWith(m_base) ? key.sliced(m_base.size()) : key;
}

QList<ZipName> ZipNameMapper::map(const QList<Key> &keys) const
{
    QList<ZipName> result(keys.size());
    QList<Item> items(keys.size());
    QList<qsizetype> order(keys.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](qsizetype a, qsizetype b) { return keys[a].key < keys[b].key; });

    for (qsizetype i = 0; i < keys.size(); ++i) {
        const QString &key = keys[i].key;
        const QString relative = relativeKey(key);
        items[i].directory = (key.endsWith(u'/') || key.endsWith(u'\\')) && keys[i].size == 0;
        items[i].parts = safeSegments(relative);
        if (!items[i].directory && items[i].parts.isEmpty())
            items[i].parts = {u"unnamed"_s};
        result[i].key = key;
        result[i].directory = items[i].directory;
    }

    // Folders first, so a folder always keeps its name and a clashing file is the one renamed.
    QHash<QString, QString> folders; // folded path -> first spelling
    const auto canonicalFolder = [&folders](const QStringList &parts, qsizetype depth) {
        QString spelled;
        QString folded;
        for (qsizetype i = 0; i < depth; ++i) {
            const QString foldedPath = folded.isEmpty() ? fold(parts[i]) : folded + u'/' + fold(parts[i]);
            auto it = folders.constFind(foldedPath);
            if (it == folders.constEnd()) {
                spelled = spelled.isEmpty() ? parts[i] : spelled + u'/' + parts[i];
                folders.insert(foldedPath, spelled);
            } else {
                spelled = *it;
            }
            folded = foldedPath;
        }
        return spelled;
    };
    for (qsizetype i : std::as_const(order)) {
        Item &item = items[i];
        item.parent = canonicalFolder(item.parts, item.parts.size() - (item.directory ? 0 : 1));
    }

    // Keys whose name survives unchanged claim it before keys whose name was altered ("a//b"
    // must not take "a/b" from the key "a/b").
    std::stable_partition(order.begin(), order.end(), [&](qsizetype i) {
        const Item &item = items[i];
        const QString path = item.parent.isEmpty() || item.directory
                                 ? item.parts.value(item.parts.size() - 1)
                                 : item.parent + u'/' + item.parts.last();
        return item.directory || path == relativeKey(keys[i].key);
    });

    QSet<QString> files; // folded full paths of files
    QSet<QString> emittedFolders;
    QList<qsizetype> clashing;
    const auto taken = [&](const QString &path) {
        const QString folded = fold(path);
        return folders.contains(folded) || files.contains(folded);
    };
    for (qsizetype i : std::as_const(order)) {
        const Item &item = items[i];
        if (item.directory) {
            // item.parent is the folder itself here; emit it once.
            if (!item.parent.isEmpty() && !emittedFolders.contains(fold(item.parent))) {
                emittedFolders.insert(fold(item.parent));
                result[i].entryName = item.parent + u'/';
            }
            continue;
        }
        const QString path = item.parent.isEmpty() ? item.parts.last()
                                                   : item.parent + u'/' + item.parts.last();
        if (taken(path)) {
            clashing.append(i);
            continue;
        }
        files.insert(fold(path));
        result[i].entryName = path;
    }
    for (qsizetype i : std::as_const(clashing)) {
        const Item &item = items[i];
        const auto [base, extension] = splitFileExtension(item.parts.last());
        const QString folder = item.parent.isEmpty() ? QString() : item.parent + u'/';
        for (int n = 1;; ++n) {
            const QString candidate = folder + base + u" ("_s + QString::number(n) + u')' + extension;
            if (!taken(candidate)) {
                files.insert(fold(candidate));
                result[i].entryName = candidate;
                break;
            }
        }
    }

    for (qsizetype i = 0; i < keys.size(); ++i)
        result[i].changed = result[i].entryName != relativeKey(keys[i].key);
    return result;
}

} // namespace ferry::zip
