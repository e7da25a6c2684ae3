#include "requestadder.h"

#include "api/downloadmanager.h"
#include "engine/filenamesanitizer.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// The manager stores addresses without user info and with "a/../b" resolved; compare alike.
QUrl comparable(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::NormalizePathSegments);
}

bool finished(const DownloadSnapshot &s)
{
    return s.state == DownloadState::Completed;
}

} // namespace

RequestAdder::RequestAdder(DownloadManager *manager, Question ask)
    : m_manager(manager), m_ask(std::move(ask))
{
}

RequestAdder::Outcome RequestAdder::add(const QList<DownloadRequest> &requests, bool startNow)
{
    Outcome outcome;
    // Read once: with a long history, a fresh list per address would cost more than the adds.
    // What is added here joins it, so two addresses never get the same new name.
    QList<DownloadSnapshot> list = m_manager->snapshots();
    for (DownloadRequest request : requests) {
        // Both wait in the queue; "start now" waits at its front.
        request.startPaused = false;
        request.queueFront = startNow;
        if (const std::optional<DownloadSnapshot> existing = findExisting(list, request.url)) {
            switch (m_ask ? m_ask(*existing) : DuplicateChoice::Skip) {
            case DuplicateChoice::Skip:
                continue;
            case DuplicateChoice::OpenExisting:
                // "Start now" on a stopped download means carrying on with it; "Add to queue"
                // leaves it as it is.
                if (startNow && (existing->state == DownloadState::Paused ||
                                 existing->state == DownloadState::Failed))
                    m_manager->resume(existing->id);
                outcome.opened.append(existing->id);
                continue;
            case DuplicateChoice::DownloadAgain:
                request.evenIfPresent = true;
                // Named now, not when the file is finished: the new row must not show the
                // other download's name and path meanwhile.
                request.fileName = freeName(request, *existing, list);
                break;
            }
        }
        QString error;
        const DownloadId id = m_manager->add(request, &error);
        if (id == 0) {
            outcome.errors.append(error);
            continue;
        }
        outcome.added.append(id);
        if (const std::optional<DownloadSnapshot> added = m_manager->snapshot(id))
            list.append(*added);
    }
    return outcome;
}

std::optional<DownloadSnapshot> RequestAdder::findExisting(const QList<DownloadSnapshot> &list,
                                                           const QUrl &url)
{
    const QUrl wanted = comparable(url);
    std::optional<DownloadSnapshot> found;
    for (const DownloadSnapshot &s : list) {
        if (s.kind != TransferKind::Download)
            continue;
        if (comparable(s.url) != wanted &&
            (s.finalUrl.isEmpty() || comparable(s.finalUrl) != wanted))
            continue;
        const bool better = !found || (finished(*found) && !finished(s)) ||
                            (finished(*found) == finished(s) && s.id > found->id);
        if (better)
            found = s;
    }
    return found;
}

QString RequestAdder::freeName(const DownloadRequest &request, const DownloadSnapshot &existing,
                               const QList<DownloadSnapshot> &list)
{
    const QString name = request.fileName.isEmpty() ? existing.fileName : request.fileName;
    if (name.isEmpty())
        return {}; // not known yet: the server names it, and the engine keeps names apart
    const QString dir =
        QDir(request.directory.isEmpty() ? QDir::currentPath() : request.directory).absolutePath();
    const auto taken = [&](const QString &path) {
        for (const QString &candidate : {path, QString(path + u".part"_s)}) {
            const QFileInfo info(candidate);
            if (info.exists() || info.isSymLink())
                return true;
        }
        // A download in the list keeps its name even once its file is gone or not yet there.
        const QString fileName = QFileInfo(path).fileName();
        for (const DownloadSnapshot &s : list) {
            if (s.targetPath == path ||
                (s.fileName == fileName && QDir(s.directory).absolutePath() == dir))
                return true;
        }
        return false;
    };
    const QString path = uniqueFilePath(dir, sanitizeFileName(name), taken);
    return path.isEmpty() ? QString() : QFileInfo(path).fileName();
}

DuplicateChoice RequestAdder::askWithMessageBox(QWidget *parent, const DownloadSnapshot &existing)
{
    QString name = existing.fileName;
    if (name.isEmpty())
        name = existing.url.fileName();
    if (name.isEmpty())
        name = existing.url.toDisplayString(QUrl::RemoveUserInfo);
    QMessageBox box(
        QMessageBox::Question, tr("Already in the List"),
        tr("This address is already in the list: “%1”, %2.").arg(name, stateName(existing.state)),
        QMessageBox::NoButton, parent);
    box.setObjectName(u"duplicateQuestion"_s);
    const QString where = QDir::toNativeSeparators(
        existing.targetPath.isEmpty() ? existing.directory : existing.targetPath);
    box.setInformativeText(
        tr("%1\nSaved to %2").arg(existing.url.toDisplayString(QUrl::RemoveUserInfo), where));
    QPushButton *open = box.addButton(tr("&Open the Existing Download"), QMessageBox::AcceptRole);
    open->setObjectName(u"openExisting"_s);
    // Never over the other file: a second download gets "name (1).ext".
    QPushButton *again =
        box.addButton(tr("&Download Again Under a New Name"), QMessageBox::ActionRole);
    again->setObjectName(u"downloadAgain"_s);
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(open);
    box.setEscapeButton(cancel);
    box.exec();
    if (box.clickedButton() == open)
        return DuplicateChoice::OpenExisting;
    if (box.clickedButton() == again)
        return DuplicateChoice::DownloadAgain;
    return DuplicateChoice::Skip;
}

} // namespace ferry::ui
