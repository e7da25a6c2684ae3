#include "api/browserhosts.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

#include <optional>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

QString home(const QString &relative)
{
    return QDir::homePath() + u'/' + relative;
}

QString manifestFileName()
{
    return QString::fromLatin1(BrowserHosts::hostName) + u".json"_s;
}

} // namespace

QList<BrowserHosts::Browser> BrowserHosts::browsers()
{
    // Chromium-family browsers keep the manifests in their profile folder; Firefox in one
    // folder of its own. System folders are those the browsers' Linux builds read.
    const auto chromium = [](QString id, QString name, QStringList programs, const QString &config,
                             QStringList system) {
        return Browser{std::move(id), std::move(name), Family::Chromium, std::move(programs),
                       home(config), home(config + u"/NativeMessagingHosts"_s), std::move(system)};
    };
    return {
        chromium(u"chromium"_s, u"Chromium"_s, {u"chromium"_s, u"chromium-browser"_s},
                 u".config/chromium"_s, {u"/etc/chromium/native-messaging-hosts"_s}),
        chromium(u"chrome"_s, u"Google Chrome"_s, {u"google-chrome"_s, u"google-chrome-stable"_s},
                 u".config/google-chrome"_s, {u"/etc/opt/chrome/native-messaging-hosts"_s}),
        chromium(u"brave"_s, u"Brave"_s, {u"brave-browser"_s, u"brave"_s},
                 u".config/BraveSoftware/Brave-Browser"_s, {}),
        chromium(u"edge"_s, u"Microsoft Edge"_s, {u"microsoft-edge"_s, u"microsoft-edge-stable"_s},
                 u".config/microsoft-edge"_s, {u"/etc/opt/edge/native-messaging-hosts"_s}),
        chromium(u"vivaldi"_s, u"Vivaldi"_s, {u"vivaldi"_s, u"vivaldi-stable"_s},
                 u".config/vivaldi"_s, {}),
        Browser{u"firefox"_s, u"Firefox"_s, Family::Firefox, {u"firefox"_s, u"firefox-esr"_s},
                home(u".mozilla"_s), home(u".mozilla/native-messaging-hosts"_s),
                {u"/usr/lib/mozilla/native-messaging-hosts"_s,
                 u"/usr/lib64/mozilla/native-messaging-hosts"_s}},
    };
}

bool BrowserHosts::found(const Browser &browser)
{
    for (const QString &program : browser.programs) {
        if (!QStandardPaths::findExecutable(program).isEmpty())
            return true;
    }
    return QFileInfo(browser.userConfigDir).isDir();
}

BrowserHosts::Status BrowserHosts::status(const Browser &browser)
{
    const auto look = [](const QString &dir, Registration kind) -> std::optional<Status> {
        QFile file(dir + u'/' + manifestFileName());
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        Status status;
        status.manifestPath = file.fileName();
        status.programPath = QJsonDocument::fromJson(file.read(1 << 20)).object().value(u"path").toString();
        const QFileInfo program(status.programPath);
        status.registration = program.isFile() && program.isExecutable() ? kind : Registration::BrokenPath;
        return status;
    };
    // The user's manifest wins over the system's, as in the browsers themselves.
    if (auto user = look(browser.userManifestDir, Registration::User))
        return *user;
    for (const QString &dir : browser.systemManifestDirs) {
        if (auto system = look(dir, Registration::System))
            return *system;
    }
    return {};
}

QByteArray BrowserHosts::manifest(Family family, const QString &program)
{
    QJsonObject object{
        {u"name"_s, QString::fromLatin1(hostName)},
        {u"description"_s, u"Ferry download manager"_s},
        {u"path"_s, program},
        {u"type"_s, u"stdio"_s},
    };
    if (family == Family::Chromium)
        object.insert(u"allowed_origins"_s,
                      QJsonArray{u"chrome-extension://%1/"_s.arg(QLatin1StringView(chromiumExtensionId))});
    else
        object.insert(u"allowed_extensions"_s, QJsonArray{QString::fromLatin1(firefoxExtensionId)});
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

bool BrowserHosts::registerForUser(const QString &program, QStringList *written, QString *error)
{
    const QString absolute = QFileInfo(program).absoluteFilePath();
    for (const Browser &browser : browsers()) {
        if (!QDir().mkpath(browser.userManifestDir)) {
            if (error)
                *error = u"Could not create %1."_s.arg(browser.userManifestDir);
            return false;
        }
        QSaveFile file(browser.userManifestDir + u'/' + manifestFileName());
        if (!file.open(QIODevice::WriteOnly) || file.write(manifest(browser.family, absolute)) < 0 ||
            !file.commit()) {
            if (error)
                *error = u"Could not write %1: %2"_s.arg(file.fileName(), file.errorString());
            return false;
        }
        if (written)
            written->append(file.fileName());
    }
    return true;
}

QStringList BrowserHosts::unregisterForUser()
{
    QStringList removed;
    for (const Browser &browser : browsers()) {
        const QString path = browser.userManifestDir + u'/' + manifestFileName();
        if (QFile::remove(path))
            removed.append(path);
    }
    return removed;
}

QString BrowserHosts::contactFile(const QString &stateDir)
{
    return stateDir + u"/browsers.ini"_s;
}

QString BrowserHosts::familyKey(Family family)
{
    return family == Family::Chromium ? u"chromium"_s : u"firefox"_s;
}

void BrowserHosts::recordContact(const QString &stateDir, const QString &family, const QString &version,
                                 const QDateTime &when)
{
    if (family != familyKey(Family::Chromium) && family != familyKey(Family::Firefox))
        return; // a group per name the extension might invent is not wanted
    QSettings settings(contactFile(stateDir), QSettings::IniFormat);
    settings.beginGroup(family);
    settings.setValue(u"lastContact"_s, when.toUTC().toString(Qt::ISODate));
    settings.setValue(u"extensionVersion"_s, version.left(32));
}

BrowserHosts::Contact BrowserHosts::contact(const QString &stateDir, Family family)
{
    QSettings settings(contactFile(stateDir), QSettings::IniFormat);
    settings.beginGroup(familyKey(family));
    return {QDateTime::fromString(settings.value(u"lastContact"_s).toString(), Qt::ISODate),
            settings.value(u"extensionVersion"_s).toString()};
}

} // namespace ferry
