#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QTreeWidget;

namespace ferry::ui {

class AppSettings;

// Settings → Browser: for each browser on this machine, whether Ferry's helper is registered
// where it looks and when its extension last reached Ferry; a button that registers the
// helper for this user (builds not installed from the package); how to add the extension;
// and whether caught downloads start without the add dialog.
class BrowserPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BrowserPage)
public:
    // `stateDir` holds the helper's contact book; `hostProgram` is the helper to register.
    BrowserPage(AppSettings *settings, const QString &stateDir, const QString &hostProgram,
                QWidget *parent = nullptr);

    void load();
    void save();
    void refresh(); // reads the manifests and the contact book again

    // The helper next to this program, as installed and as built.
    static QString defaultHostProgram();
    // The folder with the extension for a family ("chromium", "firefox"), installed or built;
    // empty when neither exists.
    static QString extensionFolder(const QString &family);

private:
    void registerHost();

    AppSettings *m_settings;
    QString m_stateDir;
    QString m_hostProgram;
    QCheckBox *m_startCheck = nullptr;
    QTreeWidget *m_table = nullptr;
    QLabel *m_registerResult = nullptr;
    QLabel *m_howTo = nullptr;
};

} // namespace ferry::ui
