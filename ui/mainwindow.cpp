#include "mainwindow.h"

#include "appsettings.h"
#include "categories.h"
#include "detailspane.h"
#include "downloadpropertiesdialog.h"
#include "format.h"
#include "messagebar.h"
#include "ratelimitbox.h"
#include "settingsdialog.h"
#include "sidebarroles.h"
#include "transferfilterproxy.h"
#include "transfermodel.h"
#include "transferview.h"
#include "zipcontentsdialog.h"

#include "api/downloadmanager.h"
#include "api/urlprober.h"

#include <QApplication>
#include <QClipboard>
#include <QKeyEvent>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

QIcon MainWindow::icon(const char *name)
{
    return QIcon(u":/icons/%1.svg"_s.arg(QLatin1StringView(name)));
}

MainWindow::MainWindow(DownloadManager *manager, UrlProber *prober, AppSettings *settings, QWidget *parent)
    : QMainWindow(parent), m_manager(manager), m_prober(prober), m_settings(settings),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Ferry"));
    setWindowIcon(icon("ferry"));
    setAcceptDrops(true);
    m_model = new TransferModel(this);
    m_proxy = new TransferFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    createActions();
    createListActions();
    createMenus();
    createCentral();
    createStatusBar();
    createTray();

    m_model->resetTo(m_manager->snapshots());
    for (auto signal : {&TransferModel::rowsInserted, &TransferModel::rowsRemoved})
        connect(m_model, signal, this, &MainWindow::updateEmptyText);
    connect(m_model, &TransferModel::modelReset, this, &MainWindow::updateEmptyText);
    connect(m_model, &TransferModel::queueMoveRequested, this, &MainWindow::moveDropped);
    connect(m_manager, &DownloadManager::snapshotsUpdated, this, &MainWindow::onSnapshots);
    connect(m_manager, &DownloadManager::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_manager, &DownloadManager::downloadRemoved, this, [this](DownloadId id) {
        m_model->removeDownload(id);
        m_speedHistory.remove(id);
        updateStatus();
    });
    connect(m_manager, &DownloadManager::transferDiscarded, this, [this](DownloadId id, bool ok, const QString &message) {
        const QString name = m_removedNames.take(id);
        if (!ok) {
            m_messageBar->showMessage(tr("“%1” is removed, but what it left on the server could not be: %2 Its parts "
                                         "stay there until the bucket's lifecycle rules remove them.").arg(name, message));
        }
    });
    connect(m_manager, &DownloadManager::fileKept, this, [this](DownloadId, const QString &message) {
        m_messageBar->showMessage(message);
    });
    connect(m_manager, &DownloadManager::downloadAdded, this, [this](DownloadId id) {
        if (const auto s = m_manager->snapshot(id))
            m_model->applySnapshots({*s});
        updateStatus();
    });
    connect(QApplication::clipboard(), &QClipboard::dataChanged, this, &MainWindow::onClipboardChanged);

    // restoreGeometry() also pulls a remembered place back onto a screen that has shrunk.
    if (!restoreGeometry(m_settings->windowGeometry())) {
        const QScreen *screen = this->screen();
        const Placement placement = firstStartPlacement(screen ? screen->availableGeometry() : QRect(0, 0, 1280, 800));
        setGeometry(placement.geometry);
        if (placement.maximized)
            setWindowState(windowState() | Qt::WindowMaximized);
    }
    restoreState(m_settings->windowState());
    if (!m_view->restoreColumns(m_settings->headerState())) {
        m_view->applyDefaultColumns();
        m_view->sortByColumn(TransferModel::Position, Qt::AscendingOrder); // the queue's order
    }
    connect(m_view, &TransferView::columnsChanged, this, [this] { m_settings->setHeaderState(m_view->saveColumns()); });
    updateActions();
    updateDetails();
    updateStatus();
    updateEmptyText();
}

MainWindow::~MainWindow()
{
    m_settings->setWindowGeometry(saveGeometry());
    m_settings->setWindowState(saveState());
    m_settings->setHeaderState(m_view->saveColumns());
    m_settings->sync();
}

