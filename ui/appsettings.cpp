#include "appsettings.h"

#include <QLibraryInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTranslator>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// Older files kept these under "general/", which QSettings writes as "[%General]" and reads
// back as "General/...": such values are still honoured.
QVariant legacyValue(const QSettings &settings, const QString &key, const QString &oldKey, const QVariant &fallback)
{
    if (settings.contains(key))
        return settings.value(key);
    return settings.value(oldKey, fallback);
}

} // namespace

namespace {

// Stored as words, not numbers, so a hand-edited ini file stays readable and reordering the
// enum cannot silently change a user's choice.
struct ProxyName
{
    AppSettings::ProxyType type;
    QLatin1StringView key;
};
constexpr ProxyName proxyNames[] = {
    {AppSettings::ProxyType::System, "system"_L1},
    {AppSettings::ProxyType::None, "none"_L1},
    {AppSettings::ProxyType::Http, "http"_L1},
    {AppSettings::ProxyType::Socks5, "socks5"_L1},
};

int boundedInt(const QSettings *s, const QString &key, int fallback, int lo, int hi)
{
    bool ok = false;
    const int v = s->value(key, fallback).toInt(&ok);
    return ok ? std::clamp(v, lo, hi) : fallback;
}

} // namespace

AppSettings::AppSettings(QSettings *settings) : m_settings(settings)
{
    Q_ASSERT(settings);
    // Qt 6.4 already writes ini files through QSaveFile (a temporary file in the same folder,
    // fdatasync, then rename over the old file), so a crash mid-save leaves the old settings
    // intact. That is only guaranteed while atomic sync is required, which is the default;
    // saying so here keeps anyone from turning it off for this file.
    m_settings->setAtomicSyncRequired(true);
}

QString AppSettings::downloadFolder() const
{
    const QString folder = m_settings->value(u"folders/download"_s).toString();
    if (!folder.isEmpty())
        return folder;
    const QString standard = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return standard.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::HomeLocation)
                              : standard;
}

void AppSettings::setDownloadFolder(const QString &folder)
{
    m_settings->setValue(u"folders/download"_s, folder);
}

QString AppSettings::categoryFolder(Category category) const
{
    return m_settings->value(u"folders/"_s + categoryKey(category)).toString();
}

void AppSettings::setCategoryFolder(Category category, const QString &folder)
{
    m_settings->setValue(u"folders/"_s + categoryKey(category), folder);
}

QString AppSettings::folderFor(const QString &fileName) const
{
    const QString folder = categoryFolder(categoryForFileName(fileName));
    return folder.isEmpty() ? downloadFolder() : folder;
}

QString AppSettings::lastFolder() const
{
    return m_settings->value(u"folders/last"_s).toString();
}

void AppSettings::setLastFolder(const QString &folder)
{
    m_settings->setValue(u"folders/last"_s, folder);
}

int AppSettings::maxConcurrentDownloads() const
{
    return boundedInt(m_settings, u"connections/maxConcurrent"_s, 3, 1, 20);
}

void AppSettings::setMaxConcurrentDownloads(int count)
{
    m_settings->setValue(u"connections/maxConcurrent"_s, std::clamp(count, 1, 20));
}

int AppSettings::connectionsPerDownload() const
{
    return boundedInt(m_settings, u"connections/perDownload"_s, 8, 1, 32);
}

void AppSettings::setConnectionsPerDownload(int count)
{
    m_settings->setValue(u"connections/perDownload"_s, std::clamp(count, 1, 32));
}

int AppSettings::connectionsPerHost() const
{
    return boundedInt(m_settings, u"connections/perHost"_s, 16, 1, 64);
}

void AppSettings::setConnectionsPerHost(int count)
{
    m_settings->setValue(u"connections/perHost"_s, std::clamp(count, 1, 64));
}

int AppSettings::zipDeflateLevel() const
{
    return boundedInt(m_settings, u"zip/deflateLevel"_s, 6, 1, 9);
}

void AppSettings::setZipDeflateLevel(int level)
{
    m_settings->setValue(u"zip/deflateLevel"_s, std::clamp(level, 1, 9));
}

bool AppSettings::extractArchives() const
{
    return m_settings->value(u"zip/extractWhenComplete"_s, false).toBool();
}

void AppSettings::setExtractArchives(bool on)
{
    m_settings->setValue(u"zip/extractWhenComplete"_s, on);
}

