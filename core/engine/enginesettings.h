#pragma once

#include "api/downloadtypes.h"
#include "engine/backoff.h"

namespace ferry {

// Tunables shared by every download of one manager.
struct EngineSettings {
    int maxConcurrentDownloads = 3;
    int connectionsPerHost = 16;
    qint64 globalRateLimit = 0;        // bytes per second, 0 = unlimited
    qint64 minSplit = 1024 * 1024;     // no range is split below this
    int stallTimeoutMs = 30'000;       // a connection with no bytes for this long is retried
    int checkpointIntervalMs = 1000;   // how much progress a crash may lose, per segment
    int maxRestarts = 3;               // restarts after the server's file changed, then fail
    ChangedFilePolicy changedFilePolicy = ChangedFilePolicy::Restart;
    Backoff::Policy backoff;
};

} // namespace ferry