MainWindow::Placement MainWindow::firstStartPlacement(const QRect &available)
{
    // Below this the sidebar, the list's columns and the toolbar crowd each other, and the
    // fifth of the screen left free would be worth less than the room.
    constexpr QSize comfortable(960, 600);
    const QSize share = available.size() * 0.8;
    if (share.width() < comfortable.width() || share.height() < comfortable.height())
        return {available, true};
    QRect geometry(QPoint(), share);
    geometry.moveCenter(available.center());
    return {geometry, false};
}

void MainWindow::createCentral()
{
    m_sidebar = new QTreeWidget(this);
    m_sidebar->setObjectName(u"sidebar"_s);
    m_sidebar->setHeaderHidden(true);
    m_sidebar->setRootIsDecorated(false);
    const std::pair<QString, TransferFilterProxy::StateFilter> states[] = {
        {tr("All"), TransferFilterProxy::StateFilter::All},       {tr("Active"), TransferFilterProxy::StateFilter::Active},
        {tr("Queued"), TransferFilterProxy::StateFilter::Queued}, {tr("Completed"), TransferFilterProxy::StateFilter::Completed},
        {tr("Failed"), TransferFilterProxy::StateFilter::Failed}};
    const char *stateIcons[] = {"all", "active", "queued", "completed", "failed"};
    int i = 0;
    for (const auto &[label, filter] : states) {
        auto *item = new QTreeWidgetItem(m_sidebar, {label});
        item->setIcon(0, icon(stateIcons[i++]));
        item->setData(0, sidebarStateRole, int(filter));
        item->setData(0, sidebarLabelRole, label);
    }
    auto *categories = new QTreeWidgetItem(m_sidebar, {tr("Categories")});
    categories->setFlags(Qt::ItemIsEnabled);
    for (Category c : allCategories) {
        auto *item = new QTreeWidgetItem(categories, {categoryName(c)});
        item->setIcon(0, categoryIcon(c));
        item->setData(0, sidebarCategoryRole, int(c));
        item->setData(0, sidebarLabelRole, categoryName(c));
    }
    m_sidebar->expandAll();
    m_sidebar->setCurrentItem(m_sidebar->topLevelItem(0));
    connect(m_sidebar, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (!item)
            return;
        const QVariant state = item->data(0, sidebarStateRole);
        const QVariant category = item->data(0, sidebarCategoryRole);
        m_proxy->setStateFilter(state.isValid() ? TransferFilterProxy::StateFilter(state.toInt()) : TransferFilterProxy::StateFilter::All);
        m_proxy->setCategoryFilter(category.isValid() ? std::optional<Category>(Category(category.toInt())) : std::nullopt);
    });

    m_search = new QLineEdit(this);
    m_search->setObjectName(u"searchEdit"_s);
    m_search->setPlaceholderText(
        tr("Search by name or URL (%1)").arg(m_findAction->shortcut().toString(QKeySequence::NativeText)));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this); // Escape: see eventFilter()
    connect(m_search, &QLineEdit::textChanged, m_proxy, &TransferFilterProxy::setSearchText);

    m_view = new TransferView(this);
    m_view->setModel(m_proxy);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addActions({m_resumeAction, m_pauseAction, m_redownloadAction});
        menu.addSeparator();
        menu.addActions({m_openFileAction, m_openFolderAction, m_copyUrlAction});
        menu.addSeparator();
        menu.addActions({m_upAction, m_downAction, m_removeAction, m_changeAddressAction});
        if (m_showContentsAction->isEnabled())
            menu.addAction(m_showContentsAction);
        menu.addAction(m_propertiesAction);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_view, &QAbstractItemView::doubleClicked, this, &MainWindow::openSelectedFile);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        updateDetails();
    });
    m_view->addActions({m_toggleAction, m_openFileAction, m_removeAction, m_copyUrlAction});

    m_messageBar = new MessageBar(this);
    m_details = new DetailsPane(this);
    m_details->setObjectName(u"detailsPane"_s);
    m_details->hide(); // until a download is selected: empty, it would only take room from the list

    auto *listArea = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listArea);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_messageBar);
    listLayout->addWidget(m_search);
    listLayout->addWidget(m_view, 1);

    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(listArea);
    right->addWidget(m_details);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    auto *main = new QSplitter(Qt::Horizontal, this);
    main->addWidget(m_sidebar);
    main->addWidget(right);
    main->setStretchFactor(1, 1);
    main->setSizes({170, 900});
    setCentralWidget(main);
}

