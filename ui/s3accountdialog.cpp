#include "s3accountdialog.h"

#include "s3/accountstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3AccountDialog::S3AccountDialog(s3::AccountStore *accounts, s3::CredentialStore *credentials,
                                 s3::AwsConfig aws, std::optional<s3::Account> existing,
                                 QWidget *parent)
    : QDialog(parent), m_accounts(accounts), m_credentials(credentials), m_aws(std::move(aws))
{
    setObjectName(u"s3AccountDialog"_s);
    m_editing = existing.has_value();
    setWindowTitle(m_editing ? tr("Edit S3 Account") : tr("Add S3 Account"));
    if (existing)
        m_account = *existing;

    auto *form = new QFormLayout;
    auto edit = [this, form](const QString &caption, const QString &name,
                             const QString &placeholder) {
        auto *e = new QLineEdit(this);
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        form->addRow(caption, e);
        return e;
    };
    m_name = edit(tr("&Name:"), u"accountName"_s, tr("e.g. Work MinIO"));
    m_endpoint = edit(tr("&Endpoint:"), u"endpoint"_s, s3::AccountStore::awsEndpoint().toString());
    m_region = edit(tr("&Region:"), u"region"_s, u"us-east-1"_s);
    m_pathStyle = new QCheckBox(tr("&Path-style addresses (most S3-compatible servers)"), this);
    m_pathStyle->setObjectName(u"pathStyle"_s);
    form->addRow(QString(), m_pathStyle);
    m_anonymous =
        new QCheckBox(tr("&Anonymous (public buckets only, requests are not signed)"), this);
    m_anonymous->setObjectName(u"anonymous"_s);
    form->addRow(QString(), m_anonymous);

    m_profile = new QComboBox(this);
    m_profile->setObjectName(u"profile"_s);
    m_profile->addItem(tr("Keys entered below"), QString());
    for (const QString &p : m_aws.profiles())
        m_profile->addItem(tr("Profile “%1” from ~/.aws").arg(p), p);
    m_profile->setEnabled(m_profile->count() > 1);
    form->addRow(tr("&Credentials:"), m_profile);
    m_accessKey = edit(tr("Access &key ID:"), u"accessKeyId"_s, {});
    m_secret = edit(tr("&Secret key:"), u"secretKey"_s, {});
    m_secret->setEchoMode(QLineEdit::Password);
    m_token = edit(tr("Session &token:"), u"sessionToken"_s, tr("only for temporary credentials"));
    m_token->setEchoMode(QLineEdit::Password);

    m_keychainNote = new QLabel(this);
    m_keychainNote->setObjectName(u"keychainNote"_s);
    m_keychainNote->setWordWrap(true);
    m_keychainNote->setText(m_credentials->keychainMessage());
    m_keychainNote->setVisible(!m_credentials->keychainAvailable());
    m_error = new QLabel(this);
    m_error->setObjectName(u"accountError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b00020;"_s);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &S3AccountDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_keychainNote);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    if (m_editing) {
        m_name->setText(m_account.name);
        m_endpoint->setText(m_account.endpoint.toString());
        m_region->setText(m_account.region);
        m_pathStyle->setChecked(m_account.pathStyle);
        m_pathStyleTouched = true;
        m_anonymous->setChecked(m_account.anonymous);
        if (const int i = m_profile->findData(m_account.profile); i > 0)
            m_profile->setCurrentIndex(i);
        if (const auto keys = m_credentials->cachedFor(m_account.id);
            keys && m_account.profile.isEmpty())
            m_accessKey->setText(keys->accessKeyId);
        // The saved secret is never shown; leaving it empty keeps it.
        m_secret->setPlaceholderText(tr("unchanged"));
    }
    connect(m_endpoint, &QLineEdit::textEdited, this, &S3AccountDialog::onEndpointEdited);
    connect(m_pathStyle, &QCheckBox::clicked, this, [this] { m_pathStyleTouched = true; });
    connect(m_anonymous, &QCheckBox::toggled, this, &S3AccountDialog::updateEnabled);
    connect(m_profile, &QComboBox::currentIndexChanged, this, &S3AccountDialog::onProfileChanged);
    updateEnabled();
    resize(520, sizeHint().height());
}

void S3AccountDialog::setName(const QString &name)
{
    m_name->setText(name);
}
void S3AccountDialog::setRegion(const QString &region)
{
    m_region->setText(region);
}
void S3AccountDialog::setAnonymous(bool anonymous)
{
    m_anonymous->setChecked(anonymous);
}
bool S3AccountDialog::pathStyle() const
{
    return m_pathStyle->isChecked();
}

