#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace ferry {

// Where browsers look for Ferry's native-messaging host, whether it is registered there, and
// when each browser's extension last reached it. The host program registers itself with
// register…(); the window's Settings → Browser page only reads. No Widgets; paths under the
// home folder follow QDir::homePath(), so tests can move it.
class BrowserHosts final
{
public:
    static constexpr char hostName[] = "io.github.ferry.host";
    static constexpr char chromiumExtensionId[] = "cihnbmkedaphfpommogcckbnlfknfmal";
    static constexpr char firefoxExtensionId[] = "ferry@ferry.github.io";

    enum class Family { Chromium, Firefox };

    struct Browser
    {
        QString id;   // "chromium", "chrome", "brave", "edge", "vivaldi", "firefox"
        QString name; // as the browser calls itself
        Family family;
        QStringList programs;   // any of them on PATH means the browser is installed
        QString userConfigDir;  // its profile folder under the home folder
        QString userManifestDir;
        QStringList systemManifestDirs;
    };
    static QList<Browser> browsers();
    // Installed: a program on PATH, or its profile folder exists.
    static bool found(const Browser &browser);

    enum class Registration {
        Missing,     // no manifest where this browser looks
        User,        // a manifest in the user's folder, naming an existing program
        System,      // a manifest in a system folder (the package), naming an existing program
        BrokenPath,  // a manifest naming a program that is not there (moved build, removed)
    };
    struct Status
    {
        Registration registration = Registration::Missing;
        QString manifestPath;
        QString programPath; // what the manifest names
    };
    static Status status(const Browser &browser);

    // The manifest that lets `family`'s extension start `program`.
    static QByteArray manifest(Family family, const QString &program);
    // Writes the user-level manifests of every browser (found or not: one installed later
    // works at once); returns the files written, or false with `error`.
    static bool registerForUser(const QString &program, QStringList *written, QString *error);
    static QStringList unregisterForUser(); // the files removed

    // The contact book the host keeps in the state folder: per family, when the extension
    // last sent a message and its version. No addresses, no cookies.
    struct Contact
    {
        QDateTime last; // invalid: never
        QString extensionVersion;
    };
    static QString contactFile(const QString &stateDir);
    static void recordContact(const QString &stateDir, const QString &family, const QString &version,
                              const QDateTime &when = QDateTime::currentDateTimeUtc());
    static Contact contact(const QString &stateDir, Family family);
    static QString familyKey(Family family); // "chromium" or "firefox", as the extension says
};

} // namespace ferry
