#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace QKeychain {
class Job;
}

namespace ferry {

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
    explicit QtKeychainBackend(QString service, int timeoutMs = 3000);
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

} // namespace ferry
