#include "settingsdialog.h"

#include "appsettings.h"
#include "browserpage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

QSpinBox *spinBox(const QString &objectName, int lo, int hi, QWidget *parent)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(objectName);
    spin->setRange(lo, hi);
    return spin;
}

QCheckBox *checkBox(const QString &objectName, const QString &text, QWidget *parent)
{
    auto *check = new QCheckBox(text, parent);
    check->setObjectName(objectName);
    return check;
}

// A form row's label for a field inside a layout (an edit with its Browse button):
// QFormLayout makes a label the field's buddy only when the field is a widget, and without a
// buddy the label would show its '&' instead of underlining the key.
QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setBuddy(buddy);
    return label;
}

} // namespace

SettingsDialog::SettingsDialog(AppSettings *settings, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("Settings"));

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(u"tabs"_s);
    tabs->addTab(buildGeneral(), tr("&General"));
    tabs->addTab(buildConnections(), tr("&Connections"));
    tabs->addTab(buildProxy(), tr("&Proxy"));
    // settings.ini lives in the state folder, beside the helper's contact book.
    m_browserPage = new BrowserPage(m_settings, QFileInfo(m_settings->fileName()).absolutePath(),
                                    BrowserPage::defaultHostProgram(), this);
    m_browserPage->setObjectName(u"browserPage"_s);
    tabs->addTab(m_browserPage, tr("&Browser"));

    m_saveError = new QLabel(this);
    m_saveError->setObjectName(u"saveError"_s);
    m_saveError->setWordWrap(true);
    m_saveError->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_saveError);
    layout->addWidget(buttons);

    load();
}

SettingsDialog::~SettingsDialog() = default;

