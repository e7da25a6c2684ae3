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
};

// Hands the add dialog's requests to the manager. An address already in the list, finished or
// not, is never added a second time unnoticed (a row with the same name, its file ending up as
// "name (1)"): the question decides first. GUI thread only.
class RequestAdder final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::ui::RequestAdder)
public:
    using Question = std::function<DuplicateChoice(const DownloadSnapshot &existing)>;

    struct Outcome
    {
        QList<DownloadId> added;
        QList<DownloadId> opened; // already in the list; the user chose to see them
        QStringList errors;
    };

    RequestAdder(DownloadManager *manager, Question ask);
    Outcome add(const QList<DownloadRequest> &requests, bool startNow);

    // The download in `list` for this address, as given or as redirected: an unfinished one
    // before a finished one, else the newest.
    static std::optional<DownloadSnapshot> findExisting(const QList<DownloadSnapshot> &list,
                                                        const QUrl &url);
    // The question as the window asks it: a message box over `parent`.
    static DuplicateChoice askWithMessageBox(QWidget *parent, const DownloadSnapshot &existing);

private:
    // A name in the request's folder that no file, part file or download in `list` has.
    static QString freeName(const DownloadRequest &request, const DownloadSnapshot &existing,
                            const QList<DownloadSnapshot> &list);

    DownloadManager *m_manager;
    Question m_ask;
};

} // namespace ferry::ui
