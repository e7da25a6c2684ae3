#pragma once

#include "api/downloadtypes.h"

#include <QObject>
#include <QQueue>
#include <map>
#include <memory>

namespace ferry {

class Connection;

// Looks at URLs before they are added: the name the file will get, its size, whether it can
// resume, or what is wrong (404, TLS, no such host) — shown to the user while deciding, not as
// a later failure. Uses the same probe request as a download, then drops the body.
// Lives on the thread that made it; at most a few probes run at once, the rest wait in line.
class UrlProber final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UrlProber)
public:
    explicit UrlProber(QObject *parent = nullptr);
    ~UrlProber() override;

    // Returns a ticket that finished() carries.
    quint64 probe(const QUrl &url, const HeaderList &headers = {});
    void cancelAll();
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    static constexpr int maxParallel = 4;

signals:
    void finished(quint64 ticket, const ferry::ProbeInfo &info);

private:
    struct Pending {
        quint64 ticket;
        QUrl url;
        HeaderList headers;
    };
    void pump();
    void done(quint64 ticket, const ProbeInfo &info);

    QQueue<Pending> m_queue;
    std::map<quint64, std::unique_ptr<Connection>> m_running;
    std::map<quint64, QUrl> m_urls;
    quint64 m_next = 1;
    int m_timeoutMs = 15'000;
};

} // namespace ferry
