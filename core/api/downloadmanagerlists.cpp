// DownloadManager: what an exported list, or another look at a download's address, needs
// beyond the snapshots.
#include "api/downloadmanager.h"

#include "engine/downloadjob.h"
#include "storage/storedrecord.h"

namespace ferry {

DownloadManager::ListDetails DownloadManager::listDetails(DownloadId id) const
{
    ListDetails details;
    TransferJob *j = job(id);
    if (!j)
        return details;
    details.checksum = j->record().checksum;
    if (const auto *download = qobject_cast<const DownloadJob *>(j)) {
        for (const auto &header : download->secrets()) {
            if (!details.headerNames.contains(header.first))
                details.headerNames.append(header.first);
        }
    }
    return details;
}

HeaderList DownloadManager::requestHeaders(DownloadId id) const
{
    if (const auto *download = qobject_cast<const DownloadJob *>(job(id)))
        return download->secrets();
    return {};
}

} // namespace ferry
