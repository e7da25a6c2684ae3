#include "engine/failurepolicy.h"

#include <optional>

namespace ferry {

FailurePolicy::FailurePolicy(Backoff backoff, ChangedFilePolicy changedFile, int maxRestarts)
    : m_backoff(std::move(backoff)), m_changedFile(changedFile), m_maxRestarts(maxRestarts)
{
}

FailureDecision FailurePolicy::decide(const FailureContext &c) const
{
    FailureDecision d;
    switch (c.error.kind) {
    case TransferError::FileChanged:
        if (m_changedFile == ChangedFilePolicy::Fail) {
            d.action = FailureDecision::StopChangedFile;
            return d;
        }
        d.restarts = c.restarts + 1;
        d.action = d.restarts > m_maxRestarts ? FailureDecision::GiveUpRestarts : FailureDecision::StartOver;
        return d;
    case TransferError::Fatal: {
        // Redirect targets are often signed, short-lived links: when one stops working, the
        // original URL may hand out a fresh one for the same file.
        const int status = c.error.httpStatus;
        const bool expiredTarget = (status == 401 || status == 403 || status == 404 || status == 410)
            && !c.refreshingUrl && c.planned && c.redirected;
        d.action = expiredTarget ? FailureDecision::RefreshUrl : FailureDecision::Fail;
        return d;
    }
    case TransferError::Disk:
        d.action = FailureDecision::Pause;
        return d;
    case TransferError::IfRangeIgnored:
        d.action = FailureDecision::RetryWithoutIfRange;
        return d;
    case TransferError::Throttled:
    case TransferError::Network:
    case TransferError::WrongRange:
        break;
    }
    return retry(c);
}

FailureDecision FailurePolicy::retry(const FailureContext &c) const
{
    FailureDecision d;
    if (c.error.kind == TransferError::Throttled) {
        d.throttled = true;
        d.linkCap = qMax(1, c.links - 1);
    }
    if (c.duplicate) {
        // The original is still at it; racing again waits like any retry, but is never given up.
        d.action = FailureDecision::RetryDuplicate;
        d.delayMs = m_backoff.delayMs(c.duplicateFailures);
        d.failures = c.duplicateFailures + 1;
        return d;
    }
    // Only failures without progress in between count towards giving up: a long download over
    // a flaky line keeps going as long as each attempt gets further.
    if (c.onSegment)
        d.failures = c.lastFailureWritten == c.written ? c.segmentFailures + 1 : 1;
    else
        d.failures = c.probeFailures + 1;
    if (m_backoff.exhausted(d.failures)) {
        d.action = FailureDecision::GiveUp;
        return d;
    }
    const qint64 retryAfter = c.error.retryAfterMs;
    d.delayMs = m_backoff.delayMs(d.failures - 1, retryAfter >= 0 ? std::optional<qint64>(retryAfter) : std::nullopt);
    if (c.probing || !c.onSegment) {
        d.action = FailureDecision::RetryProbe;
        return d;
    }
    d.action = FailureDecision::RetrySegment;
    d.rewind = !c.resumable;
    d.retireLink = c.error.kind == TransferError::Throttled && c.links > 1;
    return d;
}

} // namespace ferry
