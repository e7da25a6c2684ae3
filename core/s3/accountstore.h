#pragma once

#include "s3/s3types.h"

#include <QList>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

class QSettings;

namespace ferry::s3 {

class AwsConfig;

// The configured S3 accounts, kept in the group "s3accounts" of an INI settings file. Only the
// non-secret fields of Account are written; access keys belong to CredentialStore. Every change
// is written through at once, so ferry-cli and the window see the same list. GUI thread.
class AccountStore final : public QObject
{
    Q_OBJECT
public:
    explicit AccountStore(QString settingsPath, QObject *parent = nullptr);
    ~AccountStore() override;
    Q_DISABLE_COPY_MOVE(AccountStore)

    // Sorted by name, case-insensitively.
    QList<Account> accounts() const;
    std::optional<Account> find(const QString &id) const;
    std::optional<Account> findByName(const QString &name) const;

    // Each returns an empty string on success, else a sentence for the user. add() assigns a new
    // id (ids are never reused, so a stale keychain entry cannot attach to a new account).
    QString add(Account &account);
    QString update(const Account &account);
    bool remove(const QString &id);

    // Why `account` cannot be stored (empty when it can): endpoint must be http(s) with a host
    // and no user info, the name must be non-empty and not used by another account.
    QString validate(const Account &account) const;

    // Adds one account per profile that has access keys and no account yet; returns those added.
    QList<Account> importAwsProfiles(const AwsConfig &config);

    // A transient account (empty id) for ferry-cli, from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL
    // and AWS_REGION / AWS_DEFAULT_REGION, defaulting to AWS in us-east-1.
    static Account fromEnvironment(const QProcessEnvironment &env);

    // Path-style suits servers that are not AWS: plain http, an IP address, an explicit port,
    // localhost.
    static bool prefersPathStyle(const QUrl &endpoint);

    static QUrl awsEndpoint();

signals:
    void accountsChanged();

private:
    void write(Account &account);
    static QString nextId(QSettings &settings);

    QString m_path;
};

} // namespace ferry::s3
