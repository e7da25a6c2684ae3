#include "s3panel.h"

#include "messagebar.h"
#include "s3accountdialog.h"
#include "s3breadcrumb.h"
#include "s3deletejob.h"
#include "s3objectmodel.h"
#include "s3propertiesdialog.h"
#include "s3sharedialog.h"
#include "zipcontentsdialog.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "s3/accountstore.h"
#include "s3/credentialstore.h"
#include "s3/s3client.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3Panel::S3Panel(S3Transfers *transfers, s3::AccountStore *accounts,
                 s3::CredentialStore *credentials, std::function<QString()> downloadDirectory,
                 QWidget *parent)
    : QWidget(parent), m_transfers(transfers), m_accounts(accounts), m_credentials(credentials),
      m_downloadDirectory(std::move(downloadDirectory)),
      m_aws(s3::AwsConfig::load(QProcessEnvironment::systemEnvironment()))
{
    setObjectName(u"s3Panel"_s);
    setAcceptDrops(true);
    m_model = new S3ObjectModel(this);
    m_proxy = new S3ObjectFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    createWidgets();
    createActions();
    connect(m_model, &S3ObjectModel::pageLoaded, this, &S3Panel::updateStatus);
    connect(m_model, &S3ObjectModel::loadingChanged, this, &S3Panel::updateStatus);
    connect(m_model, &S3ObjectModel::errorOccurred, this,
            [this](const s3::Error &e) { showMessage(e.message); });
    connect(m_accounts, &s3::AccountStore::accountsChanged, this, &S3Panel::reloadAccounts);
    connect(m_credentials, &s3::CredentialStore::keychainAvailableChanged, this,
            [this](bool available) {
                if (!available)
                    showMessage(m_credentials->keychainMessage());
            });
    reloadAccounts();
    updateStatus();
}

S3Panel::~S3Panel() = default;

void S3Panel::createWidgets()
{
    m_accountCombo = new QComboBox(this);
    m_accountCombo->setObjectName(u"accountCombo"_s);
    m_accountCombo->setPlaceholderText(tr("No account"));
    m_accountMenuButton = new QToolButton(this);
    m_accountMenuButton->setObjectName(u"accountMenu"_s);
    m_accountMenuButton->setText(tr("Accounts"));
    m_accountMenuButton->setPopupMode(QToolButton::InstantPopup);
    auto *accountMenu = new QMenu(m_accountMenuButton);
    accountMenu->addAction(tr("&Add Account…"), this, &S3Panel::addAccount);
    accountMenu->addAction(tr("&Edit Account…"), this, &S3Panel::editAccount);
    accountMenu->addAction(tr("&Import Profiles from ~/.aws"), this, &S3Panel::importAwsProfiles);
    accountMenu->addSeparator();
    // The bucket's unfinished uploads, whatever is selected; disabled without an open bucket.
    QAction *unfinished = accountMenu->addAction(tr("U&nfinished Uploads in This Bucket…"), this,
                                                 [this] { showUnfinishedUploads(); });
    unfinished->setObjectName(u"bucketUnfinishedUploadsAction"_s);
    connect(accountMenu, &QMenu::aboutToShow, this,
            [this, unfinished] { unfinished->setEnabled(m_client && !bucket().isEmpty()); });
    m_accountMenuButton->setMenu(accountMenu);
    connect(m_accountCombo, &QComboBox::activated, this,
            [this](int index) { openAccount(m_accountCombo->itemData(index).toString()); });

    // Editable: when ListBuckets is denied, the user can still type a bucket they may read.
    m_bucketCombo = new QComboBox(this);
    m_bucketCombo->setObjectName(u"bucketCombo"_s);
    m_bucketCombo->setEditable(true);
    m_bucketCombo->setInsertPolicy(QComboBox::NoInsert);
    m_bucketCombo->lineEdit()->setPlaceholderText(tr("Bucket"));
    m_bucketCombo->setMinimumContentsLength(16);
    connect(m_bucketCombo, &QComboBox::textActivated, this,
            [this](const QString &name) { openBucket(name.trimmed()); });

    m_refreshButton = new QToolButton(this);
    m_refreshButton->setObjectName(u"refreshButton"_s);
    m_refreshButton->setIcon(QIcon(u":/icons/redownload.svg"_s));
    m_refreshButton->setToolTip(tr("Refresh (F5)"));
    m_refreshButton->setShortcut(QKeySequence::Refresh);
    connect(m_refreshButton, &QToolButton::clicked, this, &S3Panel::refresh);

    auto *top = new QHBoxLayout;
    top->addWidget(m_accountCombo, 1);
    top->addWidget(m_accountMenuButton);
    top->addWidget(m_bucketCombo, 1);
    top->addWidget(m_refreshButton);

    m_breadcrumb = new S3Breadcrumb(this);
    connect(m_breadcrumb, &S3Breadcrumb::prefixActivated, this, &S3Panel::openPrefix);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(u"s3Filter"_s);
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(tr("Filter loaded items by name"));
    m_filter->setToolTip(tr("Only rows loaded so far are searched; scroll down to load more."));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &S3ObjectFilterProxy::setNameFilter);

    m_messageBar = new MessageBar(this);
    m_messageBar->setObjectName(u"s3MessageBar"_s);

    m_view = new QTableView(this);
    m_view->setObjectName(u"s3ObjectView"_s);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(S3ObjectModel::Name, Qt::AscendingOrder);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Uniform rows let the view lay out 100,000 of them without measuring each.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(S3ObjectModel::Name, QHeaderView::Stretch);
    m_view->horizontalHeader()->resizeSection(S3ObjectModel::Modified, 140);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly); // drops are the panel's
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &S3Panel::showContextMenu);
    connect(m_view, &QAbstractItemView::doubleClicked, this, &S3Panel::activateRow);

    m_status = new QLabel(this);
    m_status->setObjectName(u"s3Status"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_breadcrumb);
    layout->addWidget(m_messageBar);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
}

