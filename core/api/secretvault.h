#pragma once

#include "api/downloadtypes.h"
#include "storage/keychain.h"

#include <QObject>
#include <QUrl>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

namespace ferry {

// Keeps the headers a download was given (cookies, Authorization, passwords from the URL) in the
// system keychain, one entry per download, so that a download started again after a crash or a
// reboot sends them without asking. The entry is bound to the state folder (ids are per folder)
// and to the origin the headers were given for: an entry that names another origin is ignored.
// Nothing of it reaches the database, the settings or any log.
//
// Without a keychain every call quietly does nothing, unavailable() is emitted once, and the
// headers live in the manager's memory only, as before. Calls to the keychain run one at a time,
// in the order made, so a removal never overtakes the write it undoes. Lives on (and answers on)
// the thread that made it; answers always come later, from the event loop.
class SecretVault final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretVault)
public:
    explicit SecretVault(std::unique_ptr<KeychainBackend> keychain, QObject *parent = nullptr);
    ~SecretVault() override;

    // The system keychain under the service "Ferry"; a call unanswered after `timeoutMs` counts
    // as no keychain, so a hung keychain daemon never holds anything up for long.
    static std::unique_ptr<KeychainBackend> systemKeychain(int timeoutMs = 3000);

    // Which state folder's downloads this vault keeps (set by the manager when it opens).
    void setStateDir(const QString &stateDir);
    // The entry's name: "download-<id>@<state folder>".
    QString keyFor(DownloadId id) const;

    void store(DownloadId id, const QUrl &url, const HeaderList &headers);
    // `done` gets the headers, or nothing when there is no (usable) entry or no keychain.
    using Loaded = std::function<void(const std::optional<HeaderList> &headers)>;
    void load(DownloadId id, const QUrl &url, Loaded done);
    void remove(DownloadId id);

    // False once the keychain turned out to be missing or silent; stays false for this run.
    bool available() const { return m_available; }
    bool busy() const { return m_running || !m_queue.empty(); }
    // Runs the event loop until every call made so far was answered, at most `timeoutMs`;
    // for programs about to exit. False when calls are left.
    bool waitForPending(int timeoutMs);
    // What the user is told, once, when there is no keychain.
    static QString unavailableMessage();

    // The entry's format, exposed for tests: {"origin": "...", "headers": [["Name","value"]]}.
    static QByteArray encode(const QUrl &url, const HeaderList &headers);
    static std::optional<HeaderList> decode(const QByteArray &data, const QUrl &url);

signals:
    // The keychain is missing or did not answer (emitted once).
    void unavailable();
    // Every call made so far has been answered.
    void idle();

private:
    struct Call
    {
        std::function<void()> run;
        std::function<void()> drop; // answers the caller when the call is not made
    };
    void enqueue(std::function<void()> run, std::function<void()> drop);
    void next();
    void answered(const KeychainBackend::Result &result);

    std::unique_ptr<KeychainBackend> m_keychain;
    QString m_stateDir;
    std::deque<Call> m_queue;
    bool m_running = false;
    bool m_available = true;
};

} // namespace ferry
