#include "detailspane.h"

#include "format.h"
#include "speedgraph.h"

#include <QDir>
#include <QEvent>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QTableWidget>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// The General rows. The pane shares the window's height with the list and is often lower
// than its rows: they scroll rather than being squeezed, which would cut wrapped values in
// half. It still asks for the rows' height, up to about fourteen lines, so that the splitter
// does not leave it a sliver that needs scrolling for the usual few one-line rows.
class RowsArea final : public QScrollArea
{
public:
    using QScrollArea::QScrollArea;
    QSize minimumSizeHint() const override
    {
        QSize size = QScrollArea::minimumSizeHint();
        if (const QWidget *rows = widget())
            size.setHeight(std::max(size.height(), std::min(rows->minimumHeight(), 14 * fontMetrics().lineSpacing())));
        return size;
    }
};

} // namespace

DetailsPane::DetailsPane(QWidget *parent) : QTabWidget(parent)
{
    auto *scroll = new RowsArea(this);
    scroll->setObjectName(u"detailsGeneral"_s);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_general = new QWidget(scroll);
    m_general->installEventFilter(this); // its width decides the height it needs
    auto *form = new QFormLayout(m_general);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_url = addRow(form, tr("URL:"), "detailsUrl");
    m_finalUrl = addRow(form, tr("Final URL:"), "detailsFinalUrl");
    m_destination = addRow(form, tr("Saved to:"), "detailsDestination");
    m_size = addRow(form, tr("Size:"), "detailsSize");
    m_validators = addRow(form, tr("Validators:"), "detailsValidators");
    m_resume = addRow(form, tr("Resume:"), "detailsResume");
    m_message = addRow(form, tr("Status:"), "detailsMessage");
    scroll->setWidget(m_general);
    addTab(scroll, tr("General"));

    m_connections = new QTableWidget(0, ConnectionColumns, this);
    m_connections->setObjectName(u"detailsConnections"_s);
    m_connections->setHorizontalHeaderLabels({tr("Range"), tr("Done"), tr("Speed"), tr("State")});
    // Numbers are read across a row: they never wrap. The state, last, takes the slack.
    m_connections->setWordWrap(false);
    m_connections->setTabKeyNavigation(false);
    m_connections->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_connections->horizontalHeader()->setStretchLastSection(true);
    m_connections->verticalHeader()->hide();
    m_connections->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_connections->setSelectionMode(QAbstractItemView::NoSelection);
    addTab(m_connections, tr("Connections"));

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(u"detailsLog"_s);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(500);
    addTab(m_log, tr("Log"));

    m_graph = new SpeedGraph(this);
    m_graph->setObjectName(u"detailsSpeedGraph"_s);
    addTab(m_graph, tr("Speed"));
    showDownload(std::nullopt, {}, {});
}

void DetailsPane::fitConnectionColumns(bool otherDownload)
{
    // Wide enough for what the cells hold; while the same download is shown a column only
    // grows, so that changing speeds do not make the columns twitch every tick.
    QHeaderView *header = m_connections->horizontalHeader();
    const QAbstractItemView *view = m_connections; // where sizeHintForColumn() is public
    for (int c = 0; c < ConnectionColumns - 1; ++c) {
        const int fit = std::max(header->sectionSizeHint(c), view->sizeHintForColumn(c));
        header->resizeSection(c, otherDownload ? fit : std::max(fit, header->sectionSize(c)));
    }
}

bool DetailsPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_general && event->type() == QEvent::Resize)
        fitGeneralHeight();
    return QTabWidget::eventFilter(watched, event);
}

void DetailsPane::fitGeneralHeight()
{
    // The scroll area sizes the rows for the width without its scroll bar; once the bar is
    // there, wrapped values need more lines than that height holds. Asking for the height
    // the current width needs keeps every row whole.
    // (-1: nothing wraps, the layout's own minimum holds.)
    const int needed = std::max(0, m_general->layout()->totalHeightForWidth(m_general->width()));
    if (needed != m_general->minimumHeight()) {
        m_general->setMinimumHeight(needed);
        updateGeometry(); // the pane's minimum follows (see RowsArea)
    }
}

