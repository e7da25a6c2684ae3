// Client: the transport (signing, regions, clock skew, retries, throttled bodies) and the calls
// on buckets and objects; multipart uploads are in s3clientmultipart.cpp.
#include "s3/s3client.h"
#include "s3/s3clientcall.h"

#include "engine/backoff.h"
#include "s3/s3errors.h"
#include "s3/s3request.h"
#include "s3/s3signer.h"
#include "s3/s3xml.h"
#include "s3/throttledbody.h"
#include "s3/throttledreader.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

constexpr int transferTimeoutMs = 60'000;
constexpr int maxDeleteBatch = 1000; // S3's limit per DeleteObjects request

QByteArray sha256Hex(const QByteArray &data)
{
    return payloadSha256Hex(data); // libcrypto when built with it: parts of uploads are hashed here
}

} // namespace

void Reply::abort()
{
    if (m_abort)
        m_abort();
}

Client::Client(Account account, Credentials credentials, QObject *parent)
    : QObject(parent)
    , m_account(std::move(account))
    , m_credentials(std::move(credentials))
{
    m_nams.push_back(newManager());
}

QNetworkAccessManager *Client::newManager()
{
    auto *nam = new QNetworkAccessManager(this);
    // S3 signs the exact request; a silently followed redirect would go out with a
    // signature for another host. Redirects are handled as region hints instead.
    nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_inFlight.insert(nam, 0);
    return nam;
}

void Client::setMaxConnections(int connections)
{
    const size_t wanted = size_t(qMax(1, (connections + kConnectionsPerManager - 1) / kConnectionsPerManager));
    while (m_nams.size() < wanted)
        m_nams.push_back(newManager());
    // Fewer managers later: the extra ones finish what they carry and simply get no more work.
    while (m_nams.size() > wanted)
        m_nams.pop_back();
}

QNetworkAccessManager *Client::leastBusyManager()
{
    QNetworkAccessManager *best = m_nams.front();
    for (QNetworkAccessManager *nam : m_nams) {
        if (m_inFlight.value(nam) < m_inFlight.value(best))
            best = nam;
    }
    return best;
}

Client::~Client() = default;

bool Client::isAnonymous() const
{
    return m_account.anonymous || m_credentials.isAnonymous();
}

void Client::rememberRegion(const QString &bucket, const QString &region)
{
    if (!region.isEmpty() && !m_regions.contains(bucket))
        m_regions.insert(bucket, region);
}

QString Client::regionOf(const QString &bucket) const
{
    return m_regions.value(bucket, m_account.region);
}

QString Client::s3Uri(const QString &bucket, const QString &key)
{
    return key.isEmpty() ? u"s3://%1/"_s.arg(bucket) : u"s3://%1/%2"_s.arg(bucket, key);
}

QUrl Client::objectUrl(const QString &bucket, const QString &key) const
{
    return s3Url(m_account, regionOf(bucket), bucket, key);
}

QUrl Client::presignedUrl(const QString &bucket, const QString &key, qint64 expiresSeconds,
                          const QByteArray &method) const
{
    if (isAnonymous())
        return objectUrl(bucket, key);
    SigningInput in;
    in.method = method;
    in.url = objectUrl(bucket, key);
    in.time = QDateTime::currentDateTimeUtc().addSecs(m_skewSeconds);
    in.region = regionOf(bucket);
    return presign(in, m_credentials, expiresSeconds);
}

std::shared_ptr<const RequestSigner> Client::signerFor(const QString &bucket) const
{
    return std::make_shared<ObjectSigner>(isAnonymous() ? Credentials{} : m_credentials, regionOf(bucket),
                                          m_skewSeconds);
}

Reply *Client::send(std::shared_ptr<Call> call)
{
    // Replies are children of the client: they cannot outlive the QNAM that carries them.
    auto *reply = new Reply(this);
    dispatch(std::move(call), reply);
    return reply;
}

void Client::finish(Reply *reply, const Error &error)
{
    reply->m_abort = nullptr;
    if (error.isError())
        reply->error = error;
    emit reply->finished();
    reply->deleteLater();
}

