#include "zipcontentsdialog.h"

#include "format.h"

#include "api/downloadmanager.h"
#include "zipread/archivelister.h"
#include "zipread/entrydownloads.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

constexpr int kEntryRole = Qt::UserRole;     // index into the listing; -1 for a folder made up
constexpr int kSortRole = Qt::UserRole + 1;  // what the column sorts by
constexpr int kFolderRole = Qt::UserRole + 2; // folders sort before files
constexpr qsizetype kMostEntries = 1000;

// Sorts sizes and dates by value, folders first.
class EntryItem final : public QTreeWidgetItem
{
public:
    using QTreeWidgetItem::QTreeWidgetItem;
    bool operator<(const QTreeWidgetItem &other) const override
    {
        const int column = treeWidget() ? treeWidget()->sortColumn() : 0;
        const bool folder = data(0, kFolderRole).toBool();
        const bool otherFolder = other.data(0, kFolderRole).toBool();
        if (folder != otherFolder)
            return folder;
        const QVariant a = data(column, kSortRole);
        const QVariant b = other.data(column, kSortRole);
        if (a.isValid() && b.isValid() && a != b)
            return QVariant::compare(a, b) == QPartialOrdering::Less;
        return text(0).localeAwareCompare(other.text(0)) < 0;
    }
};

} // namespace

