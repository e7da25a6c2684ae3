#include "zip/zipentrymeta.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace ferry::zip {

bool isAlreadyCompressed(QStringView name)
{
    // PDF is not listed: its object streams are usually compressed but the rest still deflates
    // by 5–20 %, which is worth the CPU.
    static const QSet<QString> extensions = {
        u"zip"_s,  u"gz"_s,   u"tgz"_s,  u"bz2"_s,  u"tbz2"_s, u"xz"_s,   u"txz"_s,  u"zst"_s,
        u"lz4"_s,  u"lzma"_s, u"7z"_s,   u"rar"_s,  u"jpg"_s,  u"jpeg"_s, u"png"_s,  u"gif"_s,
        u"webp"_s, u"heic"_s, u"heif"_s, u"avif"_s, u"mp4"_s,  u"m4v"_s,  u"m4a"_s,  u"mkv"_s,
        u"mov"_s,  u"avi"_s,  u"webm"_s, u"mp3"_s,  u"aac"_s,  u"ogg"_s,  u"oga"_s,  u"ogv"_s,
        u"flac"_s, u"opus"_s, u"docx"_s, u"xlsx"_s, u"pptx"_s, u"odt"_s,  u"ods"_s,  u"odp"_s,
        u"epub"_s, u"apk"_s,  u"jar"_s,  u"war"_s,  u"aar"_s,  u"whl"_s,  u"woff"_s, u"woff2"_s,
        u"dmg"_s,
    };
    const qsizetype slash = name.lastIndexOf(u'/');
    const QStringView base = slash >= 0 ? name.sliced(slash + 1) : name;
    const qsizetype dot = base.lastIndexOf(u'.');
    if (dot <= 0 || dot == base.size() - 1)
        return false;
    return extensions.contains(base.sliced(dot + 1).toString().toLower());
}

} // namespace ferry::zip