void MainWindow::createStatusBar()
{
    m_speedLabel = new QLabel(this);
    m_speedLabel->setObjectName(u"totalSpeed"_s);
    m_countLabel = new QLabel(this);
    m_countLabel->setObjectName(u"counts"_s);
    m_limitBox = new RateLimitBox(this);
    m_limitBox->setObjectName(u"globalLimit"_s);
    m_limitBox->setToolTip(tr("Speed limit for all downloads together") + u'\n' + RateLimitBox::inputHint());
    m_limitBox->setBytesPerSecond(m_settings->globalRateLimit());
    connect(m_limitBox, &RateLimitBox::bytesPerSecondChanged, this, [this](qint64 bytesPerSecond) {
        m_manager->setGlobalRateLimit(bytesPerSecond);
        m_settings->setGlobalRateLimit(bytesPerSecond);
    });
    statusBar()->addWidget(m_speedLabel);
    statusBar()->addWidget(m_countLabel);
    statusBar()->addPermanentWidget(new QLabel(tr("Limit:"), this));
    statusBar()->addPermanentWidget(m_limitBox);
}

void MainWindow::createTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return; // without a tray the window simply closes like any other
    m_tray = new QSystemTrayIcon(icon("ferry"), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show Ferry"), this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
    menu->addActions({m_pauseAllAction, m_resumeAllAction});
    menu->addSeparator();
    menu->addAction(m_quitAction);
    m_tray->setContextMenu(menu);
    m_tray->setToolTip(tr("Ferry"));
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger)
            isVisible() ? hide() : (showNormal(), raise(), activateWindow());
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (!m_lastNotifiedFolder.isEmpty())
            openLocal(m_lastNotifiedFolder);
    });
    m_tray->show();
}

void MainWindow::onSnapshots(const QList<DownloadSnapshot> &changed)
{
    m_model->applySnapshots(changed);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastSampleMs >= 1000) {
        m_lastSampleMs = now;
        for (const DownloadSnapshot &s : changed) {
            if (s.state != DownloadState::Downloading)
                continue;
            QList<qint64> &h = m_speedHistory[s.id];
            h.append(s.speed);
            if (h.size() > 300)
                h.removeFirst();
        }
    }
    updateDetails();
    updateStatus();
    updateActions();
}

void MainWindow::onStateChanged(DownloadId id, DownloadState state)
{
    if (const auto s = m_manager->snapshot(id))
        m_model->applySnapshots({*s});
    updateActions();
    if (!m_tray || !m_settings->notifications())
        return;
    const auto s = m_manager->snapshot(id);
    if (!s)
        return;
    if (state == DownloadState::Completed) {
        m_lastNotifiedFolder = QFileInfo(s->targetPath).absolutePath();
        m_tray->showMessage(tr("Download complete"), QFileInfo(s->targetPath).fileName(), QSystemTrayIcon::Information);
    } else if (state == DownloadState::Failed) {
        m_lastNotifiedFolder = s->directory;
        m_tray->showMessage(tr("Download failed"), tr("%1: %2").arg(s->fileName, s->message), QSystemTrayIcon::Warning);
    }
}

QList<DownloadId> MainWindow::selectedIds() const
{
    QList<DownloadId> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(TransferModel::IdRole).toLongLong());
    return ids;
}

std::optional<DownloadSnapshot> MainWindow::currentSnapshot() const
{
    const QList<DownloadId> ids = selectedIds();
    return ids.size() == 1 ? m_manager->snapshot(ids.first()) : std::nullopt;
}

