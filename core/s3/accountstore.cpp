#include "s3/accountstore.h"

#include "s3/awsconfig.h"

#include <QHostAddress>
#include <QSettings>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

const QString group = u"s3accounts"_s;
const QString nextIdKey = u"nextId"_s;

// Account ids become INI group names and keychain keys: keep them to a safe alphabet.
bool isSafeId(const QString &id)
{
    if (id.isEmpty())
        return false;
    return std::all_of(id.cbegin(), id.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
               c == u'-' || c == u'_';
    });
}

Account readAccount(QSettings &settings, const QString &id)
{
    settings.beginGroup(id);
    Account account;
    account.id = id;
    account.name = settings.value(u"name"_s).toString();
    account.endpoint = QUrl(settings.value(u"endpoint"_s).toString());
    account.region = settings.value(u"region"_s, account.region).toString();
    account.pathStyle = settings.value(u"pathStyle"_s, false).toBool();
    account.anonymous = settings.value(u"anonymous"_s, false).toBool();
    account.profile = settings.value(u"profile"_s).toString();
    settings.endGroup();
    return account;
}

} // namespace

AccountStore::AccountStore(QString settingsPath, QObject *parent)
    : QObject(parent), m_path(std::move(settingsPath))
{
}

AccountStore::~AccountStore() = default;

QList<Account> AccountStore::accounts() const
{
    QSettings settings(m_path, QSettings::IniFormat);
    settings.beginGroup(group);
    QList<Account> list;
    const QStringList ids = settings.childGroups();
    for (const QString &id : ids) {
        if (isSafeId(id))
            list.append(readAccount(settings, id));
    }
    std::sort(list.begin(), list.end(), [](const Account &a, const Account &b) {
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.id < b.id;
    });
    return list;
}

std::optional<Account> AccountStore::find(const QString &id) const
{
    const QList<Account> list = accounts();
    const auto it =
        std::find_if(list.cbegin(), list.cend(), [&](const Account &a) { return a.id == id; });
    return it == list.cend() ? std::nullopt : std::optional<Account>(*it);
}

std::optional<Account> AccountStore::findByName(const QString &name) const
{
    const QList<Account> list = accounts();
    const auto it = std::find_if(list.cbegin(), list.cend(), [&](const Account &a) {
        return a.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0;
    });
    return it == list.cend() ? std::nullopt : std::optional<Account>(*it);
}

QString AccountStore::validate(const Account &account) const
{
    const QString name = account.name.trimmed();
    if (name.isEmpty())
        return tr("Give the account a name.");
    const auto sameName = findByName(name);
    if (sameName && sameName->id != account.id)
        return tr("An account named “%1” already exists.").arg(name);

    const QUrl &endpoint = account.endpoint;
    const QString scheme = endpoint.scheme().toLower();
    if (!endpoint.isValid() || (scheme != u"http" && scheme != u"https") ||
        endpoint.host().isEmpty())
        return tr("The endpoint must be an http:// or https:// address with a host name, such as "
                  "https://s3.amazonaws.com or http://127.0.0.1:9000.");
    // A key typed as user:password@host would end up in the settings file.
    if (!endpoint.userInfo().isEmpty())
        return tr("The endpoint must not contain a user name or password; enter the access keys "
                  "in their own fields.");
    if (endpoint.hasQuery() || endpoint.hasFragment())
        return tr("The endpoint must not contain a query or a fragment.");
    return {};
}

QString AccountStore::add(Account &account)
{
    Account candidate = account;
    candidate.id.clear();
    const QString error = validate(candidate);
    if (!error.isEmpty())
        return error;
    write(candidate); // assigns the id
    account = candidate;
    emit accountsChanged();
    return {};
}

QString AccountStore::update(const Account &account)
{
    if (!isSafeId(account.id) || !find(account.id))
        return tr("The account “%1” does not exist any more.").arg(account.name);
    const QString error = validate(account);
    if (!error.isEmpty())
        return error;
    Account stored = account;
    write(stored);
    emit accountsChanged();
    return {};
}