bool AppSettings::trashExtractedArchives() const
{
    return m_settings->value(u"zip/trashAfterExtracting"_s, false).toBool();
}

void AppSettings::setTrashExtractedArchives(bool on)
{
    m_settings->setValue(u"zip/trashAfterExtracting"_s, on);
}

qint64 AppSettings::globalRateLimit() const
{
    return std::max<qint64>(0, m_settings->value(u"connections/globalRateLimit"_s, 0).toLongLong());
}

void AppSettings::setGlobalRateLimit(qint64 bytesPerSecond)
{
    m_settings->setValue(u"connections/globalRateLimit"_s, std::max<qint64>(0, bytesPerSecond));
}

AppSettings::ProxyType AppSettings::proxyType() const
{
    const QString key = m_settings->value(u"proxy/type"_s).toString();
    for (const ProxyName &p : proxyNames) {
        if (key == p.key)
            return p.type;
    }
    return ProxyType::System;
}

void AppSettings::setProxyType(ProxyType type)
{
    for (const ProxyName &p : proxyNames) {
        if (p.type == type)
            m_settings->setValue(u"proxy/type"_s, QString(p.key));
    }
}

QString AppSettings::proxyHost() const
{
    return m_settings->value(u"proxy/host"_s).toString();
}

void AppSettings::setProxyHost(const QString &host)
{
    m_settings->setValue(u"proxy/host"_s, host.trimmed());
}

int AppSettings::proxyPort() const
{
    return boundedInt(m_settings, u"proxy/port"_s, 0, 0, 65535);
}

void AppSettings::setProxyPort(int port)
{
    m_settings->setValue(u"proxy/port"_s, std::clamp(port, 0, 65535));
}

QString AppSettings::proxyUser() const
{
    return m_settings->value(u"proxy/user"_s).toString();
}

void AppSettings::setProxyUser(const QString &user)
{
    m_settings->setValue(u"proxy/user"_s, user);
}

bool AppSettings::resumeAtStart() const
{
    return legacyValue(*m_settings, u"behaviour/resumeAtStart"_s, u"General/resumeAtStart"_s, true).toBool();
}

void AppSettings::setResumeAtStart(bool on)
{
    m_settings->setValue(u"behaviour/resumeAtStart"_s, on);
}

bool AppSettings::clipboardCapture() const
{
    return legacyValue(*m_settings, u"behaviour/clipboardCapture"_s, u"General/clipboardCapture"_s, false).toBool();
}

void AppSettings::setClipboardCapture(bool on)
{
    m_settings->setValue(u"behaviour/clipboardCapture"_s, on);
}

bool AppSettings::startCapturedWithoutAsking() const
{
    return m_settings->value(u"browser/startWithoutAsking"_s, false).toBool();
}

void AppSettings::setStartCapturedWithoutAsking(bool on)
{
    m_settings->setValue(u"browser/startWithoutAsking"_s, on);
}

bool AppSettings::notifications() const
{
    return legacyValue(*m_settings, u"behaviour/notifications"_s, u"General/notifications"_s, true).toBool();
}

void AppSettings::setNotifications(bool on)
{
    m_settings->setValue(u"behaviour/notifications"_s, on);
}

bool AppSettings::closeToTray() const
{
    return legacyValue(*m_settings, u"behaviour/closeToTray"_s, u"General/closeToTray"_s, true).toBool();
}

void AppSettings::setCloseToTray(bool on)
{
    m_settings->setValue(u"behaviour/closeToTray"_s, on);
}

namespace {

struct QuitName
{
    AppSettings::QuitWhileRunning choice;
    QLatin1StringView key;
};
constexpr QuitName quitNames[] = {
    {AppSettings::QuitWhileRunning::Ask, "ask"_L1},
    {AppSettings::QuitWhileRunning::Quit, "quit"_L1},
    {AppSettings::QuitWhileRunning::KeepInTray, "tray"_L1},
};

} // namespace

AppSettings::QuitWhileRunning AppSettings::quitWhileRunning() const
{
    const QString key = m_settings->value(u"behaviour/quitWhileRunning"_s).toString();
    for (const QuitName &q : quitNames) {
        if (key == q.key)
            return q.choice;
    }
    return QuitWhileRunning::Ask;
}

