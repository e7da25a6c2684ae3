#pragma once

#include "api/downloadtypes.h"
#include "requestadder.h"
#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "zipread/archivelisting.h"

#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <functional>
#include <optional>

class QAction;
class QIcon;
class QLabel;
class QLineEdit;
class QMenu;
class QMimeData;
class QSystemTrayIcon;
class QTreeWidget;

namespace ferry {
class DownloadManager;
class Logind;
class Scheduler;
class WhenDone;
class UrlProber;
}

namespace ferry::ui {

class AppSettings;
class DetailsPane;
class MessageBar;
class RateLimitBox;
class TransferFilterProxy;
class TransferModel;
class TransferView;
class ZipContentsDialog;

// The window: sidebar filters, the transfer list, the details of the selection, toolbar, menus,
// status bar and tray. Talks to the engine only through DownloadManager's commands and the
// snapshots it publishes. GUI thread only.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    MainWindow(DownloadManager *manager, UrlProber *prober, AppSettings *settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Where the window opens when it remembers no place of its own: about 80 % of the
    // screen's free area, centred; a small screen is used whole (maximized).
    struct Placement
    {
        QRect geometry;
        bool maximized = false;
    };
    static Placement firstStartPlacement(const QRect &availableScreen);

    // URLs handed over by another launch, a drop or the clipboard: the add dialog opens with them.
    void offerUrls(const QStringList &urls);
    // What a browser handed over: a download it caught (one link) or the links of a page,
    // with the headers it would have sent to each address (cookies, Referer, User-Agent),
    // which live in memory only.
    struct BrowserOffer
    {
        QString browser;   // as the user knows it: "Chromium", "Firefox"
        QString page;      // the page the links came from, if any
        QList<QPair<QString, QString>> links; // address and link text
        bool pageLinks = false; // "all links of a page": listed with boxes to tick
        QString suggestedName;
        qint64 size = -1;
        std::function<HeaderList(const QUrl &)> headersFor;
    };
    // In mainwindowbrowser.cpp: the add dialog opens with it, or a caught download starts at
    // once when the settings say so.
    void offerFromBrowser(const BrowserOffer &offer);
    // Non-modal news, e.g. what was recovered after a crash.
    void showNotice(const QString &text);
    // In mainwindowschedule.cpp: the scheduled queue (the Scheduler dialog, Start/Stop Queue
    // Now, "Add to Queue" waiting for the start, the start time in the status bar) and the
    // "when everything is done" choice (a toolbar button, the tray menu, a countdown to cancel).
    // Not owned; each is set once, after construction.
    void setScheduler(Scheduler *scheduler);
    void setWhenDone(WhenDone *whenDone, Logind *logind);
    void setQuitting() { m_quitting = true; }
    // A browser docked beside the transfer list (the S3 panel), shown or hidden from the View
    // menu; its place and whether it is open are remembered with the window's layout. Without
    // a remembered layout it opens only if `openAtFirstStart` (it has something to show).
    void addSidePanel(QWidget *panel, const QString &title, const QKeySequence &shortcut, bool openAtFirstStart);
    // Drops of `formats` on the transfer list go to `handler` (objects dragged out of a
    // browser); it returns whether it took them.
    void setDropHandler(const QStringList &formats, std::function<bool(const QMimeData *)> handler);
    // How files and folders are opened: with the desktop's default program, unless a test
    // hands in its own. Returns false when nothing could open it.
    void setUrlOpener(std::function<bool(const QUrl &)> opener) { m_openUrl = std::move(opener); }
    // Which file a list is exported to (`save`) or imported from: a file dialog, unless a test
    // hands in its own. An empty answer cancels.
    void setListFileChooser(std::function<QString(bool save)> chooser) { m_chooseListFile = std::move(chooser); }
    // In mainwindowzip.cpp: "Show Contents…" of a remote ZIP archive (from the add dialog, a
    // download in the list, the S3 browser). The dialog is not modal; its chosen entries become
    // downloads. S3 archives are read with the keys `s3Keys` finds for the account (set by
    // whoever holds the accounts; none: S3 archives cannot be shown).
    // `parent`: the window it belongs to (a modal add dialog); the main window when null.
    ZipContentsDialog *showZipContents(const zipread::ArchiveSource &source, QWidget *parent = nullptr);
    using S3KeysLookup =
        std::function<std::optional<std::pair<s3::Account, s3::Credentials>>(const QString &account)>;
    void setS3KeysLookup(S3KeysLookup lookup) { m_s3Keys = std::move(lookup); }
    // Where the S3 panel's objects live: the object's address for an account's bucket and key.
    using S3ObjectUrl = std::function<QUrl(const QString &account, const QString &bucket, const QString &key)>;
    void setS3ObjectUrl(S3ObjectUrl url) { m_s3ObjectUrl = std::move(url); }

signals:
    // The settings dialog was accepted; the proxy password lives only in memory.
    void settingsChanged(const QString &proxyPassword);
    // The user wants Ferry to start again (a new language); whoever started it quits and
    // starts it again.
    void restartRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void showContentsOfSelected(); // in mainwindowzip.cpp
    static QIcon icon(const char *name); // from the resources
    void createActions();
    void createMenus();
    void createCentral();
    void createStatusBar();
    void createTray();
    void onSnapshots(const QList<DownloadSnapshot> &changed);
    void onStateChanged(DownloadId id, DownloadState state);
    void updateActions();
    void updateDetails();
    void updateStatus();
    void updateSidebarCounts(); // mainwindowsidebar.cpp
    void updateEmptyText();
    void openAddDialog(const QString &urlsText); // in mainwindowadd.cpp, with revealDownload()
    void revealDownload(DownloadId id);          // selects it, showing the whole list if need be
    // Hands requests to the manager, asking about addresses already in the list; reports
    // errors in the message bar and shows a download the user chose to open.
    RequestAdder::Outcome addRequests(const QList<DownloadRequest> &requests, bool startNow);
    void removeSelected();
    void togglePauseSelected();
    void moveSelected(int delta);
    void openSelectedFile();
    void openSelectedFolder();
    void showSettings();
    void showProperties(); // the selection's speed limit and connections, to change
    void changeAddressOfSelected(); // mainwindowactions.cpp
    void createListActions();       // mainwindowlists.cpp, with the two below
    void exportList(bool selectionOnly);
    void importList();
    void offerRestart();
    void requestQuit();
    void openLocal(const QString &path);
    void onClipboardChanged();
    void dropLocalFiles(const QStringList &paths, QStringList *links);
    void moveDropped(const QList<DownloadId> &ids, DownloadId beforeId); // rows dragged in the list
    QList<DownloadId> selectedIds() const;
    std::optional<DownloadSnapshot> currentSnapshot() const;

