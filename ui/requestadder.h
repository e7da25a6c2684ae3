#pragma once

#include "api/downloadtypes.h"

#include <QCoreApplication>
#include <QStringList>

#include <functional>
#include <optional>

class QWidget;

namespace ferry {
class DownloadManager;
}

namespace ferry::ui {

// What to do with an address the list already has.
enum class DuplicateChoice {
    OpenExisting,  // show that download, and carry on with it if it had stopped
    DownloadAgain, // a second download, under a name of its own
    Skip,          // leave this address out
    // The existing download takes the new address (checked first to serve the same file) and
    // goes on from what it has; offered only for an address that is not the same as its own.
    ContinueWithNewAddress,
};

// Hands the add dialog's requests to the manager. An address already in the list, finished or
// not, is never added a second time unnoticed (a row with the same name, its file ending up as
// "name (1)"): the question decides first. GUI thread only.
class RequestAdder final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::ui::RequestAdder)
public:
    using Question = std::function<DuplicateChoice(const DownloadSnapshot &existing)>;
    // The same, told whether ContinueWithNewAddress may be offered: the added address is another
    // one for what looks like the same file (see findSameFile()).
    using OfferingQuestion =
        std::function<DuplicateChoice(const DownloadSnapshot &existing, bool offerNewAddress)>;
    // How a new address given to an existing download went (it is checked asynchronously).
    using AddressReport = std::function<void(DownloadId id, bool ok, const QString &message)>;

    struct Outcome
    {
        QList<DownloadId> added;
        QList<DownloadId> opened;    // already in the list; the user chose to see them
        QList<DownloadId> continued; // of those, the ones given the new address (being checked)
        QStringList errors;
    };

    RequestAdder(DownloadManager *manager, Question ask);
    RequestAdder(DownloadManager *manager, OfferingQuestion ask);
    void setAddressReport(AddressReport report) { m_report = std::move(report); }
    Outcome add(const QList<DownloadRequest> &requests, bool startNow);

    // The download in `list` for this address, as given or as redirected: an unfinished one
    // before a finished one, else the newest.
    static std::optional<DownloadSnapshot> findExisting(const QList<DownloadSnapshot> &list,
                                                        const QUrl &url);
    // An unfinished HTTP download in `list` that the request is probably another address for:
    // the same scheme, host, port and path with another query or fragment (a re-signed link),
    // or the same file name and size as the request's probe found, in the same folder.
    static std::optional<DownloadSnapshot> findSameFile(const QList<DownloadSnapshot> &list,
                                                        const DownloadRequest &request);
    // The question as the window asks it: a message box over `parent`.
    static DuplicateChoice askWithMessageBox(QWidget *parent, const DownloadSnapshot &existing,
                                             bool offerNewAddress = false);

private:
    // A name in the request's folder that no file, part file or download in `list` has.
    static QString freeName(const DownloadRequest &request, const DownloadSnapshot &existing,
                            const QList<DownloadSnapshot> &list);

    DownloadManager *m_manager;
    OfferingQuestion m_ask;
    AddressReport m_report;
};

} // namespace ferry::ui