void AppSettings::setQuitWhileRunning(QuitWhileRunning choice)
{
    for (const QuitName &q : quitNames) {
        if (q.choice == choice)
            m_settings->setValue(u"behaviour/quitWhileRunning"_s, QString(q.key));
    }
}

// Not under "general/": QSettings writes that group as "[%General]" and reads it back as
// "General", so on Linux a fresh start would not find the key again.
constexpr auto languageKey = "interface/language"_L1;

QString AppSettings::language() const
{
    const QString language = m_settings->value(languageKey).toString();
    return languages().contains(language) ? language : u"system"_s;
}

void AppSettings::setLanguage(const QString &language)
{
    m_settings->setValue(languageKey,
                         languages().contains(language) ? language : u"system"_s);
}

QStringList AppSettings::languages()
{
    return {u"system"_s, u"en"_s, u"zh_CN"_s};
}

QLocale AppSettings::localeFor(const QString &language, const QLocale &system)
{
    if (language == u"en")
        return QLocale(QLocale::English, QLocale::UnitedStates);
    if (language == u"zh_CN")
        return QLocale(QLocale::Chinese, QLocale::SimplifiedHanScript, QLocale::China);
    return system;
}

QString AppSettings::translationFor(const QLocale &locale)
{
    // Singapore and Malaysia write Simplified Chinese too; Taiwan and Hong Kong read
    // Traditional, for which English is the better fallback than the wrong script.
    if (locale.language() == QLocale::Chinese && locale.script() == QLocale::SimplifiedHanScript)
        return u"zh_CN"_s;
    return u"en"_s;
}

QList<QTranslator *> AppSettings::loadTranslators(const QLocale &locale, QObject *parent)
{
    const QString name = translationFor(locale);
    QList<QTranslator *> loaded;
    auto *ferry = new QTranslator(parent);
    if (ferry->load(u":/i18n/ferry_"_s + name))
        loaded << ferry;
    else
        delete ferry;
    // Qt's texts in the same language as Ferry's, never another: a German system with
    // Ferry in English gets English OK and Cancel buttons, not German ones beside English
    // text. They come from the system (Debian: qt6-translations-l10n).
    auto *qt = new QTranslator(parent);
    if (qt->load(u"qtbase_"_s + name, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        loaded << qt;
    else
        delete qt;
    return loaded;
}

QByteArray AppSettings::windowGeometry() const
{
    return m_settings->value(u"window/geometry"_s).toByteArray();
}

void AppSettings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(u"window/geometry"_s, geometry);
}

QByteArray AppSettings::windowState() const
{
    return m_settings->value(u"window/state"_s).toByteArray();
}

void AppSettings::setWindowState(const QByteArray &state)
{
    m_settings->setValue(u"window/state"_s, state);
}

QByteArray AppSettings::headerState() const
{
    return m_settings->value(u"window/headerState"_s).toByteArray();
}

void AppSettings::setHeaderState(const QByteArray &state)
{
    m_settings->setValue(u"window/headerState"_s, state);
}

bool AppSettings::sync()
{
    m_settings->sync();
    return m_settings->status() == QSettings::NoError;
}

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

QStringList AppSettings::urlsFromText(const QString &text)
{
    // A URL runs until whitespace or a character that cannot appear unescaped in one and
    // usually delimits it in prose, HTML or Markdown (quotes, angle brackets, backticks).
    static const QRegularExpression re(uR"((?<![\w.+-])https?://[^\s<>"'`]+)"_s,
                                       QRegularExpression::CaseInsensitiveOption);
    QStringList urls;
    QSet<QString> seen;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        QString candidate = it.next().captured();
        // Sentence punctuation after a URL belongs to the sentence; a closing bracket belongs
        // to the URL only when it also opens one (Wikipedia-style "Foo_(bar)").
        while (!candidate.isEmpty()) {
            const QChar last = candidate.back();
            const bool unbalanced =
                (last == u')' && candidate.count(u'(') < candidate.count(u')')) ||
                (last == u']' && candidate.count(u'[') < candidate.count(u']'));
            if (QStringView(u".,;:!?").contains(last) || unbalanced)
                candidate.chop(1);
            else
                break;
        }
        const QUrl url(candidate, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty() || seen.contains(candidate))
            continue;
        seen.insert(candidate);
        urls.append(candidate);
    }
    return urls;
}

} // namespace ferry::ui