void MainWindow::updateActions()
{
    const QList<DownloadId> ids = selectedIds();
    m_exportSelectionAction->setEnabled(!ids.isEmpty());
    bool anyRunning = false, anyStopped = false, anyDone = false;
    for (DownloadId id : ids) {
        const auto s = m_manager->snapshot(id);
        if (!s)
            continue;
        anyRunning |= s->state == DownloadState::Downloading || s->state == DownloadState::Queued || s->state == DownloadState::Verifying;
        anyStopped |= s->state == DownloadState::Paused || s->state == DownloadState::Failed;
        anyDone |= s->state == DownloadState::Completed;
    }
    m_resumeAction->setEnabled(anyStopped);
    m_pauseAction->setEnabled(anyRunning);
    m_toggleAction->setEnabled(anyRunning || anyStopped);
    for (QAction *a : {m_removeAction, m_redownloadAction, m_copyUrlAction, m_upAction, m_downAction, m_openFolderAction})
        a->setEnabled(!ids.isEmpty());
    m_openFileAction->setEnabled(anyDone && ids.size() == 1);
    m_propertiesAction->setEnabled(ids.size() == 1);
    // One unfinished download over HTTP: an S3 object is reached through its account.
    const auto one = ids.size() == 1 ? m_manager->snapshot(ids.first()) : std::nullopt;
    m_changeAddressAction->setEnabled(one && one->kind == TransferKind::Download && one->source.isEmpty()
                                      && one->state != DownloadState::Completed);
    // A ZIP by its name, or by the bytes of the finished file. An entry taken out of an archive
    // is reached through that archive, not by its own address.
    m_showContentsAction->setEnabled(
        one && one->kind == TransferKind::Download && one->archiveEntry.isEmpty() &&
        (looksLikeZipName(one->fileName.isEmpty() ? one->url.path() : one->fileName) ||
         (one->state == DownloadState::Completed && startsLikeZip(one->targetPath))));
}

void MainWindow::updateDetails()
{
    const auto s = currentSnapshot();
    m_details->setVisible(s.has_value());
    m_details->showDownload(s, s ? m_manager->events(s->id) : QList<DownloadEvent>{}, s ? m_speedHistory.value(s->id) : QList<qint64>{});
}

void MainWindow::updateStatus()
{
    const DownloadManager::Totals t = m_manager->totals();
    m_speedLabel->setText(tr("Down: %1").arg(formatSpeed(t.speed)));
    m_countLabel->setText(tr("%1 active, %2 queued").arg(t.active).arg(t.queued));
    if (m_tray)
        m_tray->setToolTip(tr("Ferry — %1").arg(formatSpeed(t.speed)));
    updateSidebarCounts();
}

void MainWindow::updateEmptyText()
{
    if (m_model->rowCount() > 0) {
        m_view->setEmptyText(tr("No downloads match the filter or the search."));
        return;
    }
    m_view->setEmptyText(tr("No downloads yet. Paste a link (%1), drop one here, or click Add Downloads (%2).\n"
                            "With Ferry's browser extension, the downloads you click in Chromium or Firefox arrive here "
                            "(Settings → Browser).")
                             .arg(m_pasteAction->shortcut().toString(QKeySequence::NativeText),
                                  m_addAction->shortcut().toString(QKeySequence::NativeText)));
}

void MainWindow::offerUrls(const QStringList &urls)
{
    showNormal();
    raise();
    activateWindow();
    if (!urls.isEmpty())
        openAddDialog(urls.join(u'\n'));
}

void MainWindow::showNotice(const QString &text)
{
    m_messageBar->showMessage(text);
}

void MainWindow::removeSelected()
{
    const QList<DownloadId> ids = selectedIds();
    if (ids.isEmpty())
        return;
    QMessageBox box(QMessageBox::Question, tr("Remove downloads"),
                    ids.size() == 1 ? tr("Remove this download from the list?") : tr("Remove these %1 downloads from the list?").arg(ids.size()),
                    QMessageBox::Cancel, this);
    QPushButton *keep = box.addButton(tr("Remove, keep files"), QMessageBox::AcceptRole);
    // Finished files go to the desktop's trash, from where a slip can be undone.
    QPushButton *erase = box.addButton(tr("Remove, move files to &trash"), QMessageBox::DestructiveRole);
    box.setDefaultButton(keep);
    box.exec();
    if (box.clickedButton() != keep && box.clickedButton() != erase)
        return;
    for (DownloadId id : ids) {
        if (const auto s = m_manager->snapshot(id))
            m_removedNames.insert(id, s->source.isEmpty() ? s->fileName : s->source);
        m_manager->remove(id, box.clickedButton() == erase ? FileRemoval::Trash : FileRemoval::Keep);
    }
}

