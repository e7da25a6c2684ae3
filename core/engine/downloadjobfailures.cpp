// What a download does when a connection fails: retry the range later, hand it to another
// connection, start over when the file changed, or give up with the reason.
#include "engine/downloadjob.h"

#include "engine/connection.h"
#include "engine/failurepolicy.h"
#include "engine/hostlimiter.h"
#include "engine/partfile.h"
#include "engine/segmentplanner.h"
#include "storage/storage.h"

using namespace Qt::StringLiterals;

namespace ferry {

void DownloadJob::onFailed(quint64 serial, quint64 taskId, const TransferError &error)
{
    Link *link = m_links.find(serial, taskId);
    if (!link)
        return;
    const auto progress = link->progress;
    const bool duplicate = bool(link->duplicateOf);
    SegmentTable::Segment *segment = progress && !duplicate ? m_segments.find(progress) : nullptr;
    const FailureContext c{.error = error, .probing = link->probing, .duplicate = duplicate, .onSegment = bool(segment),
                           .segmentFailures = segment ? segment->failures : 0,
                           .lastFailureWritten = segment ? segment->lastFailureWritten : -1,
                           .written = segment ? progress->written.load() : 0, .probeFailures = m_probeFailures,
                           .duplicateFailures = m_duplicateFailures, .links = m_links.size(),
                           .resumable = m_record.resumable, .planned = m_planned,
                           .redirected = !m_record.finalUrl.isEmpty() && m_record.finalUrl != m_record.url,
                           .refreshingUrl = m_refreshingUrl, .restarts = m_record.restarts};
    ConnectionSet::release(*link);
    // An archive entry's span belongs to the version of the archive that was listed: a new
    // version needs a new listing, so it is never restarted from here.
    const ChangedFilePolicy onChange = m_zipEntry ? ChangedFilePolicy::Fail : m_env.settings->changedFilePolicy;
    const FailureDecision d = FailurePolicy(Backoff(m_env.settings->backoff), onChange,
                                            m_env.settings->maxRestarts).decide(c);

    switch (d.action) {
    case FailureDecision::StopChangedFile:
        if (m_zipEntry) {
            fail(entryChangedMessage());
            return;
        }
        fail(tr("%1 The download was stopped so that no file mixes two versions; add it again to start over.").arg(error.message));
        return;
    case FailureDecision::GiveUpRestarts:
        m_record.restarts = d.restarts;
        fail(tr("%1 It kept changing; gave up after %2 restarts.").arg(error.message).arg(m_env.settings->maxRestarts));
        return;
    case FailureDecision::StartOver:
        m_record.restarts = d.restarts;
        restartFromZero(error.message);
        return;
    case FailureDecision::RefreshUrl:
        logEvent(tr("%1 Asking the original address for a fresh link.").arg(error.message));
        m_refreshingUrl = true;
        m_links.clear();
        m_record.finalUrl = QUrl();
        probe();
        return;
    case FailureDecision::Fail:
        fail(error.message);
        return;
    case FailureDecision::Pause:
        pause(tr("Cannot write %1: %2. Nothing already downloaded is lost; resume when this is fixed.")
                  .arg(m_record.partPath, error.message));
        return;
    case FailureDecision::RetryWithoutIfRange:
        if (!std::exchange(m_ifRangeIgnored, true))
            logEvent(tr("%1 The server does not evaluate If-Range; ranges go on without it, each checked by its ETag or Last-Modified.").arg(error.message));
        if (segment)
            segment->notBeforeMs = now(); // retried at once: nothing was wrong with the file
        else
            m_links.retire(serial);
        fillConnections();
        return;
    case FailureDecision::GiveUp:
    case FailureDecision::RetryProbe:
    case FailureDecision::RetrySegment:
    case FailureDecision::RetryDuplicate:
        break;
    }
    if (d.throttled) {
        m_env.hosts->stepDown(host(), now());
        m_linkCap = d.linkCap;
    }
    if (d.action == FailureDecision::RetryDuplicate) {
        m_duplicateFailures = d.failures;
        m_scheduler.holdDuplicatesUntil(now() + d.delayMs);
        m_links.retire(serial);
        fillConnections();
        return;
    }
    if (segment) {
        segment->failures = d.failures;
        segment->lastFailureWritten = c.written;
    } else {
        m_probeFailures = d.failures;
    }
    if (d.action == FailureDecision::GiveUp) {
        fail(tr("%1 Gave up after %2 attempts.").arg(error.message).arg(d.failures));
        return;
    }
    m_record.message = tr("%1 Retrying in %2 s.").arg(error.message).arg((d.delayMs + 999) / 1000);
    logEvent(m_record.message);
    if (d.action == FailureDecision::RetryProbe) {
        m_links.retire(serial);
        m_probeNotBeforeMs = now() + d.delayMs;
        return;
    }
    segment->notBeforeMs = now() + d.delayMs;
    if (d.rewind)
        progress->written = 0;
    if (d.retireLink)
        m_links.retire(serial);
    fillConnections();
}

void DownloadJob::restartFromZero(const QString &why)
{
    // After close() returns, no connection of the old plan can write another byte.
    m_gate->close();
    m_gate = std::make_shared<WriteGate>();
    m_links.clear();
    m_segments.clear();
    m_planned = false;
    m_record.etag.clear();
    m_record.lastModified.clear();
    m_record.total = -1;
    m_record.segments.clear();
    m_record.message = tr("%1 Starting over from zero.").arg(why);
    logEvent(m_record.message);
    save();
    probe();
}

} // namespace ferry
