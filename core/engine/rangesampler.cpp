#include "engine/rangesampler.h"

#include "engine/contentrange.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace ferry {

RangeSampler::RangeSampler()
{
    qRegisterMetaType<ferry::RangeSampler::Result>();
    m_thread.setObjectName(u"ferry-sampler"_s);
    moveToThread(&m_thread);
    m_thread.start();
}

RangeSampler::~RangeSampler()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_reply) {
                m_reply->disconnect(this);
                m_reply->abort();
                delete m_reply;
                m_reply = nullptr;
            }
            delete m_nam;
            m_nam = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void RangeSampler::run(const Request &request)
{
    QMetaObject::invokeMethod(
        this,
        [this, request] {
            if (!m_nam)
                m_nam = new QNetworkAccessManager(this);
            m_request = request;
            m_index = 0;
            if (!PartFile::matches(request.partPath, request.identity)) {
                finish({Outcome::Unavailable, -1,
                        tr("the partial file %1 is gone").arg(request.partPath)});
                return;
            }
            next();
        },
        Qt::QueuedConnection);
}

void RangeSampler::next()
{
    if (m_index >= m_request.ranges.size()) {
        finish({Outcome::Same, -1, {}});
        return;
    }
    const Range &r = m_request.ranges.at(m_index);
    QNetworkRequest request(m_request.url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // Not followed: a redirect could carry the credentials to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(m_request.timeoutMs);
    request.setRawHeader("Accept-Encoding", "identity");
    request.setRawHeader("User-Agent", "Ferry/" FERRY_VERSION);
    const QUrl &url = m_request.url;
    const QUrl &origin = m_request.secretOrigin;
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == u"https"_s ? 443 : 80); };
    if (url.scheme() == origin.scheme() && url.host() == origin.host() &&
        port(url) == port(origin)) {
        for (const auto &[name, value] : m_request.secretHeaders)
            request.setRawHeader(name, value);
    }
    request.setRawHeader("Range", "bytes=" + QByteArray::number(r.start) + '-' +
                                      QByteArray::number(r.start + r.length - 1));
    if (!m_request.ifRange.isEmpty())
        request.setRawHeader("If-Range", m_request.ifRange);
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &RangeSampler::onFinished);
}

void RangeSampler::onFinished()
{
    QNetworkReply *reply = std::exchange(m_reply, nullptr);
    reply->deleteLater();
    const Range r = m_request.ranges.at(m_index);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray contentRange = reply->rawHeader("Content-Range");
    const auto range = parseContentRange(contentRange);
    const QByteArray coding = reply->rawHeader("Content-Encoding").trimmed().toLower();
    if (status != 206) {
        const QString why =
            status > 0 ? tr("the server answered a byte range with HTTP status %1").arg(status)
                       : reply->errorString();
        finish({Outcome::Unavailable, -1, why});
        return;
    }
    if (!range || range->first != r.start || range->last != r.start + r.length - 1 ||
        (m_request.total >= 0 && range->total != m_request.total) ||
        (!coding.isEmpty() && coding != "identity")) {
        finish({Outcome::Unavailable, -1,
                tr("the server sent other bytes than the range asked for (%1)")
                    .arg(QString::fromLatin1(contentRange))});
        return;
    }
    const QByteArray remote = reply->readAll();
    if (reply->error() != QNetworkReply::NoError || remote.size() != r.length) {
        finish({Outcome::Unavailable, -1,
                tr("the byte range at offset %1 did not arrive whole").arg(r.start)});
        return;
    }
    QFile file(m_request.partPath);
    QByteArray local;
    if (file.open(QIODevice::ReadOnly) && file.seek(r.start))
        local = file.read(r.length);
    if (local.size() != r.length) {
        finish({Outcome::Unavailable, -1,
                tr("the partial file %1 could not be read").arg(m_request.partPath)});
        return;
    }
    for (qint64 i = 0; i < r.length; ++i) {
        if (local.at(i) != remote.at(i)) {
            finish({Outcome::Differs, r.start + i, {}});
            return;
        }
    }
    ++m_index;
    next();
}

void RangeSampler::finish(const Result &result)
{
    emit done(result);
}

} // namespace ferry
