#include "s3/credentialstore.h"

#include "s3/awsconfig.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>


using namespace Qt::StringLiterals;

namespace ferry::s3 {

// ---- CredentialStore ------------------------------------------------------------------------

namespace {

// Keys of an AWS profile, or a sentence saying why there are none.
QString fromProfile(const AwsConfig &config, const QString &name, Credentials *out)
{
    const auto profile = config.profile(name);
    if (!profile)
        return CredentialStore::tr("The AWS profile “%1” was not found in %2.")
            .arg(name, config.sourceDescription());
    if (profile->credentials.accessKeyId.isEmpty() ||
        profile->credentials.secretAccessKey.isEmpty())
        return CredentialStore::tr("The AWS profile “%1” has no access keys "
                                   "(aws_access_key_id and aws_secret_access_key). Profiles that "
                                   "use single sign-on, roles or a credential process are not "
                                   "supported.")
            .arg(name);
    *out = profile->credentials;
    return {};
}

} // namespace

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(std::make_unique<QtKeychainBackend>(u"Ferry S3"_s),
                      QProcessEnvironment::systemEnvironment(), parent)
{
}

CredentialStore::CredentialStore(std::unique_ptr<KeychainBackend> keychain, QProcessEnvironment env,
                                 QObject *parent)
    : QObject(parent), m_keychain(std::move(keychain)), m_env(std::move(env))
{
}

CredentialStore::~CredentialStore() = default;

void CredentialStore::later(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void CredentialStore::finish(const Account &account, const Credentials &credentials,
                             const QString &error, LoadCallback done)
{
    if (!account.id.isEmpty()) {
        if (error.isEmpty())
            m_cache.insert(account.id, credentials);
        else
            m_cache.remove(account.id);
    }
    later([done = std::move(done), credentials, error] {
        if (done)
            done(credentials, error);
    });
}

void CredentialStore::load(const Account &account, LoadCallback done)
{
    if (account.anonymous)
        return finish(account, {}, {}, std::move(done));

    if (!account.profile.isEmpty()) {
        Credentials credentials;
        const QString error = fromProfile(AwsConfig::load(m_env), account.profile, &credentials);
        return finish(account, credentials, error, std::move(done));
    }

    if (!account.id.isEmpty()) {
        const auto it = m_sessionOnly.constFind(account.id);
        if (it != m_sessionOnly.cend())
            return finish(account, it.value(), {}, std::move(done));
        if (m_keychainAvailable)
            return loadFromKeychain(account, std::move(done));
    }
    loadFromEnvironment(account, m_keychainAvailable ? QString() : keychainMessage(),
                        std::move(done));
}

void CredentialStore::loadFromKeychain(const Account &account, LoadCallback done)
{
    QPointer<CredentialStore> self = this;
    m_keychain->read(account.id, [self, account, done](const KeychainBackend::Result &result) {
        if (!self)
            return;
        switch (result.status) {
        case KeychainBackend::Status::Ok:
            if (const auto credentials = decode(result.data))
                return self->finish(account, *credentials, {}, done);
            return self->finish(account, {},
                                tr("The keychain entry for “%1” is damaged; enter its access "
                                   "keys again.")
                                    .arg(account.name),
                                done);
        case KeychainBackend::Status::NotFound:
            return self->loadFromEnvironment(account, {}, done);
        case KeychainBackend::Status::Unavailable:
            self->markKeychainUnavailable();
            return self->loadFromEnvironment(account, self->keychainMessage(), done);
        case KeychainBackend::Status::Failed:
            return self->loadFromEnvironment(
                account, tr("The keychain could not be read: %1").arg(result.error), done);
        }
    });
}

void CredentialStore::loadFromEnvironment(const Account &account, const QString &keychainNote,
                                          LoadCallback done)
{
    Credentials credentials;
    credentials.accessKeyId = m_env.value(u"AWS_ACCESS_KEY_ID"_s);
    credentials.secretAccessKey = m_env.value(u"AWS_SECRET_ACCESS_KEY"_s);
    credentials.sessionToken = m_env.value(u"AWS_SESSION_TOKEN"_s);
    if (!credentials.accessKeyId.isEmpty() && !credentials.secretAccessKey.isEmpty())
        return finish(account, credentials, {}, std::move(done));
    if (!credentials.accessKeyId.isEmpty())
        return finish(account, {}, tr("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not."),
                      std::move(done));

    const QString profile = m_env.value(u"AWS_PROFILE"_s);
    if (!profile.isEmpty()) {
        Credentials fromFile;
        const QString error = fromProfile(AwsConfig::load(m_env), profile, &fromFile);
        return finish(account, fromFile, error, std::move(done));
    }

    QString error = tr("No access keys for “%1”: enter them in the account, choose an AWS "
                       "profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
                        .arg(account.name);
    if (!keychainNote.isEmpty())
        error += u' ' + keychainNote;
    finish(account, {}, error, std::move(done));
}

void CredentialStore::save(const Account &account, const Credentials &credentials,
                           SaveCallback done)
{
    const auto reply = [this, done](SaveOutcome outcome, const QString &message) {
        later([done, outcome, message] {
            if (done)
                done(outcome, message);
        });
    };
    if (account.id.isEmpty())
        return reply(SaveOutcome::Failed, tr("Add the account before saving its access keys."));
    if (!account.profile.isEmpty())
        return reply(SaveOutcome::Failed,
                     tr("“%1” takes its access keys from the AWS profile “%2”; edit that profile "
                        "or clear it from the account.")
                         .arg(account.name, account.profile));
    if (credentials.accessKeyId.isEmpty() || credentials.secretAccessKey.isEmpty())
        return reply(SaveOutcome::Failed,
                     tr("Enter both the access key ID and the secret access key."));

    const QString id = account.id;
    if (!m_keychainAvailable) {
        m_sessionOnly.insert(id, credentials);
        m_cache.insert(id, credentials);
        return reply(SaveOutcome::SessionOnly, keychainMessage());
    }

    QPointer<CredentialStore> self = this;
    m_keychain->write(id, encode(credentials),
                      [self, id, credentials, reply](const KeychainBackend::Result &result) {
                          if (!self)
                              return;
                          self->m_cache.insert(id, credentials);
                          if (result.status == KeychainBackend::Status::Ok) {
                              self->m_sessionOnly.remove(id);
                              return reply(SaveOutcome::Keychain, {});
                          }
                          // Whatever went wrong, the user's keys still work until Ferry quits.
                          self->m_sessionOnly.insert(id, credentials);
                          if (result.status == KeychainBackend::Status::Unavailable) {
                              self->markKeychainUnavailable();
                              return reply(SaveOutcome::SessionOnly, self->keychainMessage());
                          }
                          reply(SaveOutcome::SessionOnly,
                                tr("The keychain refused to store the access keys (%1); they are "
                                   "kept for this session only.")
                                    .arg(result.error));
                      });
}

void CredentialStore::remove(const Account &account, RemoveCallback done)
{
    const auto reply = [this, done](const QString &error) {
        later([done, error] {
            if (done)
                done(error);
        });
    };
    m_sessionOnly.remove(account.id);
    m_cache.remove(account.id);
    if (account.id.isEmpty() || !m_keychainAvailable)
        return reply({});

    QPointer<CredentialStore> self = this;
    m_keychain->remove(account.id, [self, reply](const KeychainBackend::Result &result) {
        if (!self)
            return;
        switch (result.status) {
        case KeychainBackend::Status::Ok:
        case KeychainBackend::Status::NotFound:
            return reply({});
        case KeychainBackend::Status::Unavailable:
            self->markKeychainUnavailable();
            return reply({});
        case KeychainBackend::Status::Failed:
            return reply(tr("The keychain could not delete the access keys: %1").arg(result.error));
        }
    });
}

std::optional<Credentials> CredentialStore::cachedFor(const QString &accountId) const
{
    const auto it = m_cache.constFind(accountId);
    if (it == m_cache.cend())
        return std::nullopt;
    return it.value();
}

QString CredentialStore::keychainMessage() const
{
    if (m_keychainAvailable)
        return {};
    return tr("No system keychain is available, so access keys are kept for this session only "
              "and must be entered again after Ferry restarts.");
}

void CredentialStore::markKeychainUnavailable()
{
    if (!m_keychainAvailable)
        return;
    m_keychainAvailable = false;
    emit keychainAvailableChanged(false);
}

QByteArray CredentialStore::encode(const Credentials &credentials)
{
    const QJsonObject object{{u"accessKeyId"_s, credentials.accessKeyId},
                             {u"secretAccessKey"_s, credentials.secretAccessKey},
                             {u"sessionToken"_s, credentials.sessionToken}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Credentials> CredentialStore::decode(const QByteArray &data)
{
    const QJsonDocument document = QJsonDocument::fromJson(data);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    Credentials credentials;
    credentials.accessKeyId = object.value(u"accessKeyId"_s).toString();
    credentials.secretAccessKey = object.value(u"secretAccessKey"_s).toString();
    credentials.sessionToken = object.value(u"sessionToken"_s).toString();
    if (credentials.accessKeyId.isEmpty() || credentials.secretAccessKey.isEmpty())
        return std::nullopt;
    return credentials;
}

} // namespace ferry::s3
