// The main window's actions, menus and toolbar.
#include "mainwindow.h"
#include "changeaddressdialog.h"
#include "detailspane.h"
#include "messagebar.h"
#include "transfermodel.h"
#include "api/downloadmanager.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QToolBar>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::ui {

void MainWindow::createActions()
{
    // A toolbar button names its shortcut in its tooltip, the one place a mouse user learns it.
    const auto toolTip = [this](const QString &command, const QKeySequence &key) {
        return key.isEmpty() ? command
                             : tr("%1 (%2)", "tooltip: command (shortcut)").arg(command, key.toString(QKeySequence::NativeText));
    };
    auto make = [this, toolTip](QAction *&a, const QString &text, const char *iconName, const QKeySequence &key, auto slot) {
        a = new QAction(iconName ? icon(iconName) : QIcon(), text, this);
        // Toolbar buttons read "Remove", not "Remove…"; Qt strips only three ASCII dots. A key
        // written after the text, as Chinese does ("删除(&R)…"), goes with its brackets.
        static const QRegularExpression trailingKey(uR"(\(&\w\))"_s);
        a->setIconText(QString(text).remove(trailingKey).remove(u'…').remove(u'&'));
        a->setToolTip(toolTip(a->iconText(), key));
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
    };
    make(m_addAction, tr("&Add Downloads…"), "add", QKeySequence::New, [this] { openAddDialog({}); });
    make(m_pasteAction, tr("Add from &Clipboard"), nullptr, QKeySequence::Paste,
         [this] { openAddDialog(QApplication::clipboard()->text()); });
    make(m_resumeAction, tr("&Start / Resume"), "start", {}, [this] {
        for (DownloadId id : selectedIds())
            m_manager->resume(id);
    });
    make(m_pauseAction, tr("&Pause"), "pause", {}, [this] {
        for (DownloadId id : selectedIds())
            m_manager->pause(id);
    });
    make(m_toggleAction, tr("Pause or Resume"), nullptr, Qt::Key_Space, &MainWindow::togglePauseSelected);
    make(m_pauseAllAction, tr("Pause A&ll"), "pause-all", {}, [this] { m_manager->pauseAll(); });
    make(m_resumeAllAction, tr("Resume All"), "resume-all", {}, [this] {
        for (const DownloadSnapshot &s : m_manager->snapshots()) {
            if (s.state == DownloadState::Paused || s.state == DownloadState::Failed)
                m_manager->resume(s.id);
        }
    });
    make(m_removeAction, tr("&Remove…"), "remove", QKeySequence::Delete, &MainWindow::removeSelected);
    make(m_redownloadAction, tr("Download &Again"), "redownload", {}, [this] {
        for (DownloadId id : selectedIds()) {
            const auto s = m_manager->snapshot(id);
            if (!s)
                continue;
            DownloadRequest r;
            r.url = s->url;
            r.directory = s->directory;
            QString error;
            if (!m_manager->add(r, &error))
                m_messageBar->showMessage(error);
        }
    });
    make(m_openFileAction, tr("&Open File"), "open-file", Qt::Key_Return, &MainWindow::openSelectedFile);
    make(m_openFolderAction, tr("Open &Folder"), "open-folder", {}, &MainWindow::openSelectedFolder);
    make(m_copyUrlAction, tr("&Copy URL"), "copy", QKeySequence::Copy, [this] {
        QStringList urls;
        for (DownloadId id : selectedIds()) {
            if (const auto s = m_manager->snapshot(id))
                urls << s->url.toString(QUrl::RemovePassword);
        }
        QApplication::clipboard()->setText(urls.join(u'\n'));
        m_offeredClipboard.insert(urls.join(u'\n')); // our own copy is no new URL to offer
    });
    make(m_upAction, tr("Move &Up in Queue"), "up", Qt::CTRL | Qt::Key_Up, [this] { moveSelected(+1); });
    make(m_downAction, tr("Move &Down in Queue"), "down", Qt::CTRL | Qt::Key_Down, [this] { moveSelected(-1); });
    make(m_changeAddressAction, tr("C&hange Address…"), nullptr, {}, &MainWindow::changeAddressOfSelected);
    // N: E is the Scheduler's in the Downloads menu.
    make(m_showContentsAction, tr("Show Co&ntents…"), nullptr, {}, &MainWindow::showContentsOfSelected);
    m_showContentsAction->setObjectName(u"showContentsAction"_s);
    make(m_propertiesAction, tr("Proper&ties…"), "properties", Qt::ALT | Qt::Key_Return, &MainWindow::showProperties);
    make(m_settingsAction, tr("&Settings…"), "settings", QKeySequence::Preferences, &MainWindow::showSettings);
    make(m_quitAction, tr("&Quit"), nullptr, QKeySequence::Quit, &MainWindow::requestQuit);
    make(m_aboutAction, tr("&About Ferry"), nullptr, {}, [this] {
        QMessageBox::about(this, tr("About Ferry"),
                           tr("<b>Ferry %1</b><p>A segmented, resumable download manager.</p>").arg(QStringLiteral(FERRY_VERSION)));
    });
    make(m_findAction, tr("&Find"), nullptr, QKeySequence::Find, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    addAction(m_findAction); // in no menu: the search field shows the shortcut itself
    // Start and Pause have no key of their own; Space does either for the selection.
    for (QAction *a : {m_resumeAction, m_pauseAction})
        a->setToolTip(toolTip(a->iconText(), m_toggleAction->shortcut()));
    m_toggleAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_openFileAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyUrlAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({m_addAction, m_pasteAction});
    file->addSeparator();
    file->addActions({m_importAction, m_exportAction, m_exportSelectionAction});
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(m_quitAction);
    QMenu *downloads = menuBar()->addMenu(tr("&Downloads"));
    downloads->setObjectName(u"downloadsMenu"_s);
    downloads->addActions({m_resumeAction, m_pauseAction, m_pauseAllAction, m_resumeAllAction});
    downloads->addSeparator();
    downloads->addActions({m_redownloadAction, m_removeAction});
    downloads->addSeparator();
    downloads->addActions({m_openFileAction, m_openFolderAction, m_copyUrlAction});
    downloads->addSeparator();
    downloads->addActions({m_upAction, m_downAction, m_changeAddressAction, m_showContentsAction, m_propertiesAction});
    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->menuAction()->setVisible(false); // until a panel is added
    menuBar()->addMenu(tr("&Help"))->addAction(m_aboutAction);

    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonTextUnderIcon);
    bar->setMovable(false);
    bar->addActions({m_addAction, m_resumeAction, m_pauseAction, m_pauseAllAction, m_resumeAllAction});
    bar->addSeparator();
    bar->addActions({m_removeAction, m_openFolderAction});
    bar->addSeparator();
    bar->addActions({m_upAction, m_downAction, m_settingsAction});
}

void MainWindow::changeAddressOfSelected()
{
    const auto s = currentSnapshot();
    if (!s)
        return;
    ChangeAddressDialog dialog(m_manager, *s, this);
    if (dialog.exec() == QDialog::Accepted)
        updateDetails(); // the new address, and the history's line about it
}

void MainWindow::moveSelected(int delta)
{
    // Up means towards the front of the queue. Several rows move one after another from the
    // end they move to, so that none of them jumps over another.
    QList<DownloadId> ids = selectedIds();
    std::sort(ids.begin(), ids.end(), [this](DownloadId a, DownloadId b) {
        return m_model->data(m_model->index(m_model->rowOf(a), 0), TransferModel::PositionRole).toInt() <
               m_model->data(m_model->index(m_model->rowOf(b), 0), TransferModel::PositionRole).toInt();
    });
    if (delta < 0)
        std::reverse(ids.begin(), ids.end());
    for (DownloadId id : std::as_const(ids))
        m_manager->moveInQueue(id, -delta);
    QList<DownloadSnapshot> moved;
    for (const DownloadSnapshot &s : m_manager->snapshots()) {
        if (s.state != DownloadState::Completed)
            moved.append(s);
    }
    m_model->applySnapshots(moved);
}

} // namespace ferry::ui
