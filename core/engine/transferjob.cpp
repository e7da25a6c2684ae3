#include "engine/transferjob.h"

#include "storage/storedrecord.h"

namespace ferry {

DownloadId TransferJob::id() const
{
    return record().id;
}

} // namespace ferry
