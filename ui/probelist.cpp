#include "probelist.h"

#include <QHeaderView>
#include <QLocale>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

namespace ferry::ui {

ProbeList::ProbeList(QWidget *parent) : QTreeWidget(parent)
{
    setHeaderLabels({tr("File"), tr("Size"), tr("Status"), tr("Address")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    header()->setStretchLastSection(true);
    setColumnWidth(NameColumn, 200);
    setColumnWidth(SizeColumn, 90);
    setColumnWidth(StatusColumn, 260);
    connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (column == NameColumn && (item->flags() & Qt::ItemIsUserCheckable))
            emit checkToggled(item->text(UrlColumn), item->checkState(NameColumn) == Qt::Checked);
    });
}

void ProbeList::showUrls(const QStringList &urls, const QHash<QString, ProbeInfo> &results,
                         bool checking, const QSet<QString> &unprobed)
{
    clear();
    for (const QString &url : urls) {
        auto *item = new QTreeWidgetItem(this, {QUrl(url).fileName(), QString(), QString(), url});
        item->setToolTip(UrlColumn, url);
        if (const auto found = results.constFind(url); found != results.cend())
            fill(item, *found);
        else if (unprobed.contains(url))
            item->setText(StatusColumn, tr("Added without checking"));
        else if (checking)
            item->setText(StatusColumn, tr("Checking…"));
    }
}

void ProbeList::showLinks(const QList<Link> &links, const QSet<QString> &checked,
                          const QHash<QString, ProbeInfo> &results, bool checking)
{
    const QSignalBlocker blocker(this); // filling is not the user ticking boxes
    clear();
    for (const Link &link : links) {
        const QString name = QUrl(link.url).fileName();
        auto *item = new QTreeWidgetItem(this, {name.isEmpty() ? link.text : name, QString(),
                                                QString(), link.url});
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const bool on = checked.contains(link.url);
        item->setCheckState(NameColumn, on ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(NameColumn, link.text.isEmpty() ? link.url : link.text);
        item->setToolTip(UrlColumn, link.url);
        if (!on)
            item->setText(StatusColumn, link.text);
        else if (const auto found = results.constFind(link.url); found != results.cend())
            fill(item, *found);
        else if (checking)
            item->setText(StatusColumn, tr("Checking…"));
    }
}

void ProbeList::showResult(const QString &url, const ProbeInfo &info)
{
    for (QTreeWidgetItem *item : findItems(url, Qt::MatchExactly, UrlColumn))
        fill(item, info);
}

void ProbeList::showChecking(const QString &url)
{
    for (QTreeWidgetItem *item : findItems(url, Qt::MatchExactly, UrlColumn))
        item->setText(StatusColumn, tr("Checking…"));
}

bool ProbeList::failedForGood(const ProbeInfo &info)
{
    if (info.error.isEmpty())
        return false;
    switch (info.httpStatus) {
    case 401:
    case 403:
    case 404:
    case 410:
        return true;
    case 0:
        break;
    default:
        return false;
    }
    const QUrl &url = info.url;
    return !url.isValid() || url.host().isEmpty() ||
           (url.scheme() != u"http"_s && url.scheme() != u"https"_s);
}

void ProbeList::fill(QTreeWidgetItem *item, const ProbeInfo &info)
{
    if (!info.error.isEmpty()) {
        if (item->text(NameColumn).isEmpty())
            item->setText(NameColumn, QUrl(item->text(UrlColumn)).host());
        item->setText(StatusColumn, info.error);
        const QString tip = failedForGood(info)
                                ? tr("%1\nThis address will not be added.").arg(info.error)
                                : tr("%1\nThis address is added all the same: the problem may "
                                     "be gone when the download starts.")
                                      .arg(info.error);
        for (int c = 0; c < columnCount(); ++c) {
            item->setForeground(c, errorColor());
            item->setToolTip(c, tip);
        }
        return;
    }
    const QLocale locale;
    item->setText(NameColumn, info.fileName);
    item->setToolTip(NameColumn, info.fileName);
    if (info.size >= 0) {
        item->setText(SizeColumn, locale.formattedDataSize(info.size));
        item->setToolTip(SizeColumn, tr("%1 bytes").arg(locale.toString(info.size)));
    } else {
        item->setText(SizeColumn, tr("Unknown"));
    }
    item->setText(StatusColumn, info.resumable ? tr("Resumable") : tr("No resume"));
    item->setToolTip(StatusColumn,
                     info.resumable ? tr("Can be paused and continued, with several connections.")
                                    : tr("The server does not support resuming: a pause or a "
                                         "broken connection starts the file over."));
}

} // namespace ferry::ui
