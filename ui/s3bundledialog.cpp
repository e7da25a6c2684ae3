#include "s3bundledialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3BundleDialog::S3BundleDialog(Mode mode, QWidget *parent) : QDialog(parent), m_mode(mode)
{
    setObjectName(u"s3BundleDialog"_s);
    setWindowTitle(mode == LocalFile ? tr("Download as ZIP") : tr("Bundle into Bucket"));
    auto *form = new QFormLayout;

    if (mode == LocalFile) {
        m_path = new QLineEdit(this);
        m_path->setObjectName(u"bundlePath"_s);
        m_path->setMinimumWidth(320);
        auto *browse = new QPushButton(tr("Browse…"), this);
        browse->setObjectName(u"bundleBrowse"_s);
        connect(browse, &QPushButton::clicked, this, &S3BundleDialog::browse);
        auto *row = new QHBoxLayout;
        row->addWidget(m_path, 1);
        row->addWidget(browse);
        form->addRow(tr("Save as:"), row);
        connect(m_path, &QLineEdit::textChanged, this, &S3BundleDialog::update);
    } else {
        // Editable: the target may be a bucket the account can write but not list.
        m_bucket = new QComboBox(this);
        m_bucket->setObjectName(u"bundleBucket"_s);
        m_bucket->setEditable(true);
        m_bucket->setInsertPolicy(QComboBox::NoInsert);
        form->addRow(tr("Bucket:"), m_bucket);
        m_key = new QLineEdit(this);
        m_key->setObjectName(u"bundleKey"_s);
        m_key->setMinimumWidth(320);
        form->addRow(tr("Key:"), m_key);
        m_preset = new QComboBox(this);
        m_preset->setObjectName(u"bundleExpiry"_s);
        m_preset->addItem(tr("1 hour"));
        m_preset->addItem(tr("1 day"));
        m_preset->addItem(tr("7 days"));
        m_preset->addItem(tr("Custom"));
        form->addRow(tr("Share link valid for:"), m_preset);
        m_customHours = new QSpinBox(this);
        m_customHours->setObjectName(u"bundleCustomHours"_s);
        m_customHours->setRange(1, 9999);
        m_customHours->setValue(12);
        m_customHours->setSuffix(tr(" h"));
        form->addRow(tr("Custom:"), m_customHours);
        connect(m_bucket, &QComboBox::editTextChanged, this, &S3BundleDialog::update);
        connect(m_key, &QLineEdit::textChanged, this, &S3BundleDialog::update);
        connect(m_preset, &QComboBox::currentIndexChanged, this, &S3BundleDialog::update);
        connect(m_customHours, &QSpinBox::valueChanged, this, &S3BundleDialog::update);
    }

    m_level = new QSpinBox(this);
    m_level->setObjectName(u"bundleDeflateLevel"_s);
    m_level->setRange(1, 9);
    m_level->setValue(6);
    m_level->setToolTip(tr("Images, videos and archives are stored as they are; other files are "
                           "compressed at this level (1 fastest, 9 smallest)."));
    form->addRow(tr("Compression level:"), m_level);
    m_skip = new QCheckBox(tr("Skip objects that fail and report them (otherwise stop at the "
                              "first failure)"),
                           this);
    m_skip->setObjectName(u"bundleSkipOnError"_s);
    form->addRow(m_skip);

    m_error = new QLabel(this);
    m_error->setObjectName(u"bundleError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: palette(highlight);"_s);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(u"bundleButtons"_s);
    m_buttons->button(QDialogButtonBox::Ok)
        ->setText(mode == LocalFile ? tr("Download") : tr("Bundle"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    update();
}

void S3BundleDialog::setLocalPath(const QString &path)
{
    if (m_path)
        m_path->setText(path);
}

QString S3BundleDialog::localPath() const
{
    return m_path ? m_path->text().trimmed() : QString();
}

void S3BundleDialog::setBuckets(const QStringList &buckets, const QString &current)
{
    if (!m_bucket)
        return;
    m_bucket->clear();
    m_bucket->addItems(buckets);
    m_bucket->setCurrentIndex(m_bucket->findText(current));
    m_bucket->setEditText(current);
}

QString S3BundleDialog::targetBucket() const
{
    return m_bucket ? m_bucket->currentText().trimmed() : QString();
}

void S3BundleDialog::setTargetKey(const QString &key)
{
    if (m_key)
        m_key->setText(key);
}

QString S3BundleDialog::targetKey() const
{
    // A leading '/' would make an empty first segment in the object's path.
    QString key = m_key ? m_key->text().trimmed() : QString();
    while (key.startsWith(u'/'))
        key.remove(0, 1);
    return key;
}

void S3BundleDialog::setPreset(Preset preset)
{
    if (m_preset)
        m_preset->setCurrentIndex(preset);
}

void S3BundleDialog::setCustomHours(int hours)
{
    if (!m_preset)
        return;
    m_preset->setCurrentIndex(Custom);
    m_customHours->setValue(hours);
}

qint64 S3BundleDialog::expirySeconds() const
{
    if (!m_preset)
        return 3600;
    switch (m_preset->currentIndex()) {
    case OneHour:
        return 3600;
    case OneDay:
        return 24 * 3600;
    case SevenDays:
        return maxExpirySeconds;
    default:
        return qint64(m_customHours->value()) * 3600;
    }
}

void S3BundleDialog::setDeflateLevel(int level)
{
    m_level->setValue(level);
}

S3BundleOptions S3BundleDialog::options() const
{
    S3BundleOptions o;
    o.deflateLevel = m_level->value();
    o.skipOnError = m_skip->isChecked();
    o.shareExpirySeconds = qMin(expirySeconds(), maxExpirySeconds);
    return o;
}

QString S3BundleDialog::errorText() const
{
    return m_error->text();
}

void S3BundleDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Download as ZIP"), localPath(),
                                                      tr("ZIP archives (*.zip)"));
    if (!path.isEmpty())
        m_path->setText(path.endsWith(u".zip"_s, Qt::CaseInsensitive) ? path : path + u".zip"_s);
}

void S3BundleDialog::update()
{
    QString error;
    if (m_mode == LocalFile) {
        if (localPath().isEmpty())
            error = tr("Choose where to save the ZIP file.");
    } else {
        if (m_customHours)
            m_customHours->setEnabled(m_preset->currentIndex() == Custom);
        if (targetBucket().isEmpty())
            error = tr("Enter the bucket to put the ZIP file into.");
        else if (targetKey().isEmpty() || targetKey().endsWith(u'/'))
            error = tr("Enter the key (name) of the ZIP file.");
        else if (expirySeconds() > maxExpirySeconds)
            error = tr("A share link can be valid for at most 7 days.");
    }
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(error.isEmpty());
}

} // namespace ferry::ui