void Client::dispatch(std::shared_ptr<Call> call, QPointer<Reply> reply)
{
    if (reply.isNull())
        return;
    const QString region = call->bucket.isEmpty() ? m_account.region : regionOf(call->bucket);
    const QUrl url = s3Url(m_account, region, call->bucket, call->key, call->query);

    QNetworkRequest request(url);
    // One TCP connection per request keeps uploads and listings from queueing behind each
    // other, and identity encoding keeps Content-Length meaningful.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(transferTimeoutMs);
    request.setRawHeader("Accept-Encoding", "identity");
    for (const auto &[name, value] : std::as_const(call->headers))
        request.setRawHeader(name, value);
    if (!isAnonymous()) {
        SigningInput in;
        in.method = call->method;
        in.url = url;
        in.headers = call->headers;
        in.payloadSha256 = call->signPayload ? sha256Hex(call->body) : emptyPayloadSha256.toByteArray();
        in.time = QDateTime::currentDateTimeUtc().addSecs(m_skewSeconds);
        in.region = region;
        for (const auto &[name, value] : signHeaders(in, m_credentials))
            request.setRawHeader(name, value);
    }

    const bool throttled = hasLimiters(call->limiters);
    QNetworkAccessManager *nam = leastBusyManager();
    QNetworkReply *network = nullptr;
    if (call->method == "GET")
        network = nam->get(request);
    else if (call->method == "HEAD")
        network = nam->head(request);
    else if (call->method == "PUT" && throttled)
        network = putThrottled(nam, request, *call);
    else if (call->method == "PUT")
        network = nam->put(request, call->body);
    else if (call->method == "POST")
        network = nam->post(request, call->body);
    else if (call->method == "DELETE")
        network = nam->deleteResource(request);
    else
        network = nam->sendCustomRequest(request, call->method, call->body);
    ++m_inFlight[nam];
    connect(network, &QObject::destroyed, this, [this, nam] { --m_inFlight[nam]; });

    const QPointer<QNetworkReply> guard(network);
    // A throttled body may still be read after Qt finished the reply.
    const QPointer<ThrottledReader> reader =
        throttled && call->method == "GET" ? new ThrottledReader(network, call->limiters) : nullptr;
    reply->m_abort = [call, guard, reader] {
        call->aborted = true;
        if (guard)
            guard->abort();
        if (reader)
            reader->cancel();
    };
    // Qt reports (0, 0) once a request is finished; that is no progress worth passing on.
    connect(network, &QNetworkReply::uploadProgress, reply, [reply](qint64 done, qint64 total) {
        if (done > 0 || total > 0)
            emit reply->progress(done, total);
    });
    connect(network, &QNetworkReply::downloadProgress, reply, [reply, call](qint64 done, qint64 total) {
        if (call->method == "GET")
            emit reply->progress(done, total);
    });
    if (call->maxBody >= 0) {
        connect(network, &QNetworkReply::readyRead, this, [call, guard] {
            if (guard && guard->bytesAvailable() > call->maxBody) {
                call->tooLarge = true;
                guard->abort();
            }
        });
    }
    if (reader) {
        connect(reader, &ThrottledReader::done, this, [this, call, reply, network, region, reader] {
            handleFinished(call, reply, network, region, reader->takeBody());
        });
    } else {
        connect(network, &QNetworkReply::finished, this, [this, call, reply, network, region] {
            // An aborted reply is closed: nothing to read.
            handleFinished(call, reply, network, region, network->isOpen() ? network->readAll() : QByteArray());
        });
    }
}

QNetworkReply *Client::putThrottled(QNetworkAccessManager *nam, QNetworkRequest request, const Call &call)
{
    // A device of known length is streamed by Qt as it is read (not buffered first), and the
    // length header states it up front.
    auto *body = new ThrottledBody(call.body, call.limiters);
    request.setHeader(QNetworkRequest::ContentLengthHeader, qint64(call.body.size()));
    QNetworkReply *network = nam->put(request, body);
    body->setParent(network); // must live until the reply is finished; goes with it
    return network;
}

