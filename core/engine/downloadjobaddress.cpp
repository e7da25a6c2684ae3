// A download's address replaced by another one that serves the same file (an expired signed
// link, a one-time link from a download page): what is on disk stays and is continued.
#include "engine/downloadjob.h"

#include "storage/storage.h"

using namespace Qt::StringLiterals;

namespace ferry {

void DownloadJob::changeAddress(const NewAddress &address)
{
    Q_ASSERT(!isActive());
    m_record.url = address.url;
    m_record.finalUrl = address.finalUrl;
    // The new address's validators are the ones its answers will carry (and be checked by);
    // where both sides had one, they were equal.
    m_record.etag = address.etag;
    m_record.lastModified = address.lastModified;
    m_record.resumable = address.resumable;
    m_secrets = address.secrets;
    m_record.needsSecrets = !address.secrets.isEmpty();
    m_links.setHost(address.url.host());
    m_refreshingUrl = false;
    m_ifRangeIgnored = false;
    // Signed addresses carry their credentials in the query: the history names only the path.
    const QString shown =
        address.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    m_record.message = tr("Address changed to %1.").arg(shown);
    logEvent(m_record.message);
    save();
    emit stateChanged(id(), state());
}

} // namespace ferry