bool looksLikeZipName(const QString &fileName)
{
    static const QStringList suffixes{u".zip"_s,  u".jar"_s,  u".apk"_s, u".docx"_s,
                                      u".xlsx"_s, u".pptx"_s, u".odt"_s, u".ods"_s,
                                      u".epub"_s, u".whl"_s,  u".nupkg"_s, u".xpi"_s};
    for (const QString &suffix : suffixes) {
        if (fileName.endsWith(suffix, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

bool startsLikeZip(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray magic = file.read(4);
    return magic == QByteArrayView("PK\x03\x04") || magic == QByteArrayView("PK\x05\x06");
}

ZipContentsDialog::ZipContentsDialog(const zipread::ArchiveSource &source, QWidget *parent)
    : QDialog(parent), m_source(source), m_lister(new zipread::ArchiveLister(this))
{
    setObjectName(u"zipContentsDialog"_s);
    setWindowTitle(tr("Contents of %1").arg(source.fileName()));
    buildUi();
    connect(m_lister, &zipread::ArchiveLister::finished, this, &ZipContentsDialog::onListed);
    resize(760, 520);
}

ZipContentsDialog::~ZipContentsDialog() = default;

void ZipContentsDialog::setS3Keys(const s3::Account &account, const s3::Credentials &credentials)
{
    m_s3.emplace(account, credentials);
}

void ZipContentsDialog::setFolder(const QString &folder)
{
    m_folderEdit->setText(QDir::toNativeSeparators(folder));
}

QString ZipContentsDialog::folder() const
{
    return QDir::fromNativeSeparators(m_folderEdit->text().trimmed());
}

void ZipContentsDialog::buildUi()
{
    m_sourceLabel = new QLabel(m_source.display().toHtmlEscaped(), this);
    m_sourceLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sourceLabel->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setObjectName(u"zipContentsStatus"_s);
    m_status->setWordWrap(true);
    m_retryButton = new QPushButton(tr("&Try Again"), this);
    m_retryButton->setObjectName(u"zipContentsRetry"_s);
    m_retryButton->hide();
    connect(m_retryButton, &QPushButton::clicked, this, &ZipContentsDialog::load);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_retryButton);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(u"zipContentsFilter"_s);
    m_filter->setPlaceholderText(tr("Filter by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &ZipContentsDialog::applyFilter);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(u"zipContentsTree"_s);
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Name"), tr("Size"), tr("Packed"), tr("Modified"), tr("Encrypted")});
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(Name, Qt::AscendingOrder);
    m_tree->header()->setSectionResizeMode(Name, QHeaderView::Stretch);
    m_tree->header()->setStretchLastSection(false);
    m_tree->setColumnWidth(Size, 90);
    m_tree->setColumnWidth(Packed, 90);
    m_tree->setColumnWidth(Modified, 140);
    m_tree->setColumnWidth(Encrypted, 80);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this] { m_summaryTimer->start(); });

    // Ticking a folder of 70,000 entries changes each of them: the summary is made once after.
    m_summaryTimer = new QTimer(this);
    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(0);
    connect(m_summaryTimer, &QTimer::timeout, this, &ZipContentsDialog::updateSummary);

    m_selection = new QLabel(this);
    m_selection->setObjectName(u"zipContentsSelection"_s);

    m_folderEdit = new QLineEdit(this);
    m_folderEdit->setObjectName(u"zipContentsFolder"_s);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ZipContentsDialog::browse);
    connect(m_folderEdit, &QLineEdit::textChanged, this, &ZipContentsDialog::updateSummary);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(browse);
    auto *form = new QFormLayout;
    // A row whose field is a layout gets no buddy from QFormLayout: the label is given its own.
    auto *folderLabel = new QLabel(tr("&Save to:"), this);
    folderLabel->setBuddy(m_folderEdit);
    form->addRow(folderLabel, folderRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_downloadButton = buttons->addButton(tr("&Download Selected"), QDialogButtonBox::AcceptRole);
    m_downloadButton->setObjectName(u"zipContentsDownload"_s);
    m_downloadButton->setDefault(true);
    m_downloadButton->setEnabled(false);
    connect(m_downloadButton, &QPushButton::clicked, this, &ZipContentsDialog::downloadChosen);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_sourceLabel);
    layout->addLayout(statusRow);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);
    layout->addWidget(m_selection);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

void ZipContentsDialog::load()
{
    m_loaded = false;
    m_retryButton->hide();
    m_tree->clear();
    m_downloadButton->setEnabled(false);
    m_status->setText(tr("Reading the archive's table of contents…"));
    if (m_s3)
        m_lister->list(m_source, m_s3->first, m_s3->second);
    else
        m_lister->list(m_source);
}

void ZipContentsDialog::onListed(const zipread::ArchiveListing &listing)
{
    m_listing = listing;
    if (!listing.ok()) {
        m_status->setText(tr("The contents cannot be shown: %1").arg(listing.error));
        m_retryButton->show();
        emit loaded(false);
        return;
    }
    fillTree();
    qint64 unpacked = 0;
    int files = 0;
    for (const zipread::ZipEntry &e : std::as_const(listing.entries)) {
        if (!e.directory) {
            ++files;
            unpacked += e.size;
        }
    }
    m_status->setText(tr("%n file(s), %1 unpacked. Listing read %2 of the archive's %3.", nullptr,
                         files)
                          .arg(formatSize(unpacked), formatSize(listing.bytesReceived),
                               formatSize(listing.archiveSize)));
    m_loaded = true;
    updateSummary();
    // Ready to be walked with the arrows and ticked with Space.
    m_tree->setFocus(Qt::OtherFocusReason);
    if (m_tree->topLevelItemCount() > 0)
        m_tree->setCurrentItem(m_tree->topLevelItem(0));
    emit loaded(true);
}

void ZipContentsDialog::fillTree()
{
    const QSignalBlocker block(m_tree);
    m_tree->setSortingEnabled(false);
    m_tree->clear();
    QHash<QString, QTreeWidgetItem *> folders; // "a/b/" -> item
    const QLocale locale;
    const auto folderItem = [&](const QString &path, auto &self) -> QTreeWidgetItem * {
        if (path.isEmpty())
            return nullptr;
        if (QTreeWidgetItem *known = folders.value(path))
            return known;
        const QString trimmed = path.chopped(1);
        const qsizetype slash = trimmed.lastIndexOf(u'/');
        QTreeWidgetItem *parent = self(slash < 0 ? QString() : trimmed.left(slash + 1), self);
        auto *item = parent ? new EntryItem(parent) : new EntryItem(m_tree);
        item->setText(Name, trimmed.mid(slash + 1));
        item->setData(Name, kEntryRole, -1);
        item->setData(0, kFolderRole, true);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                       Qt::ItemIsAutoTristate);
        item->setCheckState(Name, Qt::Unchecked);
        folders.insert(path, item);
        return item;
    };
    for (qsizetype i = 0; i < m_listing.entries.size(); ++i) {
        const zipread::ZipEntry &e = m_listing.entries.at(i);
        QString name = e.name;
        name.replace(u'\\', u'/');
        while (name.startsWith(u'/'))
            name.remove(0, 1);
        if (e.directory) {
            if (!name.isEmpty())
                folderItem(name.endsWith(u'/') ? name : name + u'/', folderItem)
                    ->setData(Name, kEntryRole, qlonglong(i));
            continue;
        }
        const qsizetype slash = name.lastIndexOf(u'/');
        QTreeWidgetItem *parent = folderItem(slash < 0 ? QString() : name.left(slash + 1), folderItem);
        auto *item = parent ? new EntryItem(parent) : new EntryItem(m_tree);
        item->setText(Name, name.mid(slash + 1));
        item->setData(Name, kEntryRole, qlonglong(i));
        item->setToolTip(Name, e.name);
        item->setText(Size, formatSize(e.size));
        item->setData(Size, kSortRole, e.size);
        item->setTextAlignment(Size, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(Packed, formatSize(e.packedSize));
        item->setData(Packed, kSortRole, e.packedSize);
        item->setTextAlignment(Packed, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(Modified, formatDateTime(e.modified));
        item->setData(Modified, kSortRole, e.modified);
        item->setText(Encrypted, e.encrypted ? tr("Encrypted", "an entry that is") : QString());
        const QString refusal = e.refusal();
        if (refusal.isEmpty()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(Name, Qt::Unchecked);
        } else {
            // Listed so the user sees it is there, but it cannot be chosen; the reason says why.
            item->setFlags(Qt::ItemIsSelectable);
            for (int c = 0; c < ColumnCount; ++c)
                item->setToolTip(c, refusal);
        }
    }
    // A folder shows what is in it, all levels down.
    const auto sum = [&](QTreeWidgetItem *item, auto &self) -> std::pair<qint64, qint64> {
        if (!item->data(0, kFolderRole).toBool())
            return {item->data(Size, kSortRole).toLongLong(), item->data(Packed, kSortRole).toLongLong()};
        std::pair<qint64, qint64> total{0, 0};
        for (int i = 0; i < item->childCount(); ++i) {
            const auto [size, packed] = self(item->child(i), self);
            total.first += size;
            total.second += packed;
        }
        item->setText(Size, formatSize(total.first));
        item->setData(Size, kSortRole, total.first);
        item->setTextAlignment(Size, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(Packed, formatSize(total.second));
        item->setData(Packed, kSortRole, total.second);
        item->setTextAlignment(Packed, Qt::AlignRight | Qt::AlignVCenter);
        return total;
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        sum(m_tree->topLevelItem(i), sum);
    m_tree->setSortingEnabled(true);
    m_tree->sortByColumn(m_tree->sortColumn() < 0 ? 0 : m_tree->sortColumn(),
                         m_tree->header()->sortIndicatorOrder());
    if (m_tree->topLevelItemCount() == 1)
        m_tree->topLevelItem(0)->setExpanded(true);
    applyFilter();
}

QList<qsizetype> ZipContentsDialog::chosenEntries() const
{
    QList<qsizetype> chosen;
    for (QTreeWidgetItemIterator it(m_tree, QTreeWidgetItemIterator::Checked); *it; ++it) {
        const qsizetype index = (*it)->data(Name, kEntryRole).toLongLong();
        if (index >= 0 && !(*it)->data(0, kFolderRole).toBool())
            chosen.append(index);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

void ZipContentsDialog::updateSummary()
{
    const QList<qsizetype> chosen = chosenEntries();
    qint64 bytes = 0;
    qint64 packed = 0;
    for (qsizetype i : chosen) {
        bytes += m_listing.entries.at(i).size;
        packed += m_listing.entries.at(i).packedSize;
    }
    if (!m_loaded)
        m_selection->clear();
    else if (chosen.isEmpty())
        m_selection->setText(tr("Tick the files to download; a ticked folder brings everything in it."));
    else
        m_selection->setText(tr("%n file(s) chosen: %1, %2 to fetch.", nullptr, int(chosen.size()))
                                 .arg(formatSize(bytes), formatSize(packed)));
    m_downloadButton->setEnabled(m_loaded && !chosen.isEmpty() && !folder().isEmpty());
}

void ZipContentsDialog::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    // A file shows when its name holds the text; a folder when anything below it shows.
    const auto apply = [&](QTreeWidgetItem *item, auto &self) -> bool {
        bool any = false;
        for (int i = 0; i < item->childCount(); ++i)
            any = self(item->child(i), self) || any;
        const bool folder = item->data(0, kFolderRole).toBool();
        const bool match = text.isEmpty() || item->text(Name).contains(text, Qt::CaseInsensitive);
        const bool shown = folder ? (any || match) : match;
        item->setHidden(!shown);
        if (!text.isEmpty() && folder && any)
            item->setExpanded(true);
        return shown;
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        apply(m_tree->topLevelItem(i), apply);
}

void ZipContentsDialog::browse()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Save Entries To"), folder());
    if (!dir.isEmpty())
        setFolder(dir);
}

ZipContentsDialog::Downloader
ZipContentsDialog::queueingDownloader(DownloadManager *manager, const zipread::ArchiveSource &source,
                                      std::function<void(DownloadId)> added)
{
    return [manager, source, added](const zipread::ArchiveListing &listing,
                                    const QList<qsizetype> &chosen, const QString &folder,
                                    QString *message) {
        QStringList problems;
        const QList<DownloadRequest> requests =
            zipread::entryDownloadRequests(source, listing, chosen, folder, &problems);
        int queued = 0;
        DownloadId last = 0;
        for (const DownloadRequest &request : requests) {
            QString error;
            if (const DownloadId id = manager->add(request, &error)) {
                ++queued;
                last = id;
            } else {
                problems.append(error);
            }
        }
        *message = problems.join(u'\n');
        if (last && added)
            added(last);
        return queued;
    };
}

void ZipContentsDialog::downloadChosen()
{
    const QList<qsizetype> chosen = chosenEntries();
    if (chosen.isEmpty() || !m_downloader)
        return;
    // Each file becomes a line of the transfer list; past this many, the list is no place for them.
    if (chosen.size() > kMostEntries) {
        m_selection->setText(tr("At most %1 files can be downloaded at a time; %2 are ticked. Tick fewer, "
                                "or download the whole archive and extract it.")
                                 .arg(QLocale().toString(kMostEntries), QLocale().toString(chosen.size())));
        return;
    }
    const QString target = folder();
    if (!QDir().mkpath(target)) {
        m_selection->setText(tr("Cannot create the folder “%1”.").arg(QDir::toNativeSeparators(target)));
        return;
    }
    QString message;
    const int queued = m_downloader(m_listing, chosen, target, &message);
    emit entriesQueued(queued, message);
    if (queued > 0) {
        accept();
        return;
    }
    m_selection->setText(message.isEmpty() ? tr("Nothing was queued.") : message);
}

} // namespace ferry::ui