QLabel *DetailsPane::addRow(QFormLayout *form, const QString &label, const char *objectName)
{
    auto *value = new QLabel(form->parentWidget());
    value->setObjectName(QString::fromLatin1(objectName));
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    form->addRow(label, value);
    return value;
}

void DetailsPane::showDownload(const std::optional<DownloadSnapshot> &s, const QList<DownloadEvent> &events,
                               const QList<qint64> &speedHistory)
{
    setEnabled(s.has_value());
    if (!s) {
        for (QLabel *l : {m_url, m_finalUrl, m_destination, m_size, m_validators, m_resume, m_message})
            l->clear();
        m_connections->setRowCount(0);
        m_log->clear();
        m_graph->setSamples({});
        m_shownId = 0;
        return;
    }
    m_url->setText(s->archiveEntry.isEmpty()
                       ? s->url.toString(QUrl::RemovePassword)
                       : tr("%1, the entry “%2” in it").arg(s->url.toString(QUrl::RemovePassword), s->archiveEntry));
    m_finalUrl->setText(s->finalUrl.isEmpty() || s->finalUrl == s->url ? tr("(same)") : s->finalUrl.toString(QUrl::RemovePassword));
    m_destination->setText(QDir::toNativeSeparators(s->targetPath.isEmpty() ? QDir(s->directory).filePath(s->fileName) : s->targetPath));
    m_size->setText(s->total >= 0 ? tr("%1 of %2").arg(formatSize(s->done), formatSize(s->total)) : formatSize(s->done));
    QStringList validators;
    if (!s->etag.isEmpty())
        validators << u"ETag %1"_s.arg(QString::fromLatin1(s->etag));
    if (!s->lastModified.isEmpty())
        validators << tr("Last-Modified %1").arg(formatHttpDate(s->lastModified));
    m_validators->setText(validators.isEmpty() ? tr("none (changes on the server cannot be detected)") : validators.join(u"\n"_s));
    m_resume->setText(s->resumable ? tr("Supported (byte ranges)") : tr("Not supported: an interrupted download starts over"));
    QString state = stateName(s->state);
    if (!state.isEmpty())
        state[0] = state[0].toUpper();
    m_message->setText(s->message.isEmpty() ? state : s->message);

    fitGeneralHeight();

    m_connections->setRowCount(int(s->segments.size()));
    for (int row = 0; row < s->segments.size(); ++row) {
        const SegmentSnapshot &seg = s->segments[row];
        const QString range = seg.end < 0 ? u"%1 –"_s.arg(seg.start) : u"%1 – %2"_s.arg(seg.start).arg(seg.end - 1);
        const qint64 length = seg.end < 0 ? -1 : seg.end - seg.start;
        const QString state = length >= 0 && seg.done >= length ? tr("done") : seg.active ? tr("receiving") : tr("waiting");
        const QStringList cells{range, length >= 0 ? tr("%1 of %2").arg(formatSize(seg.done), formatSize(length)) : formatSize(seg.done),
                                seg.active ? formatSpeed(seg.speed) : QString(), state};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = m_connections->item(row, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_connections->setItem(row, c, item);
            }
            item->setText(cells[c]);
        }
    }
    fitConnectionColumns(m_shownId != s->id);

    // Append only what is new, so a reader scrolled up in the log is not thrown around.
    if (m_shownId != s->id || events.size() < m_shownEvents) {
        m_log->clear();
        m_shownEvents = 0;
        m_shownId = s->id;
    }
    for (qsizetype i = m_shownEvents; i < events.size(); ++i)
        m_log->appendPlainText(u"%1  %2"_s.arg(formatDateTime(events[i].time.toLocalTime()), events[i].text));
    m_shownEvents = int(events.size());
    m_graph->setSamples(speedHistory);
}

} // namespace ferry::ui