void Client::handleFinished(const std::shared_ptr<Call> &call, const QPointer<Reply> &reply,
                            QNetworkReply *network, const QString &region, const QByteArray &body)
{
    network->deleteLater();
    if (reply.isNull())
        return;
    reply->m_abort = nullptr;
    if (call->aborted && !call->tooLarge)
        return finish(reply, cancelledError());
    if (call->tooLarge)
        return finish(reply, badResponse(u"reply larger than %1 bytes"_s.arg(call->maxBody)));

    const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError netError = network->error();
    // Qt maps HTTP error statuses to NetworkError values too (400 even to a "protocol"
    // error); only a missing status, or an error on top of a 2xx, is a transport failure.
    const bool success = status >= 200 && status < 300;
    if (status == 0 || (success && netError != QNetworkReply::NoError))
        return finish(reply, networkError(netError, network->errorString(), network->url().host()));

    const QByteArray bucketRegion = network->rawHeader("x-amz-bucket-region");
    if (!bucketRegion.isEmpty() && !call->bucket.isEmpty())
        m_regions.insert(call->bucket, QString::fromLatin1(bucketRegion));

    if (success) {
        // Qt may report a connection cut mid-body as success: only the length proves it.
        bool lengthOk = false;
        const qint64 expected = network->rawHeader("Content-Length").toLongLong(&lengthOk);
        if (call->method != "HEAD" && lengthOk && expected != body.size())
            return finish(reply, networkError(QNetworkReply::RemoteHostClosedError,
                                              tr("the reply ended after %1 of %2 bytes").arg(body.size()).arg(expected),
                                              network->url().host()));
        const bool again = call->onSuccess ? call->onSuccess(*call, reply, network, body) : false;
        if (again && !reply->error.isError()) {
            call->regionRetried = call->skewRetried = false;
            return dispatch(call, reply);
        }
        return finish(reply);
    }

    xml::ErrorBody parsed;
    if (!body.isEmpty() && !xml::parseError(body, &parsed))
        parsed = {};
    if (parsed.region.isEmpty())
        parsed.region = QString::fromLatin1(bucketRegion);

    // Wrong region: S3 names the right one (body or header); remember it and go there once.
    const bool regionHint = status == 301 || status == 307
        || (status == 400 && parsed.code == u"AuthorizationHeaderMalformed");
    if (regionHint && !call->bucket.isEmpty() && !call->regionRetried && !parsed.region.isEmpty()
        && parsed.region != region) {
        m_regions.insert(call->bucket, parsed.region);
        call->regionRetried = true;
        return dispatch(call, reply);
    }

    // Our clock is off: take the server's and sign again once.
    if (status == 403 && parsed.code == u"RequestTimeTooSkewed" && !call->skewRetried) {
        QDateTime serverTime = parseHttpDate(network->rawHeader("Date"));
        if (!serverTime.isValid())
            serverTime = QDateTime::fromString(parsed.serverTime, Qt::ISODateWithMs);
        if (serverTime.isValid()) {
            m_skewSeconds = QDateTime::currentDateTimeUtc().secsTo(serverTime);
            call->skewRetried = true;
            return dispatch(call, reply);
        }
    }

    Error error = errorFromReply(status, parsed, ErrorContext{call->bucket, call->key, region});
    // Busy services (503 SlowDown, 429) may say when to come back; retries wait that long.
    if (const auto after = parseRetryAfterMs(network->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc()))
        error.retryAfterMs = *after;
    finish(reply, error);
}

Reply *Client::listBuckets()
{
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->onSuccess = [](Call &, Reply *r, QNetworkReply *, const QByteArray &body) {
        QString why;
        if (!xml::parseListBuckets(body, &r->buckets, &why))
            r->error = badResponse(why);
        return false;
    };
    return send(call);
}

Reply *Client::listObjects(const QString &bucket, const QString &prefix, const QString &delimiter,
                           const QString &continuationToken, int maxKeys)
{
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->bucket = bucket;
    // encoding-type=url lets keys with characters XML 1.0 cannot carry come through; the
    // parser decodes them only when the reply says it applied the encoding.
    call->query = {{u"list-type"_s, u"2"_s}, {u"encoding-type"_s, u"url"_s},
                   {u"max-keys"_s, QString::number(qBound(1, maxKeys, 1000))}};
    if (!prefix.isEmpty())
        call->query.append(qMakePair(u"prefix"_s, prefix));
    if (!delimiter.isEmpty())
        call->query.append(qMakePair(u"delimiter"_s, delimiter));
    if (!continuationToken.isEmpty())
        call->query.append(qMakePair(u"continuation-token"_s, continuationToken));
    call->onSuccess = [](Call &, Reply *r, QNetworkReply *, const QByteArray &body) {
        QString why;
        if (!xml::parseListObjects(body, &r->page, &why))
            r->error = badResponse(why);
        return false;
    };
    return send(call);
}