void S3Panel::createActions()
{
    auto make = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *a = new QAction(text, this);
        if (!key.isEmpty()) {
            a->setShortcut(key);
            a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
            m_view->addAction(a);
        }
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_openAction =
        make(tr("&Open"), Qt::Key_Return, [this] { activateRow(m_view->currentIndex()); });
    m_downloadAction =
        make(tr("&Download"), {}, [this] { downloadSelected(m_downloadDirectory()); });
    m_downloadToAction = make(tr("Download &To…"), {}, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Download To"), m_downloadDirectory());
        if (!dir.isEmpty())
            downloadSelected(dir);
    });
    m_zipAction = make(tr("Download as &ZIP…"), {}, &S3Panel::bundleSelectedAsZip);
    m_bundleAction = make(tr("&Bundle into Bucket…"), {}, &S3Panel::bundleSelectedIntoBucketDialog);
    m_contentsAction = make(tr("Show Cont&ents…"), {}, &S3Panel::showSelectedContents);
    m_contentsAction->setObjectName(u"s3ContentsAction"_s);
    m_shareAction = make(tr("Copy &Share Link…"), {}, &S3Panel::shareSelected);
    m_copyUriAction = make(tr("Copy s3:// &URI"), QKeySequence::Copy, &S3Panel::copySelectedUris);
    m_deleteAction = make(tr("De&lete…"), QKeySequence::Delete, &S3Panel::deleteSelected);
    m_propertiesAction =
        make(tr("P&roperties"), Qt::ALT | Qt::Key_Return, &S3Panel::showSelectedProperties);
    m_unfinishedAction = make(tr("U&nfinished Uploads…"), {}, [this] { showUnfinishedUploads(); });
    m_unfinishedAction->setObjectName(u"unfinishedUploadsAction"_s);
    m_upAction = make(tr("&Up"), Qt::Key_Backspace, &S3Panel::goUp);
    auto *altUp = new QAction(this);
    altUp->setShortcut(Qt::ALT | Qt::Key_Up);
    altUp->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(altUp, &QAction::triggered, this, &S3Panel::goUp);
    addAction(altUp);
}

