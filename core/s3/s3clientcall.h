#pragma once

// Client::Call, shared by the files that make the client's calls (s3client.cpp: the transport
// and the bucket and object calls; s3clientmultipart.cpp: multipart uploads). Not for use
// outside the client.
#include "s3/s3client.h"
#include "s3/s3errors.h"
#include "s3/s3request.h"
#include "s3/s3xml.h"

#include <functional>

class QNetworkReply;

namespace ferry::s3 {

// The Content-Type to send: the caller's, else `fallback`.
inline QByteArray contentTypeOr(const QString &contentType, QByteArrayView fallback)
{
    return contentType.isEmpty() ? fallback.toByteArray() : contentType.toUtf8();
}

// One logical call. It may go out more than once: again in the bucket's real region, again
// with the clock corrected, or once per page / batch (ListParts, DeleteObjects).
struct Client::Call {
    using Query = QList<QPair<QString, QString>>;

    QByteArray method;
    QString bucket;
    QString key;
    Query query;
    HeaderList headers; // sent and signed
    QByteArray body;
    bool signPayload = false;          // hash the body instead of signing it as empty
    qint64 maxBody = xml::maxBodyBytes; // larger replies are refused; < 0: no cap (GetObject)
    bool regionRetried = false;
    bool skewRetried = false;
    bool aborted = false;
    bool tooLarge = false;
    RateLimiters limiters;   // object bodies only; empty: not throttled
    QStringList pendingKeys; // DeleteObjects batches still to send
    // Reads a 2xx reply into the Reply (setting its error on failure); true sends the call
    // again for the next page or batch.
    using OnSuccess = std::function<bool(Call &, Reply *, QNetworkReply *, const QByteArray &)>;
    OnSuccess onSuccess;

    // Reads a listing that comes in pages (up to 1,000 entries each) to its last page: each
    // page is parsed with `parse`, then `next` adds its entries to the reply and returns the
    // query of the page after it (used when the page is truncated). A server that hands back
    // the markers it was given would page forever: a next query that repeats the current one
    // is refused, saying `stuck`.
    template <typename Page>
    static OnSuccess pages(bool (*parse)(const QByteArray &, Page *, QString *),
                           std::function<Query(Reply *, const Page &, const Query &current)> next, QString stuck)
    {
        return [parse, next, stuck](Call &c, Reply *r, QNetworkReply *, const QByteArray &body) {
            QString why;
            Page page;
            if (!parse(body, &page, &why)) {
                r->error = badResponse(why);
                return false;
            }
            Query following = next(r, page, c.query);
            if (page.truncated && following == c.query)
                r->error = badResponse(stuck);
            if (!page.truncated || r->error.isError())
                return false;
            c.query = std::move(following);
            return true;
        };
    }
};

} // namespace ferry::s3
