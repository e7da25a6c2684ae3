#include "s3/s3errors.h"

#include "s3/s3client.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::s3::Error", text);
}

QString subject(const ErrorContext &c)
{
    if (c.bucket.isEmpty())
        return tr("this service");
    return c.key.isEmpty() ? u"s3://%1"_s.arg(c.bucket) : Client::s3Uri(c.bucket, c.key);
}

// HEAD replies and some proxies carry no <Error>: derive the code S3 would have sent.
QString codeForStatus(int status, const ErrorContext &c)
{
    switch (status) {
    case 301: return u"PermanentRedirect"_s;
    case 400: return u"BadRequest"_s;
    case 403: return u"AccessDenied"_s;
    case 404: return c.key.isEmpty() ? u"NoSuchBucket"_s : u"NoSuchKey"_s;
    case 405: return u"MethodNotAllowed"_s;
    case 409: return u"Conflict"_s;
    case 412: return u"PreconditionFailed"_s;
    case 416: return u"InvalidRange"_s;
    case 429: return u"SlowDown"_s;
    case 500: return u"InternalError"_s;
    case 501: return u"NotImplemented"_s;
    case 503: return u"ServiceUnavailable"_s;
    default: return {};
    }
}

QString messageFor(const Error &e, const QString &serverMessage, const ErrorContext &c)
{
    const QString &code = e.code;
    if (code == u"SignatureDoesNotMatch")
        return tr("The secret key does not match the access key for this account. Check the account's credentials.");
    if (code == u"InvalidAccessKeyId")
        return tr("The service does not know this account's access key. Check the account's credentials.");
    if (code == u"ExpiredToken" || code == u"TokenRefreshRequired")
        return tr("The session token of this account has expired. Renew the account's credentials.");
    if (code == u"InvalidToken")
        return tr("The session token of this account is not valid. Check the account's credentials.");
    if (code == u"AccessDenied" || code == u"AllAccessDisabled" || code == u"AccountProblem")
        return tr("This account is not allowed to do that on %1. Check the account's permissions.").arg(subject(c));
    if (code == u"NoSuchBucket")
        return tr("There is no bucket named “%1” on this service.").arg(c.bucket);
    if (code == u"NoSuchKey")
        return tr("%1 does not exist (any more).").arg(subject(c));
    if (code == u"NoSuchUpload")
        return tr("The upload to %1 no longer exists on the service; it was completed or cancelled.").arg(subject(c));
    if (code == u"PreconditionFailed")
        return tr("%1 changed on the server.").arg(subject(c));
    if (code == u"InvalidRange")
        return tr("The requested range lies outside of %1.").arg(subject(c));
    if (code == u"RequestTimeTooSkewed")
        return tr("This computer's clock differs too much from the service's. Check the system time.");
    if (code == u"PermanentRedirect" || code == u"AuthorizationHeaderMalformed" || code == u"TemporaryRedirect") {
        if (!e.region.isEmpty())
            return tr("The bucket “%1” is in region %2, not %3.").arg(c.bucket, e.region, c.region);
        return tr("The bucket “%1” is in another region. Set the account's region or endpoint.").arg(c.bucket);
    }
    if (code == u"SlowDown" || code == u"ServiceUnavailable" || code == u"RequestLimitExceeded")
        return tr("The service is busy and asks to slow down. Try again shortly.");
    if (code == u"InternalError")
        return tr("The service had an internal error. Try again shortly.");
    if (code == u"MethodNotAllowed" || code == u"NotImplemented")
        return tr("This service does not support that operation.");
    if (code == u"EntityTooSmall")
        return tr("A part of the upload is smaller than the service's minimum part size.");
    if (code == u"EntityTooLarge")
        return tr("The upload is larger than the service accepts.");
    if (code == u"InvalidPart" || code == u"InvalidPartOrder")
        return tr("The service rejected the list of uploaded parts of %1.").arg(subject(c));
    if (code == u"QuotaExceeded" || code == u"TooManyBuckets")
        return tr("The account's storage quota is exhausted.");
    if (code == u"InvalidBucketName")
        return tr("“%1” is not a valid bucket name.").arg(c.bucket);
    // Unknown codes: the server's own sentence is the most specific thing there is. Only the
    // <Message> element is used; it carries no signature material (those come in other elements).
    if (!serverMessage.isEmpty())
        return tr("The service refused the request (%1): %2").arg(code, serverMessage.left(300));
    if (!code.isEmpty())
        return tr("The service refused the request (%1, HTTP %2).").arg(code).arg(e.httpStatus);
    return tr("The service refused the request (HTTP %1).").arg(e.httpStatus);
}

} // namespace

