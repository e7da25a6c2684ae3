#pragma once

#include "categories.h"

#include <QByteArray>
#include <QLocale>
#include <QString>
#include <QStringList>

class QObject;
class QSettings;
class QTranslator;

namespace ferry::ui {

// Typed access to the user's preferences, with the defaults in one place. The QSettings comes in
// from outside (the app's own file, or a temporary ini in tests) and is not owned. Not a
// singleton: whoever needs settings is handed this object.
class AppSettings final
{
public:
    enum class ProxyType { System, None, Http, Socks5 };

    explicit AppSettings(QSettings *settings);
    Q_DISABLE_COPY_MOVE(AppSettings)

    QString downloadFolder() const; // default: the platform's Downloads folder
    void setDownloadFolder(const QString &folder);
    QString categoryFolder(Category category) const; // empty = use downloadFolder()
    void setCategoryFolder(Category category, const QString &folder);
    QString
    folderFor(const QString &fileName) const; // category folder if set, else downloadFolder()
    QString lastFolder() const; // the folder last chosen in the add dialog; empty if never
    void setLastFolder(const QString &folder);

    int maxConcurrentDownloads() const; // 1..20, default 3
    void setMaxConcurrentDownloads(int count);
    int connectionsPerDownload() const; // 1..32, default 8
    void setConnectionsPerDownload(int count);
    int connectionsPerHost() const; // 1..64, default 16
    void setConnectionsPerHost(int count);
    // How ZIP bundles compress what is not compressed already: 1 (fastest) .. 9 (smallest), default 6.
    int zipDeflateLevel() const;
    void setZipDeflateLevel(int level);
    // New downloads that are ZIP archives are unpacked into a folder named after them once
    // complete (the add dialog's box starts as this); then the archive is kept or moved to the
    // desktop's trash.
    bool extractArchives() const; // default false
    void setExtractArchives(bool on);
    bool trashExtractedArchives() const; // default false: the archive is kept
    void setTrashExtractedArchives(bool on);
    qint64 globalRateLimit() const; // bytes per second, 0 = unlimited
    void setGlobalRateLimit(qint64 bytesPerSecond);

    ProxyType proxyType() const; // default System
    void setProxyType(ProxyType type);
    QString proxyHost() const;
    void setProxyHost(const QString &host);
    int proxyPort() const; // 0 = not set
    void setProxyPort(int port);
    // There is deliberately no proxyPassword here: an ini file is readable plain text, so the
    // password is asked for and kept in memory for the session only (see SettingsDialog).
    QString proxyUser() const;
    void setProxyUser(const QString &user);

    bool resumeAtStart() const; // default true
    void setResumeAtStart(bool on);
    bool clipboardCapture() const; // default false
    void setClipboardCapture(bool on);
    // Downloads caught in a browser start at once instead of opening the add dialog.
    bool startCapturedWithoutAsking() const; // default false
    void setStartCapturedWithoutAsking(bool on);
    bool notifications() const; // default true
    void setNotifications(bool on);
    bool closeToTray() const; // default true
    void setCloseToTray(bool on);
    // What Quit does while downloads run, once the user said not to be asked again.
    enum class QuitWhileRunning { Ask, Quit, KeepInTray };
    QuitWhileRunning quitWhileRunning() const; // default Ask
    void setQuitWhileRunning(QuitWhileRunning choice);
    QString language() const; // "system", "en" or "zh_CN"
    void setLanguage(const QString &language);
    static QStringList languages();
    // The locale the window speaks and formats numbers and dates in: the system's for
    // "system", otherwise the chosen language's.
    static QLocale localeFor(const QString &language, const QLocale &system = QLocale::system());
    // Which ferry_<name>.qm serves a locale: "zh_CN" for any Simplified Chinese locale, "en"
    // (the plural forms of the English source) for everything else.
    static QString translationFor(const QLocale &locale);
    // Ferry's translation for `locale` and Qt's own (standard buttons such as OK and Cancel,
    // file dialogs), parented to `parent`; what cannot be found is left out. The caller
    // installs them, in this order.
    static QList<QTranslator *> loadTranslators(const QLocale &locale, QObject *parent);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);
    QByteArray headerState() const;
    void setHeaderState(const QByteArray &state);

    // Writes pending changes to disk; false when the file could not be written.
    bool sync();
    QString fileName() const;

    // Every http/https URL in free text (one per line, space separated or inside prose),
    // without duplicates, in the order they appear.
    static QStringList urlsFromText(const QString &text);

private:
    QSettings *m_settings;
};

} // namespace ferry::ui
