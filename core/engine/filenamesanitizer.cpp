#include "engine/filenamesanitizer.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

constexpr qsizetype MaxNameBytes = 255; // NAME_MAX on Linux/macOS file systems
constexpr qsizetype MaxExtensionChars = 16;
constexpr int MaxCandidates = 10000;

bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

// Bidi overrides and isolates let "evil\u202Etxt.exe" display as "evilexe.txt"; they never
// belong in a file name, so they are dropped along with control characters.
bool isBidiControl(char32_t c)
{
    return c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2066 && c <= 0x2069);
}

bool isForbidden(char32_t c)
{
    return c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}

// Windows resolves these names to devices in every directory, regardless of extension, and also
// when the base name ends in spaces ("CON .txt").
bool isReservedDeviceName(const QString &name)
{
    QStringView base = QStringView(name);
    if (const qsizetype dot = base.indexOf(u'.'); dot >= 0)
        base = base.first(dot);
    while (base.endsWith(u' '))
        base.chop(1);
    static const QStringList plain = {u"CON"_s, u"PRN"_s, u"AUX"_s, u"NUL"_s};
    for (const QString &reserved : plain) {
        if (base.compare(reserved, Qt::CaseInsensitive) == 0)
            return true;
    }
    if (base.size() != 4)
        return false;
    const QStringView prefix = base.first(3);
    const bool device = prefix.compare(u"COM"_s, Qt::CaseInsensitive) == 0 ||
                        prefix.compare(u"LPT"_s, Qt::CaseInsensitive) == 0;
    const QChar digit = base.at(3);
    const bool numbered = (digit >= u'1' && digit <= u'9') || digit == u'\u00b9' ||
                          digit == u'\u00b2' || digit == u'\u00b3';
    return device && numbered;
}

QString lastSegment(const QString &name)
{
    QString unified = name;
    unified.replace(u'\\', u'/');
    const QStringList parts = unified.split(u'/', Qt::SkipEmptyParts);
    return parts.isEmpty() ? QString() : parts.constLast();
}

QString stripCharacters(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (char32_t c : name.toUcs4()) {
        if (isControl(c) || isBidiControl(c))
            continue;
        if (isForbidden(c))
            c = U'_';
        out += QString::fromUcs4(&c, 1);
    }
    return out;
}

// Windows silently strips trailing dots and spaces, so "a." and "a" would collide there.
void trimEnds(QString &name)
{
    qsizetype start = 0;
    while (start < name.size() && name.at(start) == u' ')
        ++start;
    qsizetype end = name.size();
    while (end > start && (name.at(end - 1) == u' ' || name.at(end - 1) == u'.'))
        --end;
    name = name.sliced(start, end - start);
}

// Longest prefix of `text` that fits in `maxBytes` of UTF-8, cut between code points.
QString truncateUtf8(const QString &text, qsizetype maxBytes)
{
    qsizetype bytes = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const bool pair =
            text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        const char16_t u = text.at(i).unicode();
        const qsizetype width = pair ? 4 : (u < 0x80 ? 1 : (u < 0x800 ? 2 : 3));
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        i += pair ? 2 : 1;
    }
    return text.first(i);
}

// Shortens the stem rather than the extension so that the file still opens with the right app.
QString fitToNameLimit(const QString &name, qsizetype maxBytes = MaxNameBytes)
{
    if (name.toUtf8().size() <= maxBytes)
        return name;
    const auto [stem, ext] = splitFileExtension(name);
    QString result = truncateUtf8(stem, maxBytes - ext.toUtf8().size()) + ext;
    trimEnds(result);
    return result;
}

QString sanitizeOnce(const QString &name)
{
    QString result = stripCharacters(lastSegment(name));
    trimEnds(result);
    if (result.isEmpty())
        return {};
    if (isReservedDeviceName(result))
        result.prepend(u'_');
    return fitToNameLimit(result);
}

} // namespace

std::pair<QString, QString> splitFileExtension(const QString &fileName)
{
    static const QStringList compound = {u".tar.gz"_s, u".tar.bz2"_s, u".tar.xz"_s, u".tar.zst"_s};
    for (const QString &ext : compound) {
        if (fileName.size() > ext.size() && fileName.endsWith(ext, Qt::CaseInsensitive))
            return {fileName.first(fileName.size() - ext.size()), fileName.last(ext.size())};
    }
    const qsizetype dot = fileName.lastIndexOf(u'.');
    if (dot <= 0 || dot == fileName.size() - 1)
        return {fileName, QString()};
    const QString ext = fileName.sliced(dot);
    if (ext.size() > MaxExtensionChars || ext.contains(u' '))
        return {fileName, QString()};
    return {fileName.first(dot), ext};
}

QString sanitizeFileName(const QString &name, const QString &fallback)
{
    QString result = sanitizeOnce(name);
    if (result.isEmpty())
        result = sanitizeOnce(fallback);
    if (result.isEmpty())
        result = u"download"_s;
    return result;
}

QString uniqueFilePath(const QString &dir, const QString &fileName,
                       const std::function<bool(const QString &)> &taken)
{
    // A dangling link has a name too, and a no-replace rename onto it fails.
    const auto isTaken = taken ? taken : [](const QString &path) {
        const QFileInfo info(path);
        return info.exists() || info.isSymLink();
    };
    const QDir directory(dir);
    const QString first = directory.filePath(fileName);
    if (!isTaken(first))
        return first;

    const auto [stem, ext] = splitFileExtension(fileName);
    for (int n = 1; n <= MaxCandidates; ++n) {
        const QString suffix = u" (%1)"_s.arg(n) + ext;
        // Keep the numbered name within the byte limit too, or creating it would fail.
        const QString base = truncateUtf8(stem, MaxNameBytes - suffix.toUtf8().size());
        const QString candidate = directory.filePath(base + suffix);
        if (!isTaken(candidate))
            return candidate;
    }
    return {};
}

} // namespace ferry
