#pragma once

#include "s3/awsconfig.h"
#include "s3/credentialstore.h"
#include "s3/s3types.h"

#include <QDialog>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ferry::s3 {
class AccountStore;
}

namespace ferry::ui {

// Adds or edits one S3 account: name, endpoint, region, addressing style, and where its keys
// come from (typed here and kept in the keychain, a profile of ~/.aws, or none for public
// buckets). OK validates, stores the account and saves typed keys; the dialog closes only
// when both worked. Secrets are never shown again once saved. GUI thread.
class S3AccountDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3AccountDialog)
public:
    // `existing` edits that account; without it a new one is added.
    S3AccountDialog(s3::AccountStore *accounts, s3::CredentialStore *credentials, s3::AwsConfig aws,
                    std::optional<s3::Account> existing = std::nullopt, QWidget *parent = nullptr);

    // The account as stored, valid after the dialog was accepted.
    const s3::Account &account() const { return m_account; }
    // Whether typed keys went to the keychain or are kept for this session only.
    std::optional<s3::CredentialStore::SaveOutcome> saveOutcome() const { return m_outcome; }
    QString errorText() const;

    // Fields, for scripted setup and tests.
    void setName(const QString &name);
    void setEndpoint(const QString &endpoint);
    void setRegion(const QString &region);
    void setKeys(const QString &accessKeyId, const QString &secret,
                 const QString &sessionToken = {});
    void setAnonymous(bool anonymous);
    void setProfile(const QString &profile); // empty: keys typed here
    bool pathStyle() const;

public slots:
    void accept() override;

private:
    void onEndpointEdited();
    void onProfileChanged();
    void updateEnabled();
    void showError(const QString &text);
    s3::Account accountFromFields() const;

    s3::AccountStore *m_accounts;
    s3::CredentialStore *m_credentials;
    s3::AwsConfig m_aws;
    s3::Account m_account;
    bool m_editing = false;
    bool m_pathStyleTouched = false;
    bool m_saving = false;
    std::optional<s3::CredentialStore::SaveOutcome> m_outcome;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_region = nullptr;
    QCheckBox *m_pathStyle = nullptr;
    QCheckBox *m_anonymous = nullptr;
    QComboBox *m_profile = nullptr;
    QLineEdit *m_accessKey = nullptr;
    QLineEdit *m_secret = nullptr;
    QLineEdit *m_token = nullptr;
    QLabel *m_keychainNote = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace ferry::ui