Error::Kind errorKind(const QString &code, int httpStatus)
{
    static const QHash<QString, Error::Kind> kinds = {
        {u"SignatureDoesNotMatch"_s, Error::Auth},     {u"InvalidAccessKeyId"_s, Error::Auth},
        {u"ExpiredToken"_s, Error::Auth},              {u"TokenRefreshRequired"_s, Error::Auth},
        {u"InvalidToken"_s, Error::Auth},              {u"RequestTimeTooSkewed"_s, Error::Auth},
        {u"AuthorizationHeaderMalformed"_s, Error::Auth}, {u"AccessDenied"_s, Error::Denied},
        {u"AllAccessDisabled"_s, Error::Denied},       {u"AccountProblem"_s, Error::Denied},
        {u"NoSuchBucket"_s, Error::NotFound},          {u"NoSuchKey"_s, Error::NotFound},
        {u"NoSuchUpload"_s, Error::NotFound},          {u"NotFound"_s, Error::NotFound},
        {u"PreconditionFailed"_s, Error::Conflict},    {u"Conflict"_s, Error::Conflict},
        {u"OperationAborted"_s, Error::Conflict},      {u"SlowDown"_s, Error::Throttled},
        {u"ServiceUnavailable"_s, Error::Throttled},   {u"RequestLimitExceeded"_s, Error::Throttled},
        {u"InternalError"_s, Error::Throttled},        {u"RequestTimeout"_s, Error::Network},
        {u"MethodNotAllowed"_s, Error::Unsupported},   {u"NotImplemented"_s, Error::Unsupported},
    };
    const auto it = kinds.constFind(code);
    if (it != kinds.constEnd())
        return *it;
    switch (httpStatus) {
    case 401:
        return Error::Auth;
    case 403:
        return Error::Denied;
    case 404:
        return Error::NotFound;
    case 405:
    case 501:
        return Error::Unsupported;
    case 409:
    case 412:
        return Error::Conflict;
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
        return Error::Throttled;
    default:
        return Error::Other;
    }
}

Error errorFromReply(int httpStatus, const xml::ErrorBody &body, const ErrorContext &context)
{
    Error e;
    e.httpStatus = httpStatus;
    e.code = body.code.isEmpty() ? codeForStatus(httpStatus, context) : body.code;
    e.kind = errorKind(e.code, httpStatus);
    if (e.kind == Error::None)
        e.kind = Error::Other;
    e.region = body.region;
    e.message = messageFor(e, body.message, context);
    return e;
}

Error errorFromReply(int httpStatus, const QByteArray &body, const ErrorContext &context)
{
    xml::ErrorBody parsed;
    if (!body.isEmpty() && !xml::parseError(body, &parsed))
        parsed = {};
    return errorFromReply(httpStatus, parsed, context);
}

Error networkError(QNetworkReply::NetworkError error, const QString &detail, const QString &host)
{
    Error e;
    e.kind = Error::Network;
    e.code = u"Network"_s;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        e.message = tr("%1 refused the connection.").arg(host);
        break;
    case QNetworkReply::HostNotFoundError:
        e.message = tr("The server %1 was not found. Check the account's endpoint.").arg(host);
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // a transfer timeout ends this way
        e.message = tr("%1 stopped answering.").arg(host);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        e.message = tr("A secure connection to %1 could not be established: %2").arg(host, detail);
        break;
    default:
        e.message = tr("The connection to %1 failed: %2").arg(host, detail);
        break;
    }
    return e;
}

Error badResponse(const QString &why)
{
    Error e;
    e.kind = Error::BadResponse;
    e.code = u"BadResponse"_s;
    e.message = tr("The service sent a reply that is not valid S3 (%1).").arg(why);
    return e;
}

Error cancelledError()
{
    Error e;
    e.kind = Error::Other;
    e.code = u"Cancelled"_s;
    e.message = tr("The request was cancelled.");
    return e;
}

} // namespace ferry::s3