Reply *Client::headObject(const QString &bucket, const QString &key)
{
    auto call = std::make_shared<Call>();
    call->method = "HEAD";
    call->bucket = bucket;
    call->key = key;
    call->onSuccess = [](Call &c, Reply *r, QNetworkReply *network, const QByteArray &) {
        r->info = objectInfoFrom(network, c.key);
        return false;
    };
    return send(call);
}

Reply *Client::getObject(const QString &bucket, const QString &key, qint64 from, qint64 to,
                         const QByteArray &ifMatch, std::optional<RateLimiters> limiters)
{
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->limiters = limiters.value_or(m_limiters);
    call->bucket = bucket;
    call->key = key;
    call->maxBody = -1;
    const bool ranged = from > 0 || to >= 0;
    if (ranged) {
        const QByteArray end = to >= 0 ? QByteArray::number(to) : QByteArray();
        call->headers.append({"Range", "bytes=" + QByteArray::number(qMax<qint64>(0, from)) + '-' + end});
    }
    if (!ifMatch.isEmpty())
        call->headers.append({"If-Match", ifMatch});
    call->onSuccess = [ranged, from, to](Call &c, Reply *r, QNetworkReply *network, const QByteArray &body) {
        r->info = objectInfoFrom(network, c.key);
        const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (ranged && status == 200) {
            // The server ignored the range and sent everything: cut out what was asked.
            r->body = body.mid(from, to >= 0 ? to - from + 1 : -1);
        } else {
            r->body = body;
        }
        return false;
    };
    return send(call);
}

Reply *Client::putObject(const QString &bucket, const QString &key, const QByteArray &data,
                         const QString &contentType, std::optional<RateLimiters> limiters)
{
    auto call = std::make_shared<Call>();
    call->method = "PUT";
    call->limiters = limiters.value_or(m_limiters);
    call->bucket = bucket;
    call->key = key;
    call->body = data;
    call->signPayload = true;
    call->headers.append({"Content-Type", contentTypeOr(contentType, "application/octet-stream")});
    call->onSuccess = [](Call &, Reply *r, QNetworkReply *network, const QByteArray &) {
        r->etag = network->rawHeader("ETag");
        return false;
    };
    return send(call);
}

Reply *Client::deleteObjects(const QString &bucket, const QStringList &keys)
{
    auto call = std::make_shared<Call>();
    call->method = "POST";
    call->bucket = bucket;
    call->query = {{u"delete"_s, QString()}};
    call->signPayload = true;
    call->pendingKeys = keys;
    // Takes the next batch of ≤ 1,000 keys into the request body.
    const auto nextBatch = [](Call &c) {
        const QStringList batch = c.pendingKeys.mid(0, maxDeleteBatch);
        c.pendingKeys = c.pendingKeys.mid(batch.size());
        c.body = xml::deleteObjectsBody(batch);
        c.headers = {{"Content-Type", "application/xml"},
                     {"Content-MD5", QCryptographicHash::hash(c.body, QCryptographicHash::Md5).toBase64()}};
    };
    nextBatch(*call);
    call->onSuccess = [nextBatch](Call &c, Reply *r, QNetworkReply *, const QByteArray &body) {
        QString why;
        xml::DeleteResult result;
        if (!xml::parseDeleteResult(body, &result, &why)) {
            r->error = badResponse(why);
            return false;
        }
        r->failedKeys += result.failedKeys;
        if (c.pendingKeys.isEmpty())
            return false;
        nextBatch(c);
        return true;
    };
    if (keys.isEmpty()) {
        auto *reply = new Reply(this);
        QTimer::singleShot(0, reply, [this, reply] { finish(reply); });
        return reply;
    }
    return send(call);
}

} // namespace ferry::s3
