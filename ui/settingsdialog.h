#pragma once

#include "categories.h"

#include <QDialog>
#include <map>

class QCheckBox;
class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QSpinBox;

namespace ferry::ui {

class AppSettings;
class BrowserPage;

// The preferences window. Reads AppSettings when opened and writes it back, then syncs, on OK;
// Cancel leaves the settings untouched. The proxy password is never written to disk: the
// caller hands in the one it holds for this session and reads the edited one back.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)
public:
    SettingsDialog(AppSettings *settings, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void setProxyPassword(const QString &password);
    QString proxyPassword() const;

    void accept() override;

private:
    QWidget *buildGeneral();
    QWidget *buildConnections();
    QWidget *buildProxy();
    QLayout *folderRow(QLineEdit *edit);
    void load();
    void save();
    void updateProxyFields();

    AppSettings *m_settings;

    QLineEdit *m_downloadFolderEdit = nullptr;
    std::map<Category, QLineEdit *> m_categoryEdits;
    QCheckBox *m_resumeCheck = nullptr;
    QCheckBox *m_closeToTrayCheck = nullptr;
    QCheckBox *m_notificationsCheck = nullptr;
    QCheckBox *m_clipboardCheck = nullptr;
    QCheckBox *m_extractCheck = nullptr;
    QComboBox *m_afterExtractCombo = nullptr;
    QComboBox *m_languageCombo = nullptr;

    QSpinBox *m_maxConcurrentSpin = nullptr;
    QSpinBox *m_connectionsSpin = nullptr;
    QSpinBox *m_perHostSpin = nullptr;
    QSpinBox *m_zipLevelSpin = nullptr;
    QSpinBox *m_rateLimitSpin = nullptr;

    BrowserPage *m_browserPage = nullptr;
    QComboBox *m_proxyTypeCombo = nullptr;
    QLineEdit *m_proxyHostEdit = nullptr;
    QSpinBox *m_proxyPortSpin = nullptr;
    QLineEdit *m_proxyUserEdit = nullptr;
    QLineEdit *m_proxyPasswordEdit = nullptr;

    QLabel *m_saveError = nullptr;
};

} // namespace ferry::ui
