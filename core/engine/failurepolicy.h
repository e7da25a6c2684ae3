#pragma once

#include "api/downloadtypes.h"
#include "engine/backoff.h"
#include "engine/transfertypes.h"

namespace ferry {

// What the job knew when one of its requests failed.
struct FailureContext {
    TransferError error;
    // What the connection was doing.
    bool probing = false;
    bool duplicate = false;          // racing another connection for the tail of a segment
    bool onSegment = false;          // its range is one of the download's segments
    int segmentFailures = 0;         // that segment's consecutive failures so far
    qint64 lastFailureWritten = -1;  // its bytes written at its previous failure
    qint64 written = 0;              // its bytes written now
    int probeFailures = 0;
    int duplicateFailures = 0;
    int links = 0;                   // connections of the download, the failed one included
    // The download.
    bool resumable = false;
    bool planned = false;
    bool redirected = false;         // requests go to a redirect target, not the URL itself
    bool refreshingUrl = false;      // already asking the URL for a fresh target
    int restarts = 0;                // restarts after the server's file changed
};

struct FailureDecision {
    enum Action {
        StopChangedFile, // the file changed and the settings say stop rather than start over
        GiveUpRestarts,  // the file kept changing
        StartOver,       // the file changed: everything from byte 0
        RefreshUrl,      // the redirect target stopped working: ask the URL for a fresh one
        Fail,            // retrying will not help
        Pause,           // the disk failed: keep what is there until the user resumes
        GiveUp,          // retries exhausted
        RetryProbe,
        RetrySegment,
        RetryDuplicate,
        // The server does not evaluate If-Range: the work is retried at once without it, each
        // reply still checked by its own validators.
        RetryWithoutIfRange,
    };
    Action action = Fail;
    int restarts = 0;         // StartOver, GiveUpRestarts: the download's new restart count
    bool throttled = false;   // the host is busy: step it down, cap the download at linkCap
    int linkCap = 0;
    int failures = 0;         // GiveUp, Retry*: the new count for the segment, probe or race
    qint64 delayMs = 0;       // Retry*: how long the work waits
    bool rewind = false;      // RetrySegment: a single stream can only start again from byte 0
    bool retireLink = false;  // RetrySegment: one connection fewer instead of retrying on it
};

// Decides what a failed request means for its download. Pure apart from the backoff's jitter:
// the job gathers the context, applies the decision and words the messages itself.
class FailurePolicy final
{
public:
    FailurePolicy(Backoff backoff, ChangedFilePolicy changedFile, int maxRestarts);

    FailureDecision decide(const FailureContext &context) const;

private:
    FailureDecision retry(const FailureContext &context) const;

    Backoff m_backoff;
    ChangedFilePolicy m_changedFile;
    int m_maxRestarts;
};

} // namespace ferry
