#include "categories.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHash>

using namespace Qt::StringLiterals;

namespace ferry::ui {

Category categoryForFileName(const QString &fileName)
{
    static const QHash<QString, Category> bySuffix = [] {
        QHash<QString, Category> h;
        for (const char *s : {"pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "txt", "md",
                              "rtf", "epub", "csv", "json", "xml", "html", "htm"})
            h.insert(QString::fromLatin1(s), Category::Documents);
        for (const char *s : {"zip", "7z", "rar", "gz", "tgz", "bz2", "xz", "zst", "tar", "iso", "img", "lz", "lzma", "cab"})
            h.insert(QString::fromLatin1(s), Category::Archives);
        for (const char *s : {"mp4", "mkv", "avi", "mov", "webm", "wmv", "flv", "m4v", "mpg", "mpeg", "ts"})
            h.insert(QString::fromLatin1(s), Category::Video);
        for (const char *s : {"mp3", "flac", "ogg", "opus", "wav", "m4a", "aac", "wma"})
            h.insert(QString::fromLatin1(s), Category::Audio);
        for (const char *s : {"exe", "msi", "deb", "rpm", "apk", "dmg", "pkg", "appimage", "run", "sh", "bin", "snap", "flatpak"})
            h.insert(QString::fromLatin1(s), Category::Programs);
        return h;
    }();
    return bySuffix.value(QFileInfo(fileName).suffix().toLower(), Category::Other);
}

QString categoryName(Category category)
{
    switch (category) {
    case Category::Documents: return QCoreApplication::translate("ferry::ui::Category", "Documents");
    case Category::Archives: return QCoreApplication::translate("ferry::ui::Category", "Archives");
    case Category::Video: return QCoreApplication::translate("ferry::ui::Category", "Video");
    case Category::Audio: return QCoreApplication::translate("ferry::ui::Category", "Audio");
    case Category::Programs: return QCoreApplication::translate("ferry::ui::Category", "Programs");
    case Category::Other: return QCoreApplication::translate("ferry::ui::Category", "Other");
    }
    return {};
}

QString categoryKey(Category category)
{
    switch (category) {
    case Category::Documents: return u"documents"_s;
    case Category::Archives: return u"archives"_s;
    case Category::Video: return u"video"_s;
    case Category::Audio: return u"audio"_s;
    case Category::Programs: return u"programs"_s;
    case Category::Other: return u"other"_s;
    }
    return {};
}

QIcon categoryIcon(Category category)
{
    static const char *names[] = {"document", "archive", "video", "audio", "program", "other"};
    return QIcon(u":/icons/%1.svg"_s.arg(QLatin1StringView(names[int(category)])));
}

} // namespace ferry::ui
