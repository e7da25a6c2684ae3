#include "s3sharedialog.h"

#include "format.h"

#include "s3/s3client.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3ShareDialog::S3ShareDialog(s3::Client *client, QString bucket, QString key, QWidget *parent)
    : QDialog(parent), m_client(client), m_bucket(std::move(bucket)), m_key(std::move(key))
{
    setObjectName(u"s3ShareDialog"_s);
    setWindowTitle(tr("Share Link"));
    auto *form = new QFormLayout;
    auto *object = new QLabel(s3::Client::s3Uri(m_bucket, m_key), this);
    object->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Object:"), object);

    m_preset = new QComboBox(this);
    m_preset->setObjectName(u"expiryPreset"_s);
    m_preset->addItem(tr("1 hour"), 3600);
    m_preset->addItem(tr("1 day"), 24 * 3600);
    m_preset->addItem(tr("7 days"), int(maxExpirySeconds));
    m_preset->addItem(tr("Custom"), 0);
    form->addRow(tr("Valid for:"), m_preset);

    auto *custom = new QHBoxLayout;
    m_amount = new QSpinBox(this);
    m_amount->setObjectName(u"customAmount"_s);
    // Wide enough to type a too-long duration, which is then explained rather than silently cut.
    m_amount->setRange(1, 99999);
    m_amount->setValue(12);
    m_unit = new QComboBox(this);
    m_unit->setObjectName(u"customUnit"_s);
    m_unit->addItem(tr("minutes"), 60);
    m_unit->addItem(tr("hours"), 3600);
    m_unit->addItem(tr("days"), 24 * 3600);
    m_unit->setCurrentIndex(1);
    custom->addWidget(m_amount);
    custom->addWidget(m_unit, 1);
    form->addRow(tr("Custom:"), custom);

    m_expires = new QLabel(this);
    m_expires->setObjectName(u"expiresAt"_s);
    form->addRow(tr("Expires:"), m_expires);

    m_url = new QLineEdit(this);
    m_url->setObjectName(u"shareUrl"_s);
    m_url->setReadOnly(true);
    m_url->setMinimumWidth(480);
    form->addRow(tr("Link:"), m_url);

    m_error = new QLabel(this);
    m_error->setObjectName(u"shareError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: palette(bright-text); background: #b00020; padding: 4px;"_s);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("&Copy Link"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(u"copyLink"_s);
    connect(m_copy, &QPushButton::clicked, this, &S3ShareDialog::copy);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_preset, &QComboBox::currentIndexChanged, this, &S3ShareDialog::update);
    connect(m_amount, &QSpinBox::valueChanged, this, &S3ShareDialog::update);
    connect(m_unit, &QComboBox::currentIndexChanged, this, &S3ShareDialog::update);
    update();
}

void S3ShareDialog::setPreset(Preset preset)
{
    m_preset->setCurrentIndex(int(preset));
}

void S3ShareDialog::setCustomDuration(int value, int unitSeconds)
{
    m_preset->setCurrentIndex(Custom);
    const int unit = m_unit->findData(unitSeconds);
    if (unit >= 0)
        m_unit->setCurrentIndex(unit);
    m_amount->setValue(value);
}

qint64 S3ShareDialog::expirySeconds() const
{
    const int preset = m_preset->currentData().toInt();
    const qint64 seconds =
        preset > 0 ? preset : qint64(m_amount->value()) * m_unit->currentData().toInt();
    return seconds > 0 && seconds <= maxExpirySeconds ? seconds : 0;
}

QString S3ShareDialog::url() const
{
    return m_url->text();
}

QString S3ShareDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void S3ShareDialog::copy()
{
    if (!url().isEmpty())
        QGuiApplication::clipboard()->setText(url());
}

void S3ShareDialog::update()
{
    const bool custom = m_preset->currentIndex() == Custom;
    m_amount->setEnabled(custom);
    m_unit->setEnabled(custom);
    const qint64 seconds = expirySeconds();
    QString error;
    if (!m_client)
        error = tr("The account of this object is no longer open.");
    else if (seconds == 0)
        error = tr("A link can be valid for at most 7 days.");
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    if (!error.isEmpty()) {
        m_url->clear();
        m_expires->clear();
        m_copy->setEnabled(false);
        return;
    }
    m_url->setText(QString::fromUtf8(m_client->presignedUrl(m_bucket, m_key, seconds).toEncoded()));
    m_expires->setText(formatDateTime(QDateTime::currentDateTimeUtc().addSecs(seconds)));
    m_copy->setEnabled(true);
}

} // namespace ferry::ui
