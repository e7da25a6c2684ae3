#include "zipread/rangefetcher.h"

#include "engine/contentrange.h"
#include "s3/s3client.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

constexpr int kMaxRedirects = 10;
constexpr int kMaxAttempts = 4;        // a request and three retries of a transient failure
constexpr int kRetryBaseMs = 400;      // 0.4 s, 0.8 s, 1.6 s
constexpr int kStallTimeoutMs = 30000; // a request without a byte for this long is retried

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::zipread::RangeFetcher", text);
}

QString changedText(const QString &detail)
{
    return tr("The archive changed on the server while it was being read (%1). Nothing of the new "
              "version was used; open it again to read the new version.")
        .arg(detail);
}

QString noRangesText()
{
    return tr("The server does not support byte ranges (it answers with the whole file instead of "
              "206 Partial Content), so the contents of a remote archive cannot be read without "
              "downloading all of it. Download the archive instead.");
}

bool isStrongEtag(const QByteArray &etag)
{
    return !etag.isEmpty() && !etag.startsWith("W/");
}

} // namespace

bool RangeFetcher::checkValidators(const QByteArray &etag, const QByteArray &lastModified,
                                   qint64 total, QString *why)
{
    if (m_total < 0) {
        // The first answer: these are the validators of the version being read.
        m_total = total;
        if (isStrongEtag(etag))
            m_etag = etag;
        else
            m_lastModified = lastModified;
        return true;
    }
    if (total >= 0 && total != m_total) {
        *why = changedText(tr("its size went from %1 to %2 bytes").arg(m_total).arg(total));
        return false;
    }
    if (!m_etag.isEmpty() && !etag.isEmpty() && etag != m_etag) {
        *why = changedText(tr("its ETag went from %1 to %2")
                               .arg(QString::fromLatin1(m_etag), QString::fromLatin1(etag)));
        return false;
    }
    if (!m_lastModified.isEmpty() && !lastModified.isEmpty() && lastModified != m_lastModified) {
        *why = changedText(tr("it was modified at %1").arg(QString::fromLatin1(lastModified)));
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------

struct HttpRangeFetcher::Call
{
    qint64 from = 0;
    qint64 length = 0;
    Done done;
    QUrl url;
    int attempt = 0;
    int redirects = 0;
    bool answered = false;
    RangeAnswer early; // decided from the headers (a 200 is aborted at once)
};

HttpRangeFetcher::HttpRangeFetcher(const QUrl &url,
                                   const QList<QPair<QByteArray, QByteArray>> &headers,
                                   QObject *parent)
    : RangeFetcher(parent), m_origin(url), m_url(url), m_headers(headers),
      m_nam(new QNetworkAccessManager(this))
{
}

HttpRangeFetcher::~HttpRangeFetcher()
{
    abortAll();
}

void HttpRangeFetcher::fetch(qint64 from, qint64 length, Done done)
{
    auto call = std::make_shared<Call>();
    call->from = from;
    call->length = length;
    call->done = std::move(done);
    call->url = m_url;
    send(call);
}

void HttpRangeFetcher::abortAll()
{
    const auto replies = m_replies;
    for (QNetworkReply *reply : replies)
        reply->abort();
}

void HttpRangeFetcher::send(const std::shared_ptr<Call> &call)
{
    QNetworkRequest request(call->url);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(kStallTimeoutMs);
    request.setRawHeader("User-Agent", "Ferry/" FERRY_VERSION);
    // Compressed transfer encodings would make the byte counts of a range meaningless.
    request.setRawHeader("Accept-Encoding", "identity");
    QByteArray range = "bytes=-" + QByteArray::number(call->length);
    if (call->from >= 0)
        range = "bytes=" + QByteArray::number(call->from) + '-' +
                QByteArray::number(call->from + call->length - 1);
    request.setRawHeader("Range", range);
    // If-Match makes a changed archive answer 412; If-Range covers servers that ignore If-Match
    // for ranges (they then send the whole new file, which is cut off at its headers).
    if (!m_etag.isEmpty()) {
        request.setRawHeader("If-Match", m_etag);
        request.setRawHeader("If-Range", m_etag);
    } else if (!m_lastModified.isEmpty()) {
        request.setRawHeader("If-Range", m_lastModified);
        request.setRawHeader("If-Unmodified-Since", m_lastModified);
    }
    if (call->url.host() == m_origin.host() && call->url.port() == m_origin.port()) {
        for (const auto &[name, value] : std::as_const(m_headers))
            request.setRawHeader(name, value);
    }
    ++m_requests;
    QNetworkReply *reply = m_nam->get(request);
    m_replies.insert(reply);
    connect(reply, &QNetworkReply::metaDataChanged, this,
            [this, reply, call] { headersArrived(reply, call); });
    connect(reply, &QNetworkReply::finished, this, [this, reply, call] { finished(reply, call); });
}

void HttpRangeFetcher::headersArrived(QNetworkReply *reply, const std::shared_ptr<Call> &call)
{
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200)
        return;
    // A whole file where a range was asked for. The body is not wanted (it may be many
    // gigabytes), so the reply ends here; only a small archive asked for by its tail is used
    // whole.
    const qint64 length = reply->header(QNetworkRequest::ContentLengthHeader).toLongLong();
    const bool firstAnswer = m_total < 0;
    if (firstAnswer && call->from < 0 && length > 0 && length <= call->length)
        return;
    if (firstAnswer)
        call->early = {RemoteFailure::NoRanges, noRangesText(), {}, -1, -1};
    else
        call->early = {RemoteFailure::Changed,
                       changedText(tr("the server no longer accepts its validators")),
                       {},
                       -1,
                       -1};
    reply->abort();
}

bool HttpRangeFetcher::retry(const std::shared_ptr<Call> &call)
{
    if (++call->attempt >= kMaxAttempts)
        return false;
    QTimer::singleShot(kRetryBaseMs << (call->attempt - 1), this, [this, call] { send(call); });
    return true;
}

void HttpRangeFetcher::finished(QNetworkReply *reply, const std::shared_ptr<Call> &call)
{
    m_replies.remove(reply);
    reply->deleteLater();
    if (call->answered)
        return;
    if (call->early.failure != RemoteFailure::None) {
        answer(call, call->early);
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply->error();
    if (error == QNetworkReply::OperationCanceledError && status == 0) {
        answer(call, {RemoteFailure::Aborted, tr("Cancelled."), {}, -1, -1});
        return;
    }
    if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
        const QUrl next = call->url.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
        if (++call->redirects > kMaxRedirects) {
            answer(call, {RemoteFailure::Http,
                          tr("Too many redirects (more than %1).").arg(kMaxRedirects),
                          {},
                          -1,
                          -1});
            return;
        }
        if (call->url.scheme() == u"https"_s && next.scheme() != u"https"_s) {
            answer(call, {RemoteFailure::Http,
                          tr("Refused a redirect from https to an unencrypted address."),
                          {},
                          -1,
                          -1});
            return;
        }
        if (m_total < 0)
            m_url = next; // later ranges go straight to where the first one was served
        call->url = next;
        send(call);
        return;
    }
    if (status == 0 || status == 502 || status == 503 || status == 504) {
        if (retry(call))
            return;
        const QString why = status ? tr("The server answered %1 (busy or unavailable).").arg(status)
                                   : reply->errorString();
        answer(call, {RemoteFailure::Network,
                      tr("Cannot read %1: %2").arg(m_origin.host(), why),
                      {},
                      -1,
                      -1});
        return;
    }
    if (status == 412) {
        answer(call,
               {RemoteFailure::Changed, changedText(tr("412 Precondition Failed")), {}, -1, -1});
        return;
    }
    const QByteArray etag = reply->rawHeader("ETag");
    const QByteArray lastModified = reply->rawHeader("Last-Modified");
    const QByteArray body = reply->readAll();
    if (status == 200 && m_total < 0 && call->from < 0 && body.size() <= call->length) {
        // A small archive sent whole: every later read is served from this one answer.
        QString why;
        checkValidators(etag, lastModified, body.size(), &why);
        answer(call, {RemoteFailure::None, {}, body, 0, body.size()});
        return;
    }
    if (status != 206) {
        const QString reason =
            reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        answer(call, {RemoteFailure::Http,
                      tr("The server answered %1 %2.").arg(status).arg(reason),
                      {},
                      -1,
                      -1});
        return;
    }
    const auto range = parseContentRange(reply->rawHeader("Content-Range"));
    qint64 first = call->from;
    if (range && range->total > 0 && call->from < 0)
        first = range->total - qMin(call->length, range->total);
    const qint64 expectedLength =
        call->from < 0 ? (range ? range->total - first : -1) : call->length;
    if (!range || range->total < 0 || range->first != first || range->length() != expectedLength ||
        body.size() != expectedLength) {
        if (error != QNetworkReply::NoError && retry(call))
            return;
        answer(
            call,
            {RemoteFailure::Http,
             tr("The server sent another byte range than the one asked for (%1 for %2, %3 bytes).")
                 .arg(QString::fromLatin1(reply->rawHeader("Content-Range")),
                      QString::fromLatin1(reply->request().rawHeader("Range")))
                 .arg(body.size()),
             {},
             -1,
             -1});
        return;
    }
    QString why;
    if (!checkValidators(etag, lastModified, range->total, &why)) {
        answer(call, {RemoteFailure::Changed, why, {}, -1, -1});
        return;
    }
    answer(call, {RemoteFailure::None, {}, body, first, range->total});
}

void HttpRangeFetcher::answer(const std::shared_ptr<Call> &call, RangeAnswer answer)
{
    call->answered = true;
    call->done(answer);
}

// ---------------------------------------------------------------------------------------------

S3RangeFetcher::S3RangeFetcher(const s3::Account &account, const s3::Credentials &credentials,
                               const QString &bucket, const QString &key, QObject *parent)
    : RangeFetcher(parent), m_client(new s3::Client(account, credentials, this)), m_bucket(bucket),
      m_key(key)
{
}

S3RangeFetcher::~S3RangeFetcher()
{
    abortAll();
}

void S3RangeFetcher::abortAll()
{
    const auto replies = m_replies;
    for (s3::Reply *reply : replies)
        reply->abort();
}

RangeAnswer S3RangeFetcher::failureOf(const s3::Error &error) const
{
    if (error.kind == s3::Error::Conflict)
        return {RemoteFailure::Changed, changedText(tr("its ETag no longer matches")), {}, -1, -1};
    const RemoteFailure kind = error.retryable() ? RemoteFailure::Network : RemoteFailure::Http;
    return {kind,
            tr("Cannot read %1: %2").arg(s3::Client::s3Uri(m_bucket, m_key), error.message),
            {},
            -1,
            -1};
}

void S3RangeFetcher::fetch(qint64 from, qint64 length, Done done)
{
    if (from >= 0 || m_total >= 0) {
        get(from < 0 ? qMax<qint64>(0, m_total - length) : from,
            from < 0 ? qMin(length, m_total) : length, done, 0);
        return;
    }
    // The tail of an object of unknown size: HeadObject tells the size and the ETag.
    ++m_requests;
    s3::Reply *head = m_client->headObject(m_bucket, m_key);
    m_replies.insert(head);
    connect(head, &s3::Reply::finished, this, [this, head, length, done] {
        m_replies.remove(head);
        if (head->error.isError()) {
            done(failureOf(head->error));
            return;
        }
        QString why;
        checkValidators(head->info.etag, {}, head->info.size, &why);
        if (m_total <= 0) {
            done({RemoteFailure::Corrupt,
                  tr("The object is empty."),
                  {},
                  -1,
                  qMax<qint64>(0, m_total)});
            return;
        }
        get(qMax<qint64>(0, m_total - length), qMin(length, m_total), done, 0);
    });
}

void S3RangeFetcher::get(qint64 from, qint64 length, const Done &done, int attempt)
{
    ++m_requests;
    s3::Reply *reply = m_client->getObject(m_bucket, m_key, from, from + length - 1, m_etag);
    m_replies.insert(reply);
    connect(reply, &s3::Reply::finished, this, [this, reply, from, length, done, attempt] {
        m_replies.remove(reply);
        if (reply->error.isError()) {
            if (reply->error.retryable() && attempt + 1 < kMaxAttempts) {
                QTimer::singleShot(
                    kRetryBaseMs << attempt, this,
                    [this, from, length, done, attempt] { get(from, length, done, attempt + 1); });
                return;
            }
            done(failureOf(reply->error));
            return;
        }
        QString why;
        if (!checkValidators(reply->info.etag, {}, reply->info.size, &why)) {
            done({RemoteFailure::Changed, why, {}, -1, -1});
            return;
        }
        if (reply->body.size() != length) {
            done({RemoteFailure::Http,
                  tr("The server sent %1 bytes where %2 were asked for.")
                      .arg(reply->body.size())
                      .arg(length),
                  {},
                  -1,
                  -1});
            return;
        }
        done({RemoteFailure::None, {}, reply->body, from, m_total});
    });
}

} // namespace ferry::zipread
