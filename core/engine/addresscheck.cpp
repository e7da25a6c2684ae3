#include "engine/addresscheck.h"

#include "engine/connection.h"

#include <algorithm>

namespace ferry {

AddressCheck::AddressCheck(QObject *parent) : QObject(parent)
{
}

AddressCheck::~AddressCheck() = default;

QList<RangeSampler::Range> AddressCheck::samplePlan(const QList<RangeSampler::Range> &done,
                                                    int count)
{
    constexpr qint64 maxLength = 16 * 1024;
    QList<RangeSampler::Range> pieces;
    qint64 total = 0;
    for (const RangeSampler::Range &r : done) {
        if (r.length > 0) {
            pieces.append(r);
            total += r.length;
        }
    }
    std::sort(pieces.begin(), pieces.end(),
              [](const auto &a, const auto &b) { return a.start < b.start; });
    QList<RangeSampler::Range> plan;
    if (total == 0 || count <= 0)
        return plan;
    const qint64 length = std::min(maxLength, std::max<qint64>(1, total / count));
    // Each sample sits in the middle of its share of the bytes on disk, counted across the
    // pieces in file order; it is clipped to the piece it starts in.
    for (int i = 0; i < count; ++i) {
        qint64 at = total * (2 * i + 1) / (2 * count) - length / 2;
        at = std::clamp<qint64>(at, 0, total - 1);
        for (const RangeSampler::Range &piece : std::as_const(pieces)) {
            if (at >= piece.length) {
                at -= piece.length;
                continue;
            }
            const qint64 start =
                piece.start + std::min(at, std::max<qint64>(0, piece.length - length));
            const qint64 len = std::min(length, piece.start + piece.length - start);
            if (plan.isEmpty() || plan.last().start + plan.last().length <= start)
                plan.append({start, len});
            break;
        }
    }
    return plan;
}

void AddressCheck::start(const QUrl &url, const HeaderList &secrets, const Expected &expected,
                         int timeoutMs)
{
    m_url = url;
    m_secrets = secrets;
    m_expected = expected;
    m_timeoutMs = timeoutMs;
    m_probe = std::make_unique<Connection>();
    connect(m_probe.get(), &Connection::probed, this,
            [this](quint64, const ProbeResult &r) { onProbed(r); });
    connect(m_probe.get(), &Connection::failed, this, [this](quint64, const TransferError &e) {
        conclude(false, tr("The new address does not work: %1").arg(e.message));
    });
    TransferTask task;
    task.url = url;
    task.secretHeaders = secrets; // for the new address's own origin only, as with any download
    task.secretOrigin = url;
    task.probe = true;
    task.probeLast = 0; // one byte tells size and validators; nothing already on disk is fetched
    task.stallTimeoutMs = timeoutMs;
    m_probe->start(1, task);
}

void AddressCheck::onProbed(const ProbeResult &r)
{
    // The probe has said all it can; whatever its connection reports later is not about the
    // address any more (the samples are).
    disconnect(m_probe.get(), nullptr, this, nullptr);
    m_probe->stop();
    m_verdict.finalUrl = r.finalUrl;
    m_verdict.etag = r.etag;
    m_verdict.lastModified = r.lastModified;
    m_verdict.rangeSupported = r.rangeSupported;
    m_verdict.validated = !r.etag.isEmpty() || !r.lastModified.isEmpty();
    const Expected &e = m_expected;
    // A download that never learnt its size has nothing on disk to protect (see the manager).
    if (e.total >= 0 && r.total < 0) {
        conclude(false, tr("The new address does not say how large its file is, so it cannot be "
                           "compared with this download."));
        return;
    }
    if (e.total >= 0 && r.total != e.total) {
        conclude(false, tr("Not the same file: the size differs (%1 bytes at the new address, %2 "
                           "bytes in this download).")
                            .arg(r.total)
                            .arg(e.total));
        return;
    }
    const bool etags = !e.etag.isEmpty() && !r.etag.isEmpty();
    const bool dates = !e.lastModified.isEmpty() && !r.lastModified.isEmpty();
    if (etags && e.etag != r.etag) {
        conclude(
            false,
            tr("Not the same file: the ETag differs (%1 at the new address, %2 in this download).")
                .arg(QString::fromLatin1(r.etag), QString::fromLatin1(e.etag)));
        return;
    }
    if (dates && e.lastModified != r.lastModified) {
        conclude(false, tr("Not the same file: Last-Modified differs (%1 at the new address, %2 in "
                           "this download).")
                            .arg(r.lastModified, e.lastModified));
        return;
    }
    // Matching validators only say the two servers agree with themselves: an ETag is meant for
    // one address, and two different files built together can share size and date (and so an
    // ETag made of them). The bytes on disk are compared in every case; the validators can only
    // refuse.
    const QList<RangeSampler::Range> samples = samplePlan(e.done);
    const bool haveBytes =
        std::any_of(e.done.begin(), e.done.end(), [](const auto &d) { return d.length > 0; });
    if (haveBytes && !r.rangeSupported) {
        conclude(false, r.rangesUnusable.isEmpty()
                            ? tr("The new address does not serve byte ranges, so the download "
                                 "could not go on from where it stopped.")
                            : tr("%1, so the download could not go on from where it stopped.")
                                  .arg(r.rangesUnusable));
        return;
    }
    if (samples.isEmpty()) {
        conclude(true, {});
        return;
    }
    // The bytes themselves are asked for, where the download has them.
    RangeSampler::Request request;
    request.url = r.finalUrl.isValid() && !r.finalUrl.isEmpty() ? r.finalUrl : m_url;
    request.secretHeaders = m_secrets;
    request.secretOrigin = m_url;
    request.ifRange = !r.etag.isEmpty() ? r.etag : r.lastModified.toLatin1();
    request.total = e.total;
    request.partPath = e.partPath;
    request.identity = e.identity;
    request.ranges = samples;
    request.timeoutMs = m_timeoutMs;
    m_sampler = std::make_unique<RangeSampler>();
    connect(m_sampler.get(), &RangeSampler::done, this, [this](const RangeSampler::Result &result) {
        switch (result.outcome) {
        case RangeSampler::Outcome::Same:
            conclude(true, {});
            return;
        case RangeSampler::Outcome::Differs:
            conclude(false,
                     tr("Not the same file: the bytes at offset %1 differ.").arg(result.offset));
            return;
        case RangeSampler::Outcome::Unavailable:
            conclude(
                false,
                tr("The new address could not be compared with the bytes already downloaded: %1.")
                    .arg(result.message));
            return;
        }
    });
    m_sampler->run(request);
}

void AddressCheck::conclude(bool same, const QString &message)
{
    if (std::exchange(m_done, true))
        return;
    if (m_probe)
        m_probe->stop(); // a server that ignored the one-byte range would go on sending
    m_verdict.same = same;
    m_verdict.message = message;
    emit finished(m_verdict);
}

} // namespace ferry
