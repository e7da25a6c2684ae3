#pragma once

#include "api/downloadtypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace ferry::s3 {

// Access keys for one account. Never written to SQLite, settings files or logs.
struct Credentials
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; // optional (temporary credentials)
    bool isAnonymous() const { return accessKeyId.isEmpty(); }
};

inline constexpr QByteArrayView unsignedPayload = "UNSIGNED-PAYLOAD";
// SHA-256 of the empty body, hex.
inline constexpr QByteArrayView emptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// S3's flavour of URI encoding: every byte except A-Za-z0-9-._~ as %XX with uppercase hex;
// '/' kept when `keepSlash`.
QByteArray uriEncode(QByteArrayView raw, bool keepSlash);

// Building URLs whose wire form is what gets signed.
//
// The signer reads the path as the server decodes it (QUrl::path(QUrl::FullyDecoded)) and
// the query by splitting the encoded query on '&' and the first '=' and percent-decoding each
// part; it then encodes both itself. QUrl's own encoding leaves characters such as '+', '$',
// '&', '=' or ';' literal in some components, and S3 decodes a literal '+' in the query as a
// space, so the wire form would not match the signature. Build S3 URLs with these helpers:
// they store the uriEncode()d form, which QUrl then sends unchanged (QUrl::toEncoded()).
//   QUrl u(u"https://bucket.s3.eu-west-1.amazonaws.com"_s);
//   setObjectPath(u, u"/photos/a b+c.jpg"_s);   // wire: /photos/a%20b%2Bc.jpg
//   setQueryItems(u, {{u"list-type"_s, u"2"_s}, {u"prefix"_s, u"a&b"_s}});
void setObjectPath(QUrl &url, const QString &decodedPath); // '/' separates segments
void setQueryItems(QUrl &url, const QList<QPair<QString, QString>> &items); // empty value: "name"
QUrl withEncodedPath(const QUrl &base, const QString &decodedPath,
                     const QList<QPair<QString, QString>> &queryItems = {});
// True when a segment of the path is "." or "..". QNetworkAccessManager (Qt 6.4) removes such
// segments from the request line whatever their encoding, so the server would get another key
// than the one signed: refuse these keys with a clear error instead of sending them.
bool hasDotSegment(const QString &decodedPath);

// AWS Signature Version 4 for S3 (no path normalization, each segment encoded once).
// Pure functions of their arguments: thread-safe.
struct SigningInput
{
    QByteArray method; // "GET", "PUT", ...
    QUrl url;          // path and query as they go on the wire (see setObjectPath)
    // Headers to sign besides host / x-amz-*; names any case. Only headers that really go on
    // the wire unchanged (Range, Content-Type, Content-MD5, If-Match ...). A Host entry here
    // replaces the one derived from the URL. x-amz-date, x-amz-content-sha256,
    // x-amz-security-token and Authorization are the signer's and ignored here.
    HeaderList headers;
    QByteArray payloadSha256 =
        QByteArray(unsignedPayload.data(), unsignedPayload.size()); // hex, or UNSIGNED-PAYLOAD
    QDateTime time;                                                 // UTC signing time
    QString region;                                                 // "us-east-1"
    QString service = QStringLiteral("s3");
};

// Hex SHA-256 of a request body, for SigningInput::payloadSha256. Through libcrypto when the
// build has it (it uses the CPU's SHA instructions; QCryptographicHash in Qt 6.4 takes the
// input a byte at a time and costs several times more CPU for every part of an upload), else
// through QCryptographicHash. Thread-safe.
QByteArray payloadSha256Hex(QByteArrayView body);

// Headers to add: x-amz-date, x-amz-content-sha256, x-amz-security-token (when a session
// token is set) and Authorization. Anonymous credentials: only x-amz-content-sha256.
HeaderList signHeaders(const SigningInput &in, const Credentials &credentials);

// The query-string form (X-Amz-Algorithm ... X-Amz-Signature), valid for `expiresSeconds`
// (1 .. 604800; otherwise an empty QUrl). Signs the host header plus `in.headers` (normally
// none: a browser opening the link sends no others); the payload is UNSIGNED-PAYLOAD and
// X-Amz-Security-Token is part of the signed query. Anonymous credentials: `in.url` as is.
QUrl presign(const SigningInput &in, const Credentials &credentials, qint64 expiresSeconds);

// Pieces exposed for tests against published examples.
// `allHeaders` are used exactly as given (host and x-amz-date included by the caller).
QByteArray canonicalRequest(const SigningInput &in, const HeaderList &allHeaders,
                            QByteArray *signedHeaders);
QByteArray stringToSign(const QDateTime &time, const QString &region, const QString &service,
                        const QByteArray &canonicalRequest);
// Hex HMAC-SHA256 of `stringToSign` with the key derived from the secret, date, region and service.
QByteArray signature(const QString &secretAccessKey, const QDateTime &time, const QString &region,
                     const QString &service, const QByteArray &stringToSign);
// The Host header value for `url`: lowercase host, port only when not the scheme's default.
QByteArray hostHeader(const QUrl &url);

} // namespace ferry::s3
