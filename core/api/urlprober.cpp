#include "api/urlprober.h"

#include "engine/connection.h"
#include "engine/filenamesanitizer.h"

#include <QCoreApplication>

namespace ferry {

UrlProber::UrlProber(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ferry::ProbeInfo>();
}

UrlProber::~UrlProber() = default;

quint64 UrlProber::probe(const QUrl &url, const HeaderList &headers)
{
    const quint64 ticket = m_next++;
    m_queue.enqueue({ticket, url, headers});
    QMetaObject::invokeMethod(this, &UrlProber::pump, Qt::QueuedConnection);
    return ticket;
}

void UrlProber::cancelAll()
{
    m_queue.clear();
    m_running.clear();
    m_urls.clear();
}

void UrlProber::pump()
{
    while (int(m_running.size()) < maxParallel && !m_queue.isEmpty()) {
        const Pending p = m_queue.dequeue();
        ProbeInfo info;
        info.url = p.url;
        if (!p.url.isValid() || p.url.host().isEmpty()
            || (p.url.scheme() != QLatin1String("http") && p.url.scheme() != QLatin1String("https"))) {
            info.error = tr("Not a downloadable address (only http and https URLs).");
            emit finished(p.ticket, info);
            continue;
        }
        auto connection = std::make_unique<Connection>();
        const quint64 ticket = p.ticket;
        connect(connection.get(), &Connection::probed, this, [this, ticket](quint64, const ProbeResult &r) {
            ProbeInfo info;
            info.url = m_urls[ticket];
            info.finalUrl = r.finalUrl;
            info.fileName = sanitizeFileName(r.fileName);
            info.size = r.total;
            info.resumable = r.rangeSupported && r.total > 0;
            done(ticket, info);
        });
        connect(connection.get(), &Connection::failed, this, [this, ticket](quint64, const TransferError &e) {
            ProbeInfo info;
            info.url = m_urls[ticket];
            info.error = e.message;
            info.httpStatus = e.httpStatus;
            done(ticket, info);
        });
        TransferTask task;
        task.url = p.url;
        task.secretHeaders = p.headers; // a probe may carry credentials, for its own host only
        task.secretOrigin = p.url;
        task.probe = true;
        task.stallTimeoutMs = m_timeoutMs;
        m_urls[ticket] = p.url;
        connection->start(ticket, task);
        m_running[ticket] = std::move(connection);
    }
}

void UrlProber::done(quint64 ticket, const ProbeInfo &info)
{
    if (m_running.erase(ticket) == 0)
        return; // cancelled meanwhile
    m_urls.erase(ticket);
    emit finished(ticket, info);
    pump();
}

} // namespace ferry
