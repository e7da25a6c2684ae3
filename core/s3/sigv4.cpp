#include "s3/sigv4.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <map>

#ifdef FERRY_HAVE_LIBCRYPTO
#include <openssl/evp.h>
#endif

using namespace Qt::StringLiterals;

namespace ferry::s3 {

namespace {

constexpr QByteArrayView algorithm = "AWS4-HMAC-SHA256";
constexpr qint64 maxPresignSeconds = 7 * 24 * 3600;

bool isUnreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

QByteArray amzDate(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s).toLatin1();
}

QByteArray shortDate(const QDateTime &time)
{
    return time.toUTC().toString(u"yyyyMMdd"_s).toLatin1();
}

QByteArray scope(const QDateTime &time, const QString &region, const QString &service)
{
    return shortDate(time) + '/' + region.toUtf8() + '/' + service.toUtf8() + "/aws4_request";
}

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

// The path as the server decodes it, encoded once per segment. S3 never normalizes: "//",
// "." and ".." are part of the key.
QByteArray canonicalUri(const QUrl &url)
{
    const QByteArray decoded = url.path(QUrl::FullyDecoded).toUtf8();
    if (decoded.isEmpty())
        return "/";
    return uriEncode(decoded, true);
}

// Each name and value percent-decoded from the wire form, then encoded our way, so "%7e" and
// "~" sign alike, as the server reads them. A literal '+' stays a plus (RFC 3986); servers
// that read it as a space would disagree, which is why setQueryItems never sends one.
QByteArray canonicalQuery(const QUrl &url)
{
    if (!url.hasQuery())
        return {};
    const QByteArray raw = url.query(QUrl::FullyEncoded).toLatin1();
    QList<QPair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &piece : raw.split('&')) {
        if (piece.isEmpty())
            continue;
        const qsizetype eq = piece.indexOf('=');
        const QByteArray name = eq < 0 ? piece : piece.left(eq);
        const QByteArray value = eq < 0 ? QByteArray() : piece.mid(eq + 1);
        pairs.append({uriEncode(QByteArray::fromPercentEncoding(name), false),
                      uriEncode(QByteArray::fromPercentEncoding(value), false)});
    }
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[name, value] : std::as_const(pairs)) {
        if (!out.isEmpty())
            out += '&';
        out += name + '=' + value;
    }
    return out;
}

// Lowercase names, sorted; values trimmed with inner runs of whitespace collapsed; repeated
// names joined with ',' in the order given.
void canonicalHeaders(const HeaderList &headers, QByteArray *canonical, QByteArray *signedNames)
{
    std::map<QByteArray, QByteArray> merged;
    for (const auto &[name, value] : headers) {
        const QByteArray key = name.trimmed().toLower();
        const QByteArray cleaned = value.simplified();
        auto it = merged.find(key);
        if (it == merged.end())
            merged.emplace(key, cleaned);
        else
            it->second += ',' + cleaned;
    }
    canonical->clear();
    signedNames->clear();
    for (const auto &[name, value] : merged) {
        *canonical += name + ':' + value + '\n';
        if (!signedNames->isEmpty())
            *signedNames += ';';
        *signedNames += name;
    }
}

bool isSignerOwned(const QByteArray &name)
{
    const QByteArray lower = name.trimmed().toLower();
    return lower == "x-amz-date" || lower == "x-amz-content-sha256" ||
           lower == "x-amz-security-token" || lower == "authorization";
}

// The caller's headers (minus the ones the signer sets) plus Host unless the caller gave one.
HeaderList baseHeaders(const SigningInput &in)
{
    HeaderList out;
    bool hasHost = false;
    for (const auto &header : in.headers) {
        if (isSignerOwned(header.first))
            continue;
        hasHost = hasHost || header.first.trimmed().compare("host", Qt::CaseInsensitive) == 0;
        out.append(header);
    }
    if (!hasHost)
        out.prepend({"host", hostHeader(in.url)});
    return out;
}

QByteArray encodedQueryPair(QByteArrayView name, QByteArrayView value)
{
    return uriEncode(name, false) + '=' + uriEncode(value, false);
}

} // namespace

