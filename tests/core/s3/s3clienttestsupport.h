#pragma once

// What the S3 client tests share: waiting for a reply, accounts and keys for the test servers.
#include "s3/s3client.h"

#include "cannedserver.h"
#include "rgwserver.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace ferry::test {

using namespace ferry::s3;

// What a Reply carried when it finished (the Reply deletes itself afterwards).
struct Result {
    Error error;
    QByteArray body;
    QList<Bucket> buckets;
    ListPage page;
    ObjectInfo info;
    QString uploadId;
    QByteArray etag;
    QList<Part> parts;
    QStringList failedKeys;
};

inline Result await(Reply *reply, int timeoutMs = 60'000)
{
    Result out;
    bool done = false;
    QObject::connect(reply, &Reply::finished, reply, [&] {
        out = Result{reply->error, reply->body,   reply->buckets, reply->page,      reply->info,
                     reply->uploadId, reply->etag, reply->parts,   reply->failedKeys};
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, timeoutMs))
        out.error = ferry::s3::Error{Error::Other, 0, u"TestTimeout"_s, u"no reply in time"_s, {}};
    return out;
}

inline Account accountFor(const QUrl &endpoint)
{
    Account a;
    a.id = u"test"_s;
    a.name = u"Test"_s;
    a.endpoint = endpoint;
    a.pathStyle = true;
    return a;
}

inline Credentials goodCredentials()
{
    return Credentials{RgwServer::accessKey(), RgwServer::secretKey(), {}};
}

inline QByteArray errorXml(const QByteArray &code, const QByteArray &extra = {})
{
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>m</Message>" + extra
        + "<RequestId>r</RequestId></Error>";
}

inline QString scopeRegion(const QByteArray &authorization)
{
    // "AWS4-HMAC-SHA256 Credential=AK/20240101/REGION/s3/aws4_request, ..."
    const QList<QByteArray> scope = authorization.mid(authorization.indexOf("Credential=") + 11).split('/');
    return QString::fromLatin1(scope.value(2));
}

} // namespace ferry::test