void S3AccountDialog::setEndpoint(const QString &endpoint)
{
    m_endpoint->setText(endpoint);
    onEndpointEdited();
}

void S3AccountDialog::setKeys(const QString &accessKeyId, const QString &secret,
                              const QString &sessionToken)
{
    m_accessKey->setText(accessKeyId);
    m_secret->setText(secret);
    m_token->setText(sessionToken);
}

void S3AccountDialog::setProfile(const QString &profile)
{
    m_profile->setCurrentIndex(qMax(0, m_profile->findData(profile)));
}

QString S3AccountDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void S3AccountDialog::onEndpointEdited()
{
    // Path-style is what people forget for MinIO and friends; suggest it until they decide.
    if (!m_pathStyleTouched)
        m_pathStyle->setChecked(
            s3::AccountStore::prefersPathStyle(QUrl::fromUserInput(m_endpoint->text().trimmed())));
}

void S3AccountDialog::onProfileChanged()
{
    const auto profile = m_aws.profile(m_profile->currentData().toString());
    if (profile) {
        if (m_name->text().trimmed().isEmpty())
            m_name->setText(profile->name);
        if (m_endpoint->text().trimmed().isEmpty() && profile->endpoint.isValid()) {
            m_endpoint->setText(profile->endpoint.toString());
            if (!m_pathStyleTouched)
                m_pathStyle->setChecked(profile->pathStyle ||
                                        s3::AccountStore::prefersPathStyle(profile->endpoint));
        }
        if (m_region->text().trimmed().isEmpty() && !profile->region.isEmpty())
            m_region->setText(profile->region);
    }
    updateEnabled();
}

void S3AccountDialog::updateEnabled()
{
    const bool anonymous = m_anonymous->isChecked();
    m_profile->setEnabled(!anonymous && m_profile->count() > 1);
    const bool typed = !anonymous && m_profile->currentIndex() <= 0;
    for (QLineEdit *e : {m_accessKey, m_secret, m_token})
        e->setEnabled(typed);
}

void S3AccountDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

s3::Account S3AccountDialog::accountFromFields() const
{
    s3::Account a = m_account;
    a.name = m_name->text().trimmed();
    const QString endpoint = m_endpoint->text().trimmed();
    a.endpoint = endpoint.isEmpty() ? s3::AccountStore::awsEndpoint() : QUrl(endpoint);
    const QString region = m_region->text().trimmed();
    a.region = region.isEmpty() ? u"us-east-1"_s : region;
    a.pathStyle = m_pathStyle->isChecked();
    a.anonymous = m_anonymous->isChecked();
    a.profile = a.anonymous ? QString() : m_profile->currentData().toString();
    return a;
}

void S3AccountDialog::accept()
{
    if (m_saving)
        return;
    s3::Account a = accountFromFields();
    if (const QString why = m_accounts->validate(a); !why.isEmpty()) {
        showError(why);
        return;
    }
    const bool typedKeys = !a.anonymous && a.profile.isEmpty();
    const QString keyId = m_accessKey->text().trimmed();
    const QString secret = m_secret->text();
    const bool newKeys = typedKeys && !secret.isEmpty();
    if (typedKeys && !m_editing && (keyId.isEmpty() || secret.isEmpty())) {
        showError(tr("Enter the access key ID and the secret key, or choose a profile or anonymous "
                     "access."));
        return;
    }
    if (typedKeys && secret.isEmpty() &&
        keyId != m_credentials->cachedFor(a.id).value_or(s3::Credentials{}).accessKeyId) {
        showError(tr("Enter the secret key that belongs to the new access key ID."));
        return;
    }
    const QString error = m_editing ? m_accounts->update(a) : m_accounts->add(a);
    if (!error.isEmpty()) {
        showError(error);
        return;
    }
    m_account = a;
    m_editing = true; // a second OK after a keychain failure must update, not add again
    if (!newKeys) {
        QDialog::accept();
        return;
    }
    m_saving = true;
    m_ok->setEnabled(false);
    showError({});
    const s3::Credentials keys{keyId, secret, m_token->text().trimmed()};
    m_credentials->save(
        a, keys,
        [self = QPointer<S3AccountDialog>(this)](s3::CredentialStore::SaveOutcome outcome,
                                                 const QString &message) {
            if (!self)
                return;
            self->m_saving = false;
            self->m_ok->setEnabled(true);
            if (outcome == s3::CredentialStore::SaveOutcome::Failed) {
                self->showError(message.isEmpty() ? tr("The keys could not be saved.") : message);
                return;
            }
            self->m_outcome = outcome;
            self->QDialog::accept();
        });
}

} // namespace ferry::ui
