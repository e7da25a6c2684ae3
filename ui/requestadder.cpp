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

RequestAdder::RequestAdder(DownloadManager *manager, Question ask) : m_manager(manager)
{
    if (ask)
        m_ask = [ask = std::move(ask)](const DownloadSnapshot &existing, bool) {
            return ask(existing);
        };
}

RequestAdder::RequestAdder(DownloadManager *manager, OfferingQuestion ask)
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
        std::optional<DownloadSnapshot> existing = findExisting(list, request.url);
        const bool offer = !existing && (existing = findSameFile(list, request)).has_value();
        if (existing) {
            switch (m_ask ? m_ask(*existing, offer) : DuplicateChoice::Skip) {
            case DuplicateChoice::Skip:
                continue;
            case DuplicateChoice::ContinueWithNewAddress: {
                if (!offer)
                    continue; // its own address: there is nothing to change
                const DownloadId id = existing->id;
                m_manager->changeAddress(id, request.url, request.headers,
                                         [report = m_report, id](bool ok, const QString &message) {
                                             if (report)
                                                 report(id, ok, message);
                                         });
                outcome.continued.append(id);
                outcome.opened.append(id);
                continue;
            }
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

std::optional<DownloadSnapshot> RequestAdder::findSameFile(const QList<DownloadSnapshot> &list,
                                                           const DownloadRequest &request)
{
    const QUrl wanted = comparable(request.url);
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == u"https"_s ? 443 : 80); };
    const QString dir =
        QDir(request.directory.isEmpty() ? QDir::currentPath() : request.directory).absolutePath();
    const QString probedName =
        request.probedName.isEmpty() ? QString() : sanitizeFileName(request.probedName);
    for (const DownloadSnapshot &s : list) {
        if (s.kind != TransferKind::Download || !s.source.isEmpty() || finished(s))
            continue;
        const QUrl url = comparable(s.url);
        const bool samePath = url.scheme() == wanted.scheme() && url.host() == wanted.host() &&
                              port(url) == port(wanted) && url.path() == wanted.path();
        const bool sameProbe = !probedName.isEmpty() && request.probedSize >= 0 &&
                               s.fileName == probedName && s.total == request.probedSize &&
                               QDir(s.directory).absolutePath() == dir;
        if (samePath || sameProbe)
            return s;
    }
    return std::nullopt;
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

DuplicateChoice RequestAdder::askWithMessageBox(QWidget *parent, const DownloadSnapshot &existing,
                                                bool offerNewAddress)
{
    QString name = existing.fileName;
    if (name.isEmpty())
        name = existing.url.fileName();
    if (name.isEmpty())
        name = existing.url.toDisplayString(QUrl::RemoveUserInfo);
    const QString text =
        offerNewAddress
            ? tr("The same file seems to be in the list under another address: “%1”, %2.")
            : tr("This address is already in the list: “%1”, %2.");
    QMessageBox box(QMessageBox::Question, tr("Already in the List"),
                    text.arg(name, stateName(existing.state)), QMessageBox::NoButton, parent);
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
    QPushButton *carryOn = nullptr;
    if (offerNewAddress) {
        // Checked before anything changes: a different file is refused, with the reason.
        carryOn = box.addButton(tr("&Continue the Existing Download with This New Address"),
                                QMessageBox::AcceptRole);
        carryOn->setObjectName(u"continueWithNewAddress"_s);
    }
    QPushButton *cancel = box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(carryOn ? carryOn : open);
    box.setEscapeButton(cancel);
    box.exec();
    if (carryOn && box.clickedButton() == carryOn)
        return DuplicateChoice::ContinueWithNewAddress;
    if (box.clickedButton() == open)
        return DuplicateChoice::OpenExisting;
    if (box.clickedButton() == again)
        return DuplicateChoice::DownloadAgain;
    return DuplicateChoice::Skip;
}

} // namespace ferry::ui
