#pragma once

#include <QObject>

namespace ferry {
class DownloadManager;
class S3Transfers;
namespace s3 {
class AccountStore;
class CredentialStore;
}
namespace ui {
class AppSettings;
class MainWindow;
class S3Panel;
}
}

namespace ferry::app {

// The S3 side of the window: accounts, credentials, the browser panel docked beside the
// transfer list, and drops of S3 objects onto that list. Must be made before the manager opens
// its database (stored uploads need their factory). GUI thread.
class S3Wiring final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(S3Wiring)
public:
    S3Wiring(DownloadManager *manager, const QString &settingsPath, QObject *parent = nullptr);
    ~S3Wiring() override;

    // After the manager opened: loads the keys of every account so that transfers which
    // waited for them go on, and docks the browser into `window`.
    void attach(ui::MainWindow *window, ui::AppSettings *settings);
    ui::S3Panel *panel() const { return m_panel; }

private:
    DownloadManager *m_manager;
    S3Transfers *m_transfers;
    s3::AccountStore *m_accounts;
    s3::CredentialStore *m_credentials;
    ui::S3Panel *m_panel = nullptr;
};

} // namespace ferry::app