QLayout *SettingsDialog::folderRow(QLineEdit *edit)
{
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(edit->objectName() + u"Browse"_s);
    browse->setAutoDefault(false);
    connect(browse, &QPushButton::clicked, this, [this, edit] {
        const QString start = edit->text().isEmpty() ? m_downloadFolderEdit->text() : edit->text();
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Choose Folder"), start);
        if (!folder.isEmpty())
            edit->setText(QDir::toNativeSeparators(folder));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return row;
}

QWidget *SettingsDialog::buildGeneral()
{
    auto *page = new QWidget(this);
    m_downloadFolderEdit = new QLineEdit(page);
    m_downloadFolderEdit->setObjectName(u"downloadFolderEdit"_s);

    auto *categories = new QGroupBox(tr("Folders by file type"), page);
    auto *categoryForm = new QFormLayout(categories);
    for (Category c : allCategories) {
        auto *edit = new QLineEdit(categories);
        edit->setObjectName(u"categoryFolderEdit_"_s + categoryKey(c));
        edit->setPlaceholderText(tr("Same as the download folder"));
        categoryForm->addRow(buddyLabel(categoryName(c) + u':', edit), folderRow(edit));
        m_categoryEdits[c] = edit;
    }

    m_resumeCheck = checkBox(u"resumeCheck"_s, tr("&Resume unfinished downloads at start"), page);
    m_closeToTrayCheck =
        checkBox(u"closeToTrayCheck"_s, tr("Closing the window keeps Ferry in the &tray"), page);
    m_notificationsCheck =
        checkBox(u"notificationsCheck"_s, tr("&Notify when a download finishes or fails"), page);
    m_clipboardCheck =
        checkBox(u"clipboardCheck"_s, tr("&Offer to add links copied to the clipboard"), page);

    m_languageCombo = new QComboBox(page);
    m_languageCombo->setObjectName(u"languageCombo"_s);
    // Each language is named in itself, so someone who cannot read the current one finds theirs.
    m_languageCombo->addItem(tr("System"), u"system"_s);
    m_languageCombo->addItem(u"English"_s, u"en"_s);
    m_languageCombo->addItem(u"简体中文"_s, u"zh_CN"_s);
    auto *languageNote = new QLabel(tr("Takes effect after restarting Ferry."), page);
    languageNote->setEnabled(false);

    auto *form = new QFormLayout;
    form->addRow(buddyLabel(tr("&Download folder:"), m_downloadFolderEdit), folderRow(m_downloadFolderEdit));
    form->addRow(tr("&Language:"), m_languageCombo);
    form->addRow(QString(), languageNote);
    m_zipLevelSpin = spinBox(u"zipLevelSpin"_s, 1, 9, page);
    m_zipLevelSpin->setToolTip(tr("Images, videos and archives are stored as they are; other files are "
                                  "compressed at this level (1 fastest, 9 smallest)."));
    form->addRow(tr("&ZIP compression level:"), m_zipLevelSpin);

    m_extractCheck = checkBox(u"extractCheck"_s, tr("E&xtract ZIP archives when complete"), page);
    m_extractCheck->setToolTip(tr("A download that is a ZIP archive is unpacked into a new folder "
                                  "named after it. The add dialog starts with this choice."));
    m_afterExtractCombo = new QComboBox(page);
    m_afterExtractCombo->setObjectName(u"afterExtractCombo"_s);
    m_afterExtractCombo->addItem(tr("Keep the archive"), false);
    m_afterExtractCombo->addItem(tr("Move the archive to the trash"), true);
    form->addRow(QString(), m_extractCheck);
    form->addRow(tr("&After extracting:"), m_afterExtractCombo);

    auto *layout = new QVBoxLayout(page);
    layout->addLayout(form);
    layout->addWidget(categories);
    layout->addWidget(m_resumeCheck);
    layout->addWidget(m_closeToTrayCheck);
    layout->addWidget(m_notificationsCheck);
    layout->addWidget(m_clipboardCheck);
    layout->addStretch(1);
    return page;
}

QWidget *SettingsDialog::buildConnections()
{
    auto *page = new QWidget(this);
    m_maxConcurrentSpin = spinBox(u"maxConcurrentSpin"_s, 1, 20, page);
    m_connectionsSpin = spinBox(u"connectionsSpin"_s, 1, 32, page);
    m_perHostSpin = spinBox(u"perHostSpin"_s, 1, 64, page);
    m_rateLimitSpin = spinBox(u"rateLimitSpin"_s, 0, 10'000'000, page);
    m_rateLimitSpin->setSuffix(tr(" KiB/s"));
    m_rateLimitSpin->setSpecialValueText(tr("Unlimited"));
    m_perHostSpin->setToolTip(tr("Many servers slow down or block clients that open too many "
                                 "connections at once."));

    auto *form = new QFormLayout(page);
    form->addRow(tr("&Downloads at the same time:"), m_maxConcurrentSpin);
    form->addRow(tr("Co&nnections per download:"), m_connectionsSpin);
    form->addRow(tr("Connections per &server:"), m_perHostSpin);
    form->addRow(tr("&Total speed limit:"), m_rateLimitSpin);
    return page;
}

QWidget *SettingsDialog::buildProxy()
{
    auto *page = new QWidget(this);
    m_proxyTypeCombo = new QComboBox(page);
    m_proxyTypeCombo->setObjectName(u"proxyTypeCombo"_s);
    m_proxyTypeCombo->addItem(tr("Use the system settings"), int(AppSettings::ProxyType::System));
    m_proxyTypeCombo->addItem(tr("No proxy"), int(AppSettings::ProxyType::None));
    m_proxyTypeCombo->addItem(tr("HTTP"), int(AppSettings::ProxyType::Http));
    m_proxyTypeCombo->addItem(tr("SOCKS5"), int(AppSettings::ProxyType::Socks5));

    m_proxyHostEdit = new QLineEdit(page);
    m_proxyHostEdit->setObjectName(u"proxyHostEdit"_s);
    m_proxyPortSpin = spinBox(u"proxyPortSpin"_s, 0, 65535, page);
    m_proxyPortSpin->setSpecialValueText(tr("Not set"));
    m_proxyUserEdit = new QLineEdit(page);
    m_proxyUserEdit->setObjectName(u"proxyUserEdit"_s);
    m_proxyPasswordEdit = new QLineEdit(page);
    m_proxyPasswordEdit->setObjectName(u"proxyPasswordEdit"_s);
    m_proxyPasswordEdit->setEchoMode(QLineEdit::Password);
    auto *passwordNote = new QLabel(tr("The password is kept only until Ferry quits."), page);
    passwordNote->setEnabled(false);

    auto *form = new QFormLayout(page);
    form->addRow(tr("P&roxy:"), m_proxyTypeCombo);
    form->addRow(tr("&Host:"), m_proxyHostEdit);
    form->addRow(tr("P&ort:"), m_proxyPortSpin);
    form->addRow(tr("&User name:"), m_proxyUserEdit);
    form->addRow(tr("Pass&word:"), m_proxyPasswordEdit);
    form->addRow(QString(), passwordNote);

    connect(m_proxyTypeCombo, &QComboBox::currentIndexChanged, this,
            &SettingsDialog::updateProxyFields);
    return page;
}

void SettingsDialog::updateProxyFields()
{
    const auto type = AppSettings::ProxyType(m_proxyTypeCombo->currentData().toInt());
    const bool manual =
        type == AppSettings::ProxyType::Http || type == AppSettings::ProxyType::Socks5;
    for (QWidget *w :
         {static_cast<QWidget *>(m_proxyHostEdit), static_cast<QWidget *>(m_proxyPortSpin),
          static_cast<QWidget *>(m_proxyUserEdit), static_cast<QWidget *>(m_proxyPasswordEdit)})
        w->setEnabled(manual);
}

void SettingsDialog::load()
{
    m_downloadFolderEdit->setText(QDir::toNativeSeparators(m_settings->downloadFolder()));
    for (const auto &[category, edit] : m_categoryEdits)
        edit->setText(QDir::toNativeSeparators(m_settings->categoryFolder(category)));
    m_resumeCheck->setChecked(m_settings->resumeAtStart());
    m_closeToTrayCheck->setChecked(m_settings->closeToTray());
    m_notificationsCheck->setChecked(m_settings->notifications());
    m_clipboardCheck->setChecked(m_settings->clipboardCapture());
    m_languageCombo->setCurrentIndex(
        std::max(0, m_languageCombo->findData(m_settings->language())));

    m_maxConcurrentSpin->setValue(m_settings->maxConcurrentDownloads());
    m_connectionsSpin->setValue(m_settings->connectionsPerDownload());
    m_perHostSpin->setValue(m_settings->connectionsPerHost());
    m_zipLevelSpin->setValue(m_settings->zipDeflateLevel());
    m_extractCheck->setChecked(m_settings->extractArchives());
    m_afterExtractCombo->setCurrentIndex(m_settings->trashExtractedArchives() ? 1 : 0);
    // Stored in bytes per second; round up so a small limit never shows as "Unlimited".
    m_rateLimitSpin->setValue(int(std::min<qint64>((m_settings->globalRateLimit() + 1023) / 1024,
                                                   m_rateLimitSpin->maximum())));

    m_proxyTypeCombo->setCurrentIndex(m_proxyTypeCombo->findData(int(m_settings->proxyType())));
    m_proxyHostEdit->setText(m_settings->proxyHost());
    m_proxyPortSpin->setValue(m_settings->proxyPort());
    m_proxyUserEdit->setText(m_settings->proxyUser());
    updateProxyFields();
    m_browserPage->load();
}

void SettingsDialog::save()
{
    const auto folder = [](const QLineEdit *edit) {
        const QString text = edit->text().trimmed();
        return text.isEmpty() ? text : QDir::cleanPath(QDir::fromNativeSeparators(text));
    };
    m_settings->setDownloadFolder(folder(m_downloadFolderEdit));
    for (const auto &[category, edit] : m_categoryEdits)
        m_settings->setCategoryFolder(category, folder(edit));
    m_settings->setResumeAtStart(m_resumeCheck->isChecked());
    m_settings->setCloseToTray(m_closeToTrayCheck->isChecked());
    m_settings->setNotifications(m_notificationsCheck->isChecked());
    m_settings->setClipboardCapture(m_clipboardCheck->isChecked());
    m_settings->setLanguage(m_languageCombo->currentData().toString());

    m_settings->setMaxConcurrentDownloads(m_maxConcurrentSpin->value());
    m_settings->setConnectionsPerDownload(m_connectionsSpin->value());
    m_settings->setConnectionsPerHost(m_perHostSpin->value());
    m_settings->setZipDeflateLevel(m_zipLevelSpin->value());
    m_settings->setExtractArchives(m_extractCheck->isChecked());
    m_settings->setTrashExtractedArchives(m_afterExtractCombo->currentData().toBool());
    m_settings->setGlobalRateLimit(qint64(m_rateLimitSpin->value()) * 1024);

    m_settings->setProxyType(AppSettings::ProxyType(m_proxyTypeCombo->currentData().toInt()));
    m_settings->setProxyHost(m_proxyHostEdit->text());
    m_settings->setProxyPort(m_proxyPortSpin->value());
    m_settings->setProxyUser(m_proxyUserEdit->text());
    m_browserPage->save();
}

void SettingsDialog::setProxyPassword(const QString &password)
{
    m_proxyPasswordEdit->setText(password);
}

QString SettingsDialog::proxyPassword() const
{
    return m_proxyPasswordEdit->text();
}

void SettingsDialog::accept()
{
    save();
    // Keep the dialog open when the file cannot be written, so the choices are not lost
    // silently; the values stay in AppSettings for this session either way.
    if (!m_settings->sync()) {
        m_saveError->setText(tr("The settings could not be saved to %1.")
                                 .arg(QDir::toNativeSeparators(m_settings->fileName())));
        m_saveError->show();
        return;
    }
    QDialog::accept();
}

} // namespace ferry::ui
