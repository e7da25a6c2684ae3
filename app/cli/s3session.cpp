#include "s3session.h"

#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/awsconfig.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace ferry::cli {

S3Session::S3Session(S3Options options, QString stateDir, S3Transfers *transfers, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_stateDir(std::move(stateDir)), m_transfers(transfers),
      m_env(QProcessEnvironment::systemEnvironment())
{
    // The environment's account has no keychain entry of its own; asking the keychain for it
    // would only cost a timeout on machines without one.
    m_environmentKeys = new s3::CredentialStore(std::make_unique<s3::MemoryKeychain>(), m_env, this);
}

S3Session::~S3Session() = default;

std::optional<s3::Account> S3Session::environmentAccount(QString *error) const
{
    s3::Account account = s3::AccountStore::fromEnvironment(m_env);
    const bool endpointFromEnv = !m_env.value(u"AWS_ENDPOINT_URL_S3"_s).isEmpty()
                                 || !m_env.value(u"AWS_ENDPOINT_URL"_s).isEmpty();
    const bool regionFromEnv = !m_env.value(u"AWS_REGION"_s).isEmpty() || !m_env.value(u"AWS_DEFAULT_REGION"_s).isEmpty();
    if (endpointFromEnv && (!account.endpoint.isValid() || account.endpoint.host().isEmpty())) {
        *error = QCoreApplication::translate("ferry::cli", "AWS_ENDPOINT_URL does not hold an address: '%1'.")
                     .arg(account.endpoint.toString());
        return std::nullopt;
    }
    // A profile (--profile, else AWS_PROFILE) may name the endpoint and region too; the
    // environment's own variables and the flags come first.
    const QString profileName = m_options.profile.isEmpty() ? m_env.value(u"AWS_PROFILE"_s) : m_options.profile;
    if (!profileName.isEmpty()) {
        if (const auto profile = s3::AwsConfig::load(m_env).profile(profileName)) {
            if (!endpointFromEnv && profile->endpoint.isValid() && !profile->endpoint.host().isEmpty()) {
                account.endpoint = profile->endpoint;
                account.pathStyle = profile->pathStyle || s3::AccountStore::prefersPathStyle(account.endpoint);
            }
            if (!regionFromEnv && !profile->region.isEmpty())
                account.region = profile->region;
        }
    }
    account.profile = m_options.profile;
    if (!m_options.endpoint.isEmpty()) {
        account.endpoint = QUrl(m_options.endpoint, QUrl::StrictMode);
        account.pathStyle = s3::AccountStore::prefersPathStyle(account.endpoint);
    }
    if (!m_options.region.isEmpty())
        account.region = m_options.region;
    account.pathStyle = account.pathStyle || m_options.pathStyle;
    account.anonymous = m_options.anonymous;
    return account;
}

void S3Session::openSelected(Opened done)
{
    if (m_options.account.isEmpty()) {
        open(environmentAccountId, std::move(done));
        return;
    }
    s3::AccountStore store(m_stateDir + u"/settings.ini"_s);
    auto account = store.findByName(m_options.account);
    if (!account)
        account = store.find(m_options.account);
    if (!account) {
        QStringList names;
        for (const s3::Account &a : store.accounts())
            names.append(a.name);
        const QString known = names.isEmpty()
                                  ? QCoreApplication::translate("ferry::cli", "no accounts are saved there")
                                  : QCoreApplication::translate("ferry::cli", "saved: %1").arg(names.join(u", "_s));
        done(nullptr, QCoreApplication::translate("ferry::cli", "There is no S3 account named “%1” in %2 (%3).")
                          .arg(m_options.account, QFileInfo(m_stateDir + u"/settings.ini"_s).absoluteFilePath(), known));
        return;
    }
    open(account->id, std::move(done));
}

void S3Session::open(const QString &accountId, Opened done)
{
    if (s3::Client *existing = m_transfers->client(accountId)) {
        done(existing, {});
        return;
    }
    s3::Account account;
    s3::CredentialStore *keys = nullptr;
    s3::Account lookup; // what the store is asked for
    if (accountId == environmentAccountId) {
        QString error;
        const auto fromEnv = environmentAccount(&error);
        if (!fromEnv) {
            done(nullptr, error);
            return;
        }
        account = *fromEnv;
        lookup = account; // empty id: straight to the environment / profile
        account.id = environmentAccountId;
        keys = m_environmentKeys;
    } else {
        const auto stored = s3::AccountStore(m_stateDir + u"/settings.ini"_s).find(accountId);
        if (!stored) {
            done(nullptr, QCoreApplication::translate("ferry::cli", "The S3 account %1 is no longer saved in %2.")
                              .arg(accountId, m_stateDir + u"/settings.ini"_s));
            return;
        }
        account = *stored;
        lookup = account;
        if (!m_storedKeys)
            m_storedKeys = new s3::CredentialStore(this);
        keys = m_storedKeys;
    }
    QPointer<S3Session> self(this);
    keys->load(lookup, [self, account, done](const s3::Credentials &credentials, const QString &error) {
        if (!self)
            return;
        if (!error.isEmpty()) {
            done(nullptr, error);
            return;
        }
        // A second request for the same account may have finished first.
        if (s3::Client *existing = self->m_transfers->client(account.id)) {
            done(existing, {});
            return;
        }
        auto *client = new s3::Client(account, credentials);
        self->m_transfers->addClient(client);
        done(client, {});
    });
}

void S3Session::openAccounts(const QStringList &accountIds, std::function<void(const QStringList &)> done)
{
    struct Pending {
        int left = 0;
        QStringList errors;
    };
    auto pending = std::make_shared<Pending>();
    pending->left = int(accountIds.size());
    if (pending->left == 0) {
        done({});
        return;
    }
    for (const QString &id : accountIds) {
        open(id, [pending, done](s3::Client *, const QString &error) {
            if (!error.isEmpty())
                pending->errors.append(error);
            if (--pending->left == 0)
                done(pending->errors);
        });
    }
}

QHash<DownloadId, QString> S3Session::accountsOf(const QString &stateDir, const QList<DownloadId> &ids)
{
    // Snapshots do not carry the account, so it is read from the database the manager already
    // opened, on a separate read-only connection.
    QHash<DownloadId, QString> accounts;
    const QString name = u"ferry-cli-accounts-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(stateDir + u"/ferry.sqlite"_s);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"SELECT id, account FROM downloads WHERE account != ''"_s)) {
                while (q.next()) {
                    const DownloadId id = q.value(0).toLongLong();
                    if (ids.contains(id))
                        accounts.insert(id, q.value(1).toString());
                }
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return accounts;
}

} // namespace ferry::cli