bool AccountStore::remove(const QString &id)
{
    if (!isSafeId(id))
        return false;
    QSettings settings(m_path, QSettings::IniFormat);
    settings.beginGroup(group);
    if (!settings.childGroups().contains(id))
        return false;
    settings.remove(id);
    settings.endGroup();
    settings.sync();
    emit accountsChanged();
    return true;
}

void AccountStore::write(Account &account)
{
    QSettings settings(m_path, QSettings::IniFormat);
    settings.beginGroup(group);
    if (account.id.isEmpty())
        account.id = nextId(settings);
    settings.remove(account.id); // drop keys a previous version may have left
    settings.beginGroup(account.id);
    settings.setValue(u"name"_s, account.name.trimmed());
    settings.setValue(u"endpoint"_s, account.endpoint.toString());
    settings.setValue(u"region"_s, account.region.isEmpty() ? Account().region : account.region);
    settings.setValue(u"pathStyle"_s, account.pathStyle);
    settings.setValue(u"anonymous"_s, account.anonymous);
    settings.setValue(u"profile"_s, account.profile);
    settings.endGroup();
    settings.endGroup();
    settings.sync();
}

QString AccountStore::nextId(QSettings &settings)
{
    // A counter that only grows, so a removed account's id (and keychain entry) is never reused.
    int next = qMax(1, settings.value(nextIdKey, 1).toInt());
    const QStringList existing = settings.childGroups();
    while (existing.contains(u"acct-"_s + QString::number(next)))
        ++next;
    settings.setValue(nextIdKey, next + 1);
    return u"acct-"_s + QString::number(next);
}

QList<Account> AccountStore::importAwsProfiles(const AwsConfig &config)
{
    QList<Account> added;
    const QList<Account> existing = accounts();
    const QStringList names = config.profiles();
    for (const QString &name : names) {
        const auto present = std::any_of(existing.cbegin(), existing.cend(),
                                         [&](const Account &a) { return a.profile == name; });
        const auto profile = config.profile(name);
        if (present || !profile || profile->credentials.accessKeyId.isEmpty())
            continue;

        Account account;
        account.name = name;
        account.profile = name;
        account.endpoint = profile->endpoint.isEmpty() ? awsEndpoint() : profile->endpoint;
        if (!profile->region.isEmpty())
            account.region = profile->region;
        account.pathStyle = profile->pathStyle || prefersPathStyle(account.endpoint);
        // "default" or a profile named like an existing account still gets its own entry.
        for (int n = 2; findByName(account.name); ++n)
            account.name = tr("%1 (%2)").arg(name).arg(n);
        if (add(account).isEmpty())
            added.append(account);
    }
    return added;
}

Account AccountStore::fromEnvironment(const QProcessEnvironment &env)
{
    Account account;
    account.name = tr("Environment");
    QString endpoint = env.value(u"AWS_ENDPOINT_URL_S3"_s);
    if (endpoint.isEmpty())
        endpoint = env.value(u"AWS_ENDPOINT_URL"_s);
    account.endpoint = endpoint.isEmpty() ? awsEndpoint() : QUrl(endpoint, QUrl::StrictMode);
    QString region = env.value(u"AWS_REGION"_s);
    if (region.isEmpty())
        region = env.value(u"AWS_DEFAULT_REGION"_s);
    if (!region.isEmpty())
        account.region = region;
    account.pathStyle = prefersPathStyle(account.endpoint);
    return account;
}

bool AccountStore::prefersPathStyle(const QUrl &endpoint)
{
    if (endpoint.scheme().compare(u"http"_s, Qt::CaseInsensitive) == 0 || endpoint.port() != -1)
        return true;
    const QString host = endpoint.host();
    return host.compare(u"localhost"_s, Qt::CaseInsensitive) == 0 || !QHostAddress(host).isNull();
}

QUrl AccountStore::awsEndpoint()
{
    return QUrl(u"https://s3.amazonaws.com"_s);
}

} // namespace ferry::s3
