// DownloadManager::changeAddress(): another address for the same file, checked before anything
// changes, so that a wrong link never mixes two files in one part file.
#include "api/downloadmanager.h"

#include "engine/addresscheck.h"
#include "engine/downloadjob.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

QString runElsewhere(const QString &owner)
{
    return DownloadManager::tr(
               "Another Ferry process (pid %1) is running this download; change its address there.")
        .arg(owner);
}

} // namespace

void DownloadManager::changeAddress(DownloadId id, const QUrl &given,
                                    const HeaderList &givenSecrets, AddressChanged done)
{
    // Always answered later, never from inside this call: a caller shows "checking" first.
    const auto answer = [this, done](bool ok, const QString &message) {
        QMetaObject::invokeMethod(
            this,
            [done, ok, message] {
                if (done)
                    done(ok, message);
            },
            Qt::QueuedConnection);
    };
    const QUrl url = given.adjusted(QUrl::NormalizePathSegments);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != u"http"_s && url.scheme() != u"https"_s)) {
        answer(false, tr("Not a downloadable address: %1 (only http and https URLs).")
                          .arg(given.toString(QUrl::RemovePassword)));
        return;
    }
    HeaderList secrets = givenSecrets;
    QUrl storedUrl = url;
    if (!url.password().isEmpty()) {
        const QByteArray basic = (url.userName() + u':' + url.password()).toUtf8().toBase64();
        secrets.append({"Authorization", "Basic " + basic});
        storedUrl = url.adjusted(QUrl::RemoveUserInfo);
    }
    auto *job = qobject_cast<DownloadJob *>(this->job(id));
    if (!job) {
        answer(false, this->job(id) ? tr("Only downloads over HTTP can change their address.")
                                    : tr("This download is no longer in the list."));
        return;
    }
    if (!job->record().account.isEmpty() || !job->record().source.isEmpty()) {
        answer(false,
               tr("An S3 object is fetched through its account; its address cannot be changed."));
        return;
    }
    if (m_addressChecks.contains(id)) {
        answer(false, tr("A new address for this download is being checked already."));
        return;
    }
    // The row as the database has it now, and whether another process runs the download.
    QString owner;
    switch (change(
        id, [](TransferJob *) {}, &owner)) {
    case Change::Done:
        break;
    case Change::RunElsewhere:
        answer(false, runElsewhere(owner));
        return;
    case Change::Gone:
        answer(false, tr("This download is no longer in the list."));
        return;
    }
    if (job->state() == DownloadState::Completed) {
        answer(false, tr("This download is finished; a finished download keeps its address."));
        return;
    }
    const StoredDownload &r = job->record();
    AddressCheck::Expected expected;
    expected.total = r.total;
    expected.etag = r.etag;
    expected.lastModified = r.lastModified;
    expected.partPath = r.partPath;
    expected.identity = {r.partDevice, r.partInode};
    if (!r.partPath.isEmpty()) {
        const DownloadSnapshot snapshot = job->snapshot();
        for (const SegmentSnapshot &s : snapshot.segments)
            expected.done.append({s.start, s.done});
    }
    const bool onDisk = std::any_of(expected.done.begin(), expected.done.end(),
                                    [](const auto &d) { return d.length > 0; });
    if (r.total < 0 && onDisk) {
        answer(false, tr("The size of this download is not known, so no other address can be "
                         "compared with it."));
        return;
    }
    auto *check = new AddressCheck(this);
    m_addressChecks.insert(id, check);
    connect(check, &AddressCheck::finished, this, [=, this](const AddressCheck::Verdict &verdict) {
        m_addressChecks.remove(id);
        check->deleteLater();
        if (!verdict.same) {
            answer(false, verdict.message);
            return;
        }
        QString refusal;
        QString holder;
        const Change outcome = change(
            id,
            [&](TransferJob *t) {
                auto *j = static_cast<DownloadJob *>(t);
                const StoredDownload &now = j->record();
                if (j->state() == DownloadState::Completed) {
                    refusal = tr("The download finished meanwhile; its address was not changed.");
                    return;
                }
                if (now.total != expected.total || now.etag != expected.etag ||
                    now.lastModified != expected.lastModified) {
                    refusal = tr("The download started over meanwhile; its address was not "
                                 "changed. Try again.");
                    return;
                }
                // A running or failed download goes on at the new address; one the user paused
                // stays paused, unless it only stopped for want of its credentials.
                const bool goOn = j->isActive() || j->state() == DownloadState::Queued ||
                                  j->state() == DownloadState::Failed || j->lacksCredentials();
                if (j->isActive())
                    j->pause();
                DownloadJob::NewAddress address;
                address.url = storedUrl;
                address.finalUrl = verdict.finalUrl;
                address.secrets = secrets;
                address.etag = verdict.etag;
                address.lastModified = verdict.lastModified;
                // Bytes compared equal stand in for validators the server does not give: without
                // them the download could only start over.
                address.resumable =
                    verdict.rangeSupported && expected.total > 0 && (verdict.validated || onDisk);
                const bool hadSecrets = now.needsSecrets;
                j->changeAddress(address);
                if (!secrets.isEmpty())
                    keepSecrets(id, storedUrl, secrets);
                else if (hadSecrets)
                    forgetSecrets(id);
                if (goOn && j->state() != DownloadState::Queued) {
                    m_held.remove(id);
                    j->enqueue();
                }
            },
            &holder);
        switch (outcome) {
        case Change::Done:
            m_dirty.insert(id);
            schedule();
            answer(refusal.isEmpty(), refusal);
            return;
        case Change::RunElsewhere:
            answer(false, runElsewhere(holder));
            return;
        case Change::Gone:
            answer(false, tr("This download is no longer in the list."));
            return;
        }
    });
    check->start(storedUrl, secrets, expected, m_settings.stallTimeoutMs);
}

} // namespace ferry