    DownloadManager *m_manager;
    UrlProber *m_prober;
    AppSettings *m_settings;
    TransferModel *m_model = nullptr;
    TransferFilterProxy *m_proxy = nullptr;
    TransferView *m_view = nullptr;
    QTreeWidget *m_sidebar = nullptr;
    QLineEdit *m_search = nullptr;
    DetailsPane *m_details = nullptr;
    MessageBar *m_messageBar = nullptr;
    QLabel *m_speedLabel = nullptr;
    QLabel *m_countLabel = nullptr;
    RateLimitBox *m_limitBox = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QHash<DownloadId, QList<qint64>> m_speedHistory;
    qint64 m_lastSampleMs = 0;
    QSet<QString> m_offeredClipboard;
    QString m_lastNotifiedFolder;
    QString m_proxyPassword; // for this session only; never written anywhere
    bool m_quitting = false;
    QMenu *m_viewMenu = nullptr;
    QStringList m_dropFormats;
    std::function<bool(const QMimeData *)> m_dropHandler;
    std::function<bool(const QUrl &)> m_openUrl;
    QHash<DownloadId, QString> m_removedNames; // until the manager says the removal is complete
    QDockWidget *m_sidePanelDock = nullptr; // where local files go (the S3 browser)
    void showScheduler();     // mainwindowschedule.cpp
    void updateQueueStatus();
    void queueAdded(const RequestAdder::Outcome &outcome, bool startNow);
    Scheduler *m_scheduler = nullptr;
    WhenDone *m_whenDone = nullptr;
    QLabel *m_queueLabel = nullptr;

    QAction *m_addAction = nullptr;
    QAction *m_pasteAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_toggleAction = nullptr;
    QAction *m_pauseAllAction = nullptr;
    QAction *m_resumeAllAction = nullptr;
    QAction *m_removeAction = nullptr;
    QAction *m_redownloadAction = nullptr;
    QAction *m_openFileAction = nullptr;
    QAction *m_openFolderAction = nullptr;
    QAction *m_copyUrlAction = nullptr;
    QAction *m_upAction = nullptr;
    QAction *m_downAction = nullptr;
    QAction *m_propertiesAction = nullptr;
    QAction *m_changeAddressAction = nullptr;
    QAction *m_showContentsAction = nullptr;
    S3KeysLookup m_s3Keys;
    S3ObjectUrl m_s3ObjectUrl;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_exportSelectionAction = nullptr;
    std::function<QString(bool save)> m_chooseListFile;
    QAction *m_aboutAction = nullptr;
    QAction *m_findAction = nullptr;
};

} // namespace ferry::ui
