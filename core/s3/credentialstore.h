#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace QKeychain {
class Job;
}

namespace ferry::s3 {

// Where secrets are kept between runs. Every call answers exactly once through its callback,
// on the caller's thread, possibly before the call returns.
class KeychainBackend
{
public:
    enum class Status {
        Ok,
        NotFound,    // the keychain works but holds no such entry
        Unavailable, // no keychain service (no D-Bus / Secret Service), or it did not answer
        Failed,      // the keychain answered with an error (e.g. the user refused access)
    };
    struct Result
    {
        Status status = Status::Ok;
        QByteArray data;
        QString error; // the keychain's own wording, for diagnostics; never contains the secret
    };
    using Callback = std::function<void(const Result &)>;

    virtual ~KeychainBackend() = default;
    virtual void read(const QString &key, Callback done) = 0;
    virtual void write(const QString &key, const QByteArray &data, Callback done) = 0;
    virtual void remove(const QString &key, Callback done) = 0;
};

// The system keychain through QtKeychain (Secret Service, KWallet, macOS Keychain, Windows
// Credential Manager). A job that has not answered after `timeoutMs` counts as Unavailable, so a
// keychain daemon that never replies cannot stall the caller. GUI thread.
class QtKeychainBackend final : public KeychainBackend
{
public:
    explicit QtKeychainBackend(QString service = QStringLiteral("Ferry S3"), int timeoutMs = 3000);
    ~QtKeychainBackend() override;
    Q_DISABLE_COPY_MOVE(QtKeychainBackend)

    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QByteArray &data, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    void start(QKeychain::Job *job, Callback done, bool returnsData);

    QString m_service;
    int m_timeoutMs;
    std::unique_ptr<QObject> m_context; // owns the timeout timers; dropping it silences callbacks
};

// A keychain in memory, for tests and for tools that must not touch the user's keychain.
// `setAvailable(false)` makes every call answer Unavailable, like a machine without D-Bus.
class MemoryKeychain final : public KeychainBackend
{
public:
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QByteArray &data, Callback done) override;
    void remove(const QString &key, Callback done) override;

    void setAvailable(bool available) { m_available = available; }
    QHash<QString, QByteArray> entries() const { return m_entries; }
    int calls() const { return m_calls; }

private:
    QHash<QString, QByteArray> m_entries;
    bool m_available = true;
    int m_calls = 0;
};

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
