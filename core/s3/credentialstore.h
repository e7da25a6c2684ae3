#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "storage/keychain.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace ferry::s3 {

// The keychain backends are shared with the rest of the core; these names keep S3 code short.
using KeychainBackend = ferry::KeychainBackend;
using QtKeychainBackend = ferry::QtKeychainBackend;
using MemoryKeychain = ferry::MemoryKeychain;

// Finds the access keys for an account, in this order: anonymous accounts get none; an account
// bound to an AWS profile reads ~/.aws; otherwise the keychain entry saved for the account; then
// the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the profile
// AWS_PROFILE names). Secrets live only in the keychain and in this object's memory: never in
// settings, databases or logs. Without a usable keychain, saved keys are kept for the session and
// keychainAvailable() turns false. GUI thread; callbacks always arrive later, from the event loop.
class CredentialStore final : public QObject
{
    Q_OBJECT
public:
    using LoadCallback = std::function<void(const Credentials &, const QString &error)>;
    enum class SaveOutcome { Keychain, SessionOnly, Failed };
    using SaveCallback = std::function<void(SaveOutcome, const QString &message)>;
    using RemoveCallback = std::function<void(const QString &error)>;

    // The system keychain and the process environment.
    explicit CredentialStore(QObject *parent = nullptr);
    CredentialStore(std::unique_ptr<KeychainBackend> keychain, QProcessEnvironment env,
                    QObject *parent = nullptr);
    ~CredentialStore() override;
    Q_DISABLE_COPY_MOVE(CredentialStore)

    // `error` is empty on success; anonymous accounts succeed with empty credentials.
    void load(const Account &account, LoadCallback done);
    // Stores keys for `account.id` in the keychain, or for this session only when there is none.
    void save(const Account &account, const Credentials &credentials, SaveCallback done);
    void remove(const Account &account, RemoveCallback done = {});

    // The credentials the last successful load() or save() produced for this account id.
    std::optional<Credentials> cachedFor(const QString &accountId) const;

    bool keychainAvailable() const { return m_keychainAvailable; }
    // Says that keys are kept for this session only; empty while the keychain works.
    QString keychainMessage() const;

    // The keychain entry's format, exposed for tests:
    // {"accessKeyId","secretAccessKey","sessionToken"}.
    static QByteArray encode(const Credentials &credentials);
    static std::optional<Credentials> decode(const QByteArray &data);

signals:
    void keychainAvailableChanged(bool available);

private:
    void loadFromKeychain(const Account &account, LoadCallback done);
    void loadFromEnvironment(const Account &account, const QString &keychainNote,
                             LoadCallback done);
    void finish(const Account &account, const Credentials &credentials, const QString &error,
                LoadCallback done);
    void markKeychainUnavailable();
    void later(std::function<void()> fn);

    std::unique_ptr<KeychainBackend> m_keychain;
    QProcessEnvironment m_env;
    QHash<QString, Credentials> m_sessionOnly; // saved while the keychain was unavailable
    QHash<QString, Credentials> m_cache;       // last resolved keys per account id
    bool m_keychainAvailable = true;
};

} // namespace ferry::s3
