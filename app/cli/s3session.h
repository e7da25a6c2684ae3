#pragma once

#include "api/downloadtypes.h"
#include "s3options.h"

#include <QHash>
#include <QObject>
#include <QProcessEnvironment>
#include <functional>
#include <optional>

namespace ferry {
class S3Transfers;
namespace s3 {
class Client;
class CredentialStore;
struct Account;
}
} // namespace ferry

namespace ferry::cli {

// Opens S3 accounts for one ferry-cli run: resolves the account (a stored one, or the one the
// environment and flags describe), loads its keys and hands a client to S3Transfers, so
// ls/presign, downloads and uploads all use the same client and signer. Keys stay in memory.
// Lives on the main thread.
class S3Session final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Session)
public:
    // Id of the account described by the environment. It is never stored as an account, but
    // transfers queued with it keep it, so `resume` finds the same account again.
    static inline const QString environmentAccountId = QStringLiteral("env");

    S3Session(S3Options options, QString stateDir, S3Transfers *transfers, QObject *parent = nullptr);
    ~S3Session() override;

    using Opened = std::function<void(s3::Client *client, const QString &error)>;
    // The account chosen on the command line: --account, else the environment.
    void openSelected(Opened done);
    // Opens every account these ids name (environmentAccountId included); `done` gets one
    // sentence per account that could not be opened.
    void openAccounts(const QStringList &accountIds, std::function<void(const QStringList &errors)> done);

    // The S3 account of each of `ids` that has one, read from the state database.
    static QHash<DownloadId, QString> accountsOf(const QString &stateDir, const QList<DownloadId> &ids);

private:
    std::optional<s3::Account> environmentAccount(QString *error) const;
    void open(const QString &accountId, Opened done);

    S3Options m_options;
    QString m_stateDir;
    S3Transfers *m_transfers;
    QProcessEnvironment m_env;
    s3::CredentialStore *m_environmentKeys = nullptr; // environment and ~/.aws only
    s3::CredentialStore *m_storedKeys = nullptr;      // keychain, then environment
};

} // namespace ferry::cli