void S3Panel::setAwsConfig(const s3::AwsConfig &config)
{
    m_aws = config;
    reloadAccounts();
}

void S3Panel::setDownloadManager(DownloadManager *manager)
{
    if (m_manager)
        disconnect(m_manager, nullptr, this, nullptr);
    m_manager = manager;
    if (m_manager)
        connect(m_manager, &DownloadManager::stateChanged, this, &S3Panel::onTransferState);
}

void S3Panel::reloadAccounts()
{
    const QString current = m_accountId;
    m_accountCombo->clear();
    const QList<s3::Account> all = m_accounts->accounts();
    for (const s3::Account &a : all)
        m_accountCombo->addItem(a.name, a.id);
    m_accountCombo->setCurrentIndex(m_accountCombo->findData(current));
    if (!all.isEmpty())
        return;
    // First use: offer what ~/.aws already knows rather than an empty form.
    int withKeys = 0;
    for (const QString &p : m_aws.profiles()) {
        if (const auto profile = m_aws.profile(p); profile && !profile->credentials.isAnonymous())
            ++withKeys;
    }
    if (withKeys > 0)
        m_messageBar->showMessage(
            tr("No S3 account yet. Found %n profile(s) with keys in ~/.aws.", nullptr, withKeys),
            tr("Import"), [this] { importAwsProfiles(); });
    else
        m_messageBar->showMessage(tr("No S3 account yet."), tr("Add Account…"),
                                  [this] { addAccount(); });
}

void S3Panel::openAccount(const QString &accountId)
{
    const auto account = m_accounts->find(accountId);
    if (!account)
        return;
    const quint64 generation = ++m_openGeneration;
    m_accountId = accountId;
    m_client = nullptr;
    m_accountCombo->setCurrentIndex(m_accountCombo->findData(accountId));
    m_bucketCombo->clear();
    m_model->clear();
    m_breadcrumb->setPath({}, {});
    m_messageBar->hide();
    m_status->setText(tr("Opening %1…").arg(account->name));
    m_credentials->load(*account, [this, self = QPointer<S3Panel>(this), account = *account,
                                   generation](const s3::Credentials &keys, const QString &error) {
        if (!self || generation != m_openGeneration)
            return;
        if (!error.isEmpty()) {
            showMessage(error);
            updateStatus();
            return;
        }
        auto *client = new s3::Client(account, keys);
        m_transfers->addClient(client); // owns it from here on
        onAccountOpened(account, client, generation);
    });
}

void S3Panel::onAccountOpened(const s3::Account &account, s3::Client *client, quint64 generation)
{
    m_client = client;
    emit accountOpened(account.id);
    s3::Reply *reply = client->listBuckets();
    connect(reply, &s3::Reply::finished, this, [this, reply, generation] {
        if (generation != m_openGeneration)
            return;
        if (reply->error.isError()) {
            QString text = reply->error.message;
            if (reply->error.kind == s3::Error::Denied)
                text += u' ' + tr("Type the name of a bucket you may read into the bucket field.");
            showMessage(text);
        } else {
            const QString typed = m_bucketCombo->currentText();
            for (const s3::Bucket &b : reply->buckets)
                m_bucketCombo->addItem(b.name);
            m_bucketCombo->setCurrentIndex(-1);
            m_bucketCombo->setEditText(typed);
            if (m_model->bucket().isEmpty() && reply->buckets.size() == 1)
                openBucket(reply->buckets.first().name);
        }
        updateStatus();
        emit bucketsLoaded();
    });
}

QString S3Panel::bucket() const
{
    return m_model->bucket();
}

QString S3Panel::prefix() const
{
    return m_model->prefix();
}

QStringList S3Panel::buckets() const
{
    QStringList out;
    for (int i = 0; i < m_bucketCombo->count(); ++i)
        out.append(m_bucketCombo->itemText(i));
    return out;
}

