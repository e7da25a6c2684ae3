#include "selftest.h"

#include "sandbox.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTimeZone>

namespace ferry::test {

QByteArray Fetched::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool Fetched::hasHeader(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QNetworkRequest makeRequest(const QUrl &url, const RawHeaders &headers, int transferTimeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    if (transferTimeoutMs > 0)
        request.setTransferTimeout(transferTimeoutMs);
    return request;
}

QNetworkReply *startFetch(QNetworkAccessManager &nam, const QUrl &url, Fetched *out,
                          const RawHeaders &headers, int transferTimeoutMs, bool head)
{
    const QNetworkRequest request = makeRequest(url, headers, transferTimeoutMs);
    QNetworkReply *reply = head ? nam.head(request) : nam.get(request);
    QElapsedTimer timer;
    timer.start();
    QObject::connect(reply, &QNetworkReply::readyRead, reply,
                     [reply, out] { out->body += reply->readAll(); });
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, out, timer] {
        if (reply->isOpen()) // an aborted reply is closed; its bytes were taken in readyRead
            out->body += reply->readAll();
        out->elapsedMs = timer.elapsed();
        out->status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out->error = reply->error();
        out->headers = reply->rawHeaderPairs();
    });
    return reply;
}

bool fetch(QNetworkAccessManager &nam, const QUrl &url, Fetched *out, const RawHeaders &headers,
           int transferTimeoutMs, bool head)
{
    QNetworkReply *reply = startFetch(nam, url, out, headers, transferTimeoutMs, head);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    const bool ok = finished.wait(60000);
    reply->deleteLater();
    return ok;
}

bool finishAll(const QList<QNetworkReply *> &replies)
{
    bool ok = true;
    for (QNetworkReply *reply : replies) {
        if (!reply->isFinished()) {
            QSignalSpy finished(reply, &QNetworkReply::finished);
            ok = finished.wait(60000) && ok;
        }
        reply->deleteLater();
    }
    return ok;
}

QByteArray sliceRange(qint64 size, int parts, int i)
{
    const qint64 first = i * size / parts;
    const qint64 last = (i + 1) * size / parts - 1;
    return "bytes=" + QByteArray::number(first) + '-' + QByteArray::number(last);
}

Resource makeResource(qint64 size, quint32 seed)
{
    Resource r;
    r.body = deterministicBytes(size, seed);
    r.etag = QByteArrayLiteral("\"v1\"");
    r.lastModified = QDateTime(QDate(2024, 5, 17), QTime(10, 20, 30), QTimeZone::utc());
    return r;
}

} // namespace ferry::test