void MainWindow::togglePauseSelected()
{
    for (DownloadId id : selectedIds()) {
        const auto s = m_manager->snapshot(id);
        if (!s)
            continue;
        if (s->state == DownloadState::Paused || s->state == DownloadState::Failed)
            m_manager->resume(id);
        else if (s->state != DownloadState::Completed)
            m_manager->pause(id);
    }
}

void MainWindow::openSelectedFile()
{
    const auto s = currentSnapshot();
    if (s && s->state == DownloadState::Completed)
        openLocal(s->targetPath);
}

void MainWindow::openSelectedFolder()
{
    for (DownloadId id : selectedIds()) {
        if (const auto s = m_manager->snapshot(id)) {
            openLocal(s->directory);
            return;
        }
    }
}

void MainWindow::openLocal(const QString &path)
{
    // Without a program for the file's type (or without xdg-open at all) nothing would
    // happen on screen; the user should know it was tried.
    if (!m_openUrl(QUrl::fromLocalFile(path)))
        m_messageBar->showMessage(tr("No program could open %1.").arg(QDir::toNativeSeparators(path)));
}

void MainWindow::showSettings()
{
    const QString language = m_settings->language();
    SettingsDialog dialog(m_settings, this);
    dialog.setProxyPassword(m_proxyPassword);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_proxyPassword = dialog.proxyPassword();
    m_manager->setMaxConcurrentDownloads(m_settings->maxConcurrentDownloads());
    m_manager->setConnectionsPerHost(m_settings->connectionsPerHost());
    m_manager->setGlobalRateLimit(m_settings->globalRateLimit());
    m_limitBox->setBytesPerSecond(m_settings->globalRateLimit());
    emit settingsChanged(m_proxyPassword);
    if (m_settings->language() != language)
        offerRestart();
}

void MainWindow::showProperties()
{
    const auto s = currentSnapshot();
    if (!s)
        return;
    DownloadPropertiesDialog dialog(*s, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // Only what was changed: values the download moved on to meanwhile stay its own.
    const auto now = m_manager->snapshot(s->id);
    if (!now)
        return; // removed while the dialog was open
    if (dialog.rateLimit() != s->rateLimit)
        m_manager->setRateLimit(s->id, dialog.rateLimit());
    if (dialog.hasConnections() && dialog.connections() != s->maxConnections)
        m_manager->setConnections(s->id, dialog.connections());
    updateDetails();
}

void MainWindow::onClipboardChanged()
{
    if (!m_settings->clipboardCapture())
        return;
    const QString text = QApplication::clipboard()->text();
    if (m_offeredClipboard.contains(text))
        return;
    m_offeredClipboard.insert(text);
    const QStringList urls = AppSettings::urlsFromText(text);
    if (urls.isEmpty())
        return;
    m_messageBar->showMessage(urls.size() == 1 ? tr("Download %1?").arg(urls.first()) : tr("Download the %1 copied links?").arg(urls.size()),
                              tr("Add…"), [this, urls] { openAddDialog(urls.join(u'\n')); });
}

bool MainWindow::eventFilter(QObject *watched, QEvent *event)
{
    // Escape in the search field gives up the search and goes back to the list, where the
    // keys act on downloads again.
    if (watched == m_search && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        m_search->clear();
        m_view->setFocus(Qt::OtherFocusReason);
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::addSidePanel(QWidget *panel, const QString &title, const QKeySequence &shortcut, bool openAtFirstStart)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(panel->objectName() + u"Dock"_s);
    dock->setWidget(panel);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setShortcut(shortcut);
    m_viewMenu->addAction(toggle);
    m_viewMenu->menuAction()->setVisible(true);
    if (!m_sidePanelDock)
        m_sidePanelDock = dock;
    // An empty browser beside an empty list would only squeeze both; once opened or closed,
    // the dock stays as the user left it.
    const QByteArray state = m_settings->windowState();
    if (state.isEmpty() || !restoreState(state))
        dock->setVisible(openAtFirstStart);
}

} // namespace ferry::ui