void S3Panel::openBucket(const QString &bucket)
{
    if (bucket.isEmpty())
        return;
    if (m_bucketCombo->currentText() != bucket)
        m_bucketCombo->setEditText(bucket);
    m_messageBar->hide();
    m_model->setLocation(m_client, bucket, {});
    if (!m_client)
        showMessage(tr("Open an account first."));
    m_breadcrumb->setPath(bucket, {});
    m_filter->clear();
    updateStatus();
    emit locationChanged(bucket, {});
}

void S3Panel::openPrefix(const QString &prefix)
{
    if (bucket().isEmpty())
        return;
    m_model->setLocation(m_client, bucket(), prefix);
    m_breadcrumb->setPath(bucket(), prefix);
    m_filter->clear();
    m_view->scrollToTop();
    updateStatus();
    emit locationChanged(bucket(), prefix);
}

void S3Panel::goUp()
{
    QString p = prefix();
    if (p.isEmpty())
        return;
    p.chop(1);
    openPrefix(p.left(p.lastIndexOf(u'/') + 1));
}

void S3Panel::refresh()
{
    if (!bucket().isEmpty()) {
        m_messageBar->hide();
        m_model->refresh();
    } else if (!m_accountId.isEmpty()) {
        openAccount(m_accountId);
    }
    updateStatus();
}

QString S3Panel::messageText() const
{
    return m_messageBar->text();
}

QString S3Panel::statusText() const
{
    return m_status->text();
}

void S3Panel::showMessage(const QString &text)
{
    m_messageBar->showMessage(text);
}

void S3Panel::updateStatus()
{
    QString text;
    if (m_model->isLoading() && m_model->rowCount() == 0)
        text = tr("Loading…");
    else if (!m_model->bucket().isEmpty()) {
        text = tr("%n object(s) loaded", nullptr, m_model->objectCount());
        if (m_model->folderCount() > 0)
            text += u", "_s + tr("%n folder(s)", nullptr, m_model->folderCount());
        if (m_model->isLoading())
            text += u" — "_s + tr("loading more…");
        else if (!m_model->isComplete() && !m_model->lastError().isError())
            text += u" — "_s + tr("scroll down for more");
    } else if (m_client) {
        text = tr("Choose a bucket.");
    }
    m_status->setText(text);
}

QList<int> S3Panel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows.append(m_proxy->mapToSource(index).row());
    return rows;
}

void S3Panel::activateRow(const QModelIndex &proxyIndex)
{
    const QModelIndex index = m_proxy->mapToSource(proxyIndex);
    if (!index.isValid())
        return;
    if (m_model->isFolder(index.row()))
        openPrefix(m_model->keyAt(index.row()));
    else
        showSelectedProperties();
}

void S3Panel::showContextMenu(const QPoint &pos)
{
    const QList<int> rows = selectedRows();
    const bool any = !rows.isEmpty();
    const bool oneObject = rows.size() == 1 && !m_model->isFolder(rows.first());
    m_downloadAction->setEnabled(any);
    m_downloadToAction->setEnabled(any);
    m_zipAction->setEnabled(any);
    m_bundleAction->setEnabled(any && m_client);
    m_shareAction->setEnabled(oneObject);
    m_contentsAction->setEnabled(oneObject && m_client);
    m_copyUriAction->setEnabled(any);
    m_deleteAction->setEnabled(any);
    m_propertiesAction->setEnabled(oneObject);
    m_unfinishedAction->setEnabled(m_client && !bucket().isEmpty());
    QMenu menu(this);
    menu.addActions({m_downloadAction, m_downloadToAction});
    menu.addSeparator();
    menu.addActions({m_zipAction, m_bundleAction});
    if (oneObject && looksLikeZipName(m_model->keyAt(rows.first())))
        menu.addAction(m_contentsAction);
    menu.addSeparator();
    menu.addActions({m_shareAction, m_copyUriAction});
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.addSeparator();
    menu.addAction(m_propertiesAction);
    menu.addSeparator();
    menu.addAction(m_unfinishedAction);
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace ferry::ui
