// Client: multipart uploads — create, upload a part, complete, abort, and the listings of
// parts and of unfinished uploads. The transport is in s3client.cpp.
#include "s3/s3client.h"
#include "s3/s3clientcall.h"

#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

Reply *Client::createMultipartUpload(const QString &bucket, const QString &key, const QString &contentType)
{
    auto call = std::make_shared<Call>();
    call->method = "POST";
    call->bucket = bucket;
    call->key = key;
    call->query = {{u"uploads"_s, QString()}};
    call->headers.append({"Content-Type", contentTypeOr(contentType, "application/octet-stream")});
    call->onSuccess = [](Call &, Reply *r, QNetworkReply *, const QByteArray &body) {
        QString why;
        if (!xml::parseInitiateMultipartUpload(body, &r->uploadId, &why))
            r->error = badResponse(why);
        return false;
    };
    return send(call);
}

Reply *Client::uploadPart(const QString &bucket, const QString &key, const QString &uploadId, int partNumber,
                          const QByteArray &data, std::optional<RateLimiters> limiters)
{
    auto call = std::make_shared<Call>();
    call->method = "PUT";
    call->limiters = limiters.value_or(m_limiters);
    call->bucket = bucket;
    call->key = key;
    call->query = {{u"partNumber"_s, QString::number(partNumber)}, {u"uploadId"_s, uploadId}};
    call->body = data;
    call->signPayload = true;
    call->headers.append({"Content-Type", QByteArray("application/octet-stream")});
    call->onSuccess = [](Call &, Reply *r, QNetworkReply *network, const QByteArray &) {
        r->etag = network->rawHeader("ETag");
        if (r->etag.isEmpty())
            r->error = badResponse(u"UploadPart reply without ETag"_s);
        return false;
    };
    return send(call);
}

Reply *Client::completeMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId,
                                       const QList<Part> &parts)
{
    auto call = std::make_shared<Call>();
    call->method = "POST";
    call->bucket = bucket;
    call->key = key;
    call->query = {{u"uploadId"_s, uploadId}};
    call->body = xml::completeMultipartUploadBody(parts);
    call->signPayload = true;
    call->headers.append({"Content-Type", QByteArray("application/xml")});
    call->onSuccess = [](Call &c, Reply *r, QNetworkReply *, const QByteArray &body) {
        QString why;
        xml::ErrorBody failure;
        if (!xml::parseCompleteMultipartUpload(body, &r->etag, &failure, &why))
            r->error = badResponse(why);
        else if (!failure.code.isEmpty())
            r->error = errorFromReply(200, failure, ErrorContext{c.bucket, c.key, {}});
        return false;
    };
    return send(call);
}

Reply *Client::abortMultipartUpload(const QString &bucket, const QString &key, const QString &uploadId)
{
    auto call = std::make_shared<Call>();
    call->method = "DELETE";
    call->bucket = bucket;
    call->key = key;
    call->query = {{u"uploadId"_s, uploadId}};
    return send(call);
}

Reply *Client::listParts(const QString &bucket, const QString &key, const QString &uploadId, int pageSize)
{
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->bucket = bucket;
    call->key = key;
    const QPair<QString, QString> maxParts{u"max-parts"_s, QString::number(qBound(1, pageSize, 1000))};
    call->query = {maxParts, {u"uploadId"_s, uploadId}};
    // An upload may have 10,000 parts: ten pages.
    call->onSuccess = Call::pages<xml::PartsPage>(
        xml::parseListParts,
        [uploadId, maxParts](Reply *r, const xml::PartsPage &page, const Call::Query &current) {
            r->parts += page.parts;
            // Part numbers only grow: a marker that does not counts as handed back unchanged.
            int marker = 0;
            for (const auto &[name, value] : current) {
                if (name == u"part-number-marker"_s)
                    marker = value.toInt();
            }
            if (page.nextPartNumberMarker <= marker)
                return current;
            return Call::Query{maxParts, {u"part-number-marker"_s, QString::number(page.nextPartNumberMarker)},
                               {u"uploadId"_s, uploadId}};
        },
        u"the part list does not advance"_s);
    return send(call);
}

Reply *Client::listMultipartUploads(const QString &bucket, const QString &prefix, int pageSize)
{
    auto call = std::make_shared<Call>();
    call->method = "GET";
    call->bucket = bucket;
    // No encoding-type=url here: RGW then encodes the keys without saying so (no
    // <EncodingType>) and leaves the markers as they are, so nothing could be decoded right.
    Call::Query base{{u"uploads"_s, QString()}, {u"max-uploads"_s, QString::number(qBound(1, pageSize, 1000))}};
    if (!prefix.isEmpty())
        base.append(qMakePair(u"prefix"_s, prefix));
    call->query = base;
    // The next page starts after both markers.
    call->onSuccess = Call::pages<xml::UploadsPage>(
        xml::parseListMultipartUploads,
        [base](Reply *r, const xml::UploadsPage &page, const Call::Query &) {
            r->uploads += page.uploads;
            Call::Query next = base;
            next.append(qMakePair(u"key-marker"_s, page.nextKeyMarker));
            if (!page.nextUploadIdMarker.isEmpty())
                next.append(qMakePair(u"upload-id-marker"_s, page.nextUploadIdMarker));
            return next;
        },
        u"the upload list repeats its page"_s);
    return send(call);
}

} // namespace ferry::s3
