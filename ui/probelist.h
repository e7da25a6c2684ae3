#pragma once

#include "api/downloadtypes.h"

#include <QColor>
#include <QHash>
#include <QSet>
#include <QTreeWidget>

namespace ferry::ui {

// The add dialog's list of addresses with what probing found: file name, size, resume support,
// or, in red, the reason the download would fail. It only shows; the dialog does the probing.
class ProbeList final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProbeList)
public:
    enum Column { NameColumn, SizeColumn, StatusColumn, UrlColumn };

    explicit ProbeList(QWidget *parent = nullptr);

    // One row per URL, in order. `results` holds what is known; the other rows read
    // "Checking…" when `checking`, else stay blank (no prober).
    // `unprobed` ones are listed without being checked (the tail of a long pattern).
    void showUrls(const QStringList &urls, const QHash<QString, ProbeInfo> &results, bool checking,
                  const QSet<QString> &unprobed = {});
    // The links of a page, each with a box: `checked` ones are shown with what their probe
    // found (or "Checking…"), the others with their link text. Ticking a box emits
    // checkToggled(); the list does not keep the set itself.
    struct Link
    {
        QString url;
        QString text;
    };
    void showLinks(const QList<Link> &links, const QSet<QString> &checked,
                   const QHash<QString, ProbeInfo> &results, bool checking);
    void showResult(const QString &url, const ProbeInfo &info);
    void showChecking(const QString &url); // its probe was just asked for

    // Whether the probe failed for good: the server has no such file (404, 410) or refuses it
    // (401, 403), or the address cannot be downloaded at all. Such an address is not added;
    // one that timed out or met a server error (5xx) may work a minute later, and is.
    static bool failedForGood(const ProbeInfo &info);

    // Readable on light and dark palettes alike, unlike Qt::red / Qt::darkRed.
    static QColor errorColor() { return QColor(218, 54, 51); }

signals:
    void checkToggled(const QString &url, bool checked);

private:
    void fill(QTreeWidgetItem *item, const ProbeInfo &info);
};

} // namespace ferry::ui