QByteArray uriEncode(QByteArrayView raw, bool keepSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    out.reserve(raw.size() * 3);
    for (const char c : raw) {
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

void setObjectPath(QUrl &url, const QString &decodedPath)
{
    QByteArray encoded = uriEncode(decodedPath.toUtf8(), true);
    if (!encoded.startsWith('/'))
        encoded.prepend('/');
    // TolerantMode keeps every %XX as given; only %XX of unreserved characters would be
    // decoded, and uriEncode never produces those.
    url.setPath(QString::fromLatin1(encoded), QUrl::TolerantMode);
}

void setQueryItems(QUrl &url, const QList<QPair<QString, QString>> &items)
{
    if (items.isEmpty()) {
        url.setQuery(QString());
        return;
    }
    QByteArray query;
    for (const auto &[name, value] : items) {
        if (!query.isEmpty())
            query += '&';
        query += uriEncode(name.toUtf8(), false);
        if (!value.isEmpty())
            query += '=' + uriEncode(value.toUtf8(), false);
    }
    url.setQuery(QString::fromLatin1(query), QUrl::TolerantMode);
}

QUrl withEncodedPath(const QUrl &base, const QString &decodedPath,
                     const QList<QPair<QString, QString>> &queryItems)
{
    QUrl url = base;
    setObjectPath(url, decodedPath);
    setQueryItems(url, queryItems);
    return url;
}

bool hasDotSegment(const QString &decodedPath)
{
    const auto segments = QStringView(decodedPath).split(u'/');
    return std::any_of(segments.cbegin(), segments.cend(),
                       [](QStringView segment) { return segment == u"." || segment == u".."; });
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLower().toUtf8();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int port = url.port();
    const QString scheme = url.scheme().toLower();
    const bool defaultPort =
        port < 0 || (scheme == u"http"_s && port == 80) || (scheme == u"https"_s && port == 443);
    if (!defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

QByteArray canonicalRequest(const SigningInput &in, const HeaderList &allHeaders,
                            QByteArray *signedHeaders)
{
    QByteArray headers;
    QByteArray names;
    canonicalHeaders(allHeaders, &headers, &names);
    if (signedHeaders)
        *signedHeaders = names;
    return in.method + '\n' + canonicalUri(in.url) + '\n' + canonicalQuery(in.url) + '\n' +
           headers + '\n' + names + '\n' + in.payloadSha256;
}

QByteArray stringToSign(const QDateTime &time, const QString &region, const QString &service,
                        const QByteArray &canonicalRequest)
{
    return algorithm.toByteArray() + '\n' + amzDate(time) + '\n' + scope(time, region, service) +
           '\n' + QCryptographicHash::hash(canonicalRequest, QCryptographicHash::Sha256).toHex();
}

QByteArray signature(const QString &secretAccessKey, const QDateTime &time, const QString &region,
                     const QString &service, const QByteArray &stringToSign)
{
    QByteArray key = hmac("AWS4" + secretAccessKey.toUtf8(), shortDate(time));
    key = hmac(key, region.toUtf8());
    key = hmac(key, service.toUtf8());
    key = hmac(key, "aws4_request");
    return hmac(key, stringToSign).toHex();
}

QByteArray payloadSha256Hex(QByteArrayView body)
{
#ifdef FERRY_HAVE_LIBCRYPTO
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(body.data(), size_t(body.size()), digest, &length, EVP_sha256(), nullptr) == 1 && length == 32)
        return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
#endif
    return QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
}

HeaderList signHeaders(const SigningInput &in, const Credentials &credentials)
{
    const QByteArray payload =
        in.payloadSha256.isEmpty() ? unsignedPayload.toByteArray() : in.payloadSha256;
    HeaderList added;
    if (credentials.isAnonymous()) {
        added.append({"x-amz-content-sha256", payload});
        return added;
    }
    added.append({"x-amz-date", amzDate(in.time)});
    added.append({"x-amz-content-sha256", payload});
    if (!credentials.sessionToken.isEmpty())
        added.append({"x-amz-security-token", credentials.sessionToken.toUtf8()});

    SigningInput input = in;
    input.payloadSha256 = payload;
    const HeaderList all = baseHeaders(in) + added;
    QByteArray signedNames;
    const QByteArray request = canonicalRequest(input, all, &signedNames);
    const QByteArray sts = stringToSign(in.time, in.region, in.service, request);
    const QByteArray sig =
        signature(credentials.secretAccessKey, in.time, in.region, in.service, sts);
    added.append({"Authorization", algorithm.toByteArray() +
                                       " Credential=" + credentials.accessKeyId.toUtf8() + '/' +
                                       scope(in.time, in.region, in.service) +
                                       ", SignedHeaders=" + signedNames + ", Signature=" + sig});
    return added;
}

QUrl presign(const SigningInput &in, const Credentials &credentials, qint64 expiresSeconds)
{
    if (expiresSeconds < 1 || expiresSeconds > maxPresignSeconds)
        return {};
    if (credentials.isAnonymous())
        return in.url;

    const HeaderList headers = baseHeaders(in);
    QByteArray canonical;
    QByteArray signedNames;
    canonicalHeaders(headers, &canonical, &signedNames);

    // The caller's query stays as it is on the wire; the X-Amz-* parameters follow it.
    QByteArray query =
        in.url.hasQuery() ? in.url.query(QUrl::FullyEncoded).toLatin1() : QByteArray();
    const auto append = [&query](QByteArrayView name, QByteArrayView value) {
        if (!query.isEmpty())
            query += '&';
        query += encodedQueryPair(name, value);
    };
    append("X-Amz-Algorithm", algorithm);
    append("X-Amz-Credential", QByteArray(credentials.accessKeyId.toUtf8() + '/' +
                                          scope(in.time, in.region, in.service)));
    append("X-Amz-Date", amzDate(in.time));
    append("X-Amz-Expires", QByteArray::number(expiresSeconds));
    append("X-Amz-SignedHeaders", signedNames);
    if (!credentials.sessionToken.isEmpty())
        append("X-Amz-Security-Token", credentials.sessionToken.toUtf8());

    SigningInput input = in;
    input.url.setQuery(QString::fromLatin1(query), QUrl::TolerantMode);
    input.payloadSha256 = unsignedPayload.toByteArray();
    const QByteArray request = canonicalRequest(input, headers, nullptr);
    const QByteArray sts = stringToSign(in.time, in.region, in.service, request);
    append("X-Amz-Signature",
           signature(credentials.secretAccessKey, in.time, in.region, in.service, sts));

    QUrl out = in.url;
    out.setQuery(QString::fromLatin1(query), QUrl::TolerantMode);
    return out;
}

} // namespace ferry::s3
