#pragma once

#include "s3/s3types.h"
#include "s3/sigv4.h"
#include "zipread/archivelisting.h"

#include <QDialog>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace ferry {
class DownloadManager;
}

namespace ferry::zipread {
class ArchiveLister;
}

namespace ferry::ui {

// Whether a file name looks like a ZIP archive (.zip, and the formats that are ZIP inside:
// .jar, .apk, .docx, .epub, ...). The contents dialog itself tells an archive by its bytes.
bool looksLikeZipName(const QString &fileName);
// Whether a local file begins like a ZIP archive ("PK\3\4", or "PK\5\6" for an empty one).
bool startsLikeZip(const QString &path);

// "Show Contents…" of a remote ZIP archive (an HTTP(S) address or an S3 object): its table of
// contents is read with a few ranged requests and shown as a tree (name, size, packed size,
// date, encrypted). Ticked files (a ticked folder brings everything below it) are handed to the
// downloader, which queues one download per entry under the chosen folder. Entries Ferry cannot
// unpack (encrypted, symbolic links, other methods) are listed greyed, with the reason, and
// cannot be ticked.
class ZipContentsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZipContentsDialog)
public:
    enum Column { Name, Size, Packed, Modified, Encrypted, ColumnCount };

    // Queues the chosen entries (indices into listing.entries) under `folder`. Returns how many
    // were queued; *message tells what was left out or why nothing was queued.
    using Downloader = std::function<int(const zipread::ArchiveListing &listing,
                                         const QList<qsizetype> &chosen, const QString &folder,
                                         QString *message)>;

    // The downloader the window uses: one download per chosen file entry of `source`, added to
    // `manager` (the entries' spans of the archive, checked against the listing's version);
    // `added` learns the last one added.
    static Downloader queueingDownloader(DownloadManager *manager, const zipread::ArchiveSource &source,
                                         std::function<void(DownloadId last)> added = {});

    ZipContentsDialog(const zipread::ArchiveSource &source, QWidget *parent = nullptr);
    ~ZipContentsDialog() override;

    // The keys that sign the reads of an S3 object (held in memory only).
    void setS3Keys(const s3::Account &account, const s3::Credentials &credentials);
    void setDownloader(Downloader downloader) { m_downloader = std::move(downloader); }
    void setFolder(const QString &folder);
    QString folder() const;
    // Starts reading the table of contents (again).
    void load();

    // For tests and callers: the listing once read, and the entries now ticked.
    const zipread::ArchiveListing &listing() const { return m_listing; }
    QList<qsizetype> chosenEntries() const;
    QTreeWidget *tree() const { return m_tree; }
    bool isLoaded() const { return m_loaded; }

signals:
    void loaded(bool ok);
    // Entries were queued.
    void entriesQueued(int count, const QString &message);

private:
    void buildUi();
    void onListed(const zipread::ArchiveListing &listing);
    void fillTree();
    void updateSummary();
    void applyFilter();
    void downloadChosen();
    void browse();

    zipread::ArchiveSource m_source;
    std::optional<std::pair<s3::Account, s3::Credentials>> m_s3;
    Downloader m_downloader;
    zipread::ArchiveLister *m_lister = nullptr;
    zipread::ArchiveListing m_listing;
    bool m_loaded = false;

    QLabel *m_sourceLabel = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_filter = nullptr;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_selection = nullptr;
    QLineEdit *m_folderEdit = nullptr;
    QPushButton *m_downloadButton = nullptr;
    QPushButton *m_retryButton = nullptr;
    QTimer *m_summaryTimer = nullptr;
};

} // namespace ferry::ui
