#include "s3wiring.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "appsettings.h"
#include "mainwindow.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"
#include "s3mime.h"
#include "s3panel.h"

#include <QKeySequence>
#include <QPointer>
#include <QStatusBar>

using namespace Qt::StringLiterals;

namespace ferry::app {

S3Wiring::S3Wiring(DownloadManager *manager, const QString &settingsPath, QObject *parent)
    : QObject(parent), m_manager(manager), m_transfers(new S3Transfers(manager, this)),
      m_accounts(new s3::AccountStore(settingsPath, this)), m_credentials(new s3::CredentialStore(this))
{
}

S3Wiring::~S3Wiring() = default;

void S3Wiring::attach(ui::MainWindow *window, ui::AppSettings *settings)
{
    // Transfers of an account wait until its keys are loaded; loading is quick (keychain or
    // memory), so every account is opened once at start.
    for (const s3::Account &account : m_accounts->accounts()) {
        QPointer<S3Transfers> transfers(m_transfers);
        m_credentials->load(account, [transfers, account](const s3::Credentials &credentials, const QString &error) {
            if (transfers && error.isEmpty() && !transfers->client(account.id))
                transfers->addClient(new s3::Client(account, credentials));
        });
    }
    m_panel = new ui::S3Panel(m_transfers, m_accounts, m_credentials, [settings] { return settings->downloadFolder(); }, window);
    m_panel->setObjectName(u"s3Panel"_s);
    m_panel->setDownloadManager(m_manager);
    m_panel->setDeflateLevelSource([settings] { return settings->zipDeflateLevel(); });
    window->addSidePanel(m_panel, tr("S3 Browser"), QKeySequence(Qt::CTRL | Qt::Key_B), !m_accounts->accounts().isEmpty());
    // Remote archives in a bucket are read with the account's keys, which only the clients hold.
    QPointer<S3Transfers> transfers(m_transfers);
    window->setS3KeysLookup(
        [transfers](const QString &account) -> std::optional<std::pair<s3::Account, s3::Credentials>> {
            const s3::Client *client = transfers ? transfers->client(account) : nullptr;
            if (!client)
                return std::nullopt;
            return std::make_pair(client->account(), client->credentials());
        });
    window->setS3ObjectUrl([transfers](const QString &account, const QString &bucket, const QString &key) {
        const s3::Client *client = transfers ? transfers->client(account) : nullptr;
        return client ? client->objectUrl(bucket, key) : QUrl();
    });
    connect(m_panel, &ui::S3Panel::contentsRequested, window,
            [window](const QString &account, const QString &bucket, const QString &key) {
                zipread::ArchiveSource source;
                source.account = account;
                source.bucket = bucket;
                source.key = key;
                window->showZipContents(source);
            });
    window->setDropHandler({QString(ui::s3ObjectsMimeType)}, [this, window, settings](const QMimeData *mime) {
        const std::optional<ui::S3Selection> selection = ui::s3SelectionFromMimeData(mime);
        if (!selection || selection->isEmpty())
            return false;
        QPointer<ui::MainWindow> w(window);
        ui::queueS3Downloads(m_transfers, *selection, settings->downloadFolder(), [w](int queued, const QString &error) {
            if (w && !error.isEmpty())
                w->showNotice(error);
            else if (w)
                w->statusBar()->showMessage(tr("%n object(s) added to the queue.", nullptr, queued), 5000);
        });
        return true;
    });
}

} // namespace ferry::app
