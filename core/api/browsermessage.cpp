#include "api/browsermessage.h"

#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QtEndian>

#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

constexpr qsizetype maxUrlBytes = 16 * 1024;
constexpr qsizetype maxUserAgentBytes = 1024;
constexpr qsizetype maxCookieBytes = 32 * 1024;
constexpr qsizetype maxFileNameBytes = 1024;
constexpr qsizetype maxMimeBytes = 256;
constexpr qsizetype maxVersionBytes = 64;
constexpr qsizetype maxLinkTextChars = 1024;
constexpr qsizetype maxLinks = 20000;
constexpr qsizetype maxLinkCookieBytes = 1024 * 1024;
// A sender that stops mid-message is given this long per wait before the frame counts as cut.
constexpr int readWaitMs = 30000;

// Up to `n` bytes; fewer only when the input ends. Asks the device for no more than it needs,
// so an unbuffered stdin is never read past the frame.
QByteArray readUpTo(QIODevice &device, qint64 n)
{
    QByteArray data;
    while (data.size() < n) {
        const QByteArray chunk = device.read(n - data.size());
        if (chunk.isEmpty()) {
            if (!device.waitForReadyRead(readWaitMs))
                break;
            continue;
        }
        data += chunk;
    }
    return data;
}

bool hasControl(const QString &text, bool onlyBreaks)
{
    for (QChar c : text) {
        const char16_t u = c.unicode();
        if (onlyBreaks ? (u == u'\r' || u == u'\n' || u == 0) : (u < 0x20 || u == 0x7f))
            return true;
    }
    return false;
}

QString tooLong(const QString &what, qsizetype bytes, qsizetype limit)
{
    return u"%1 is %2 bytes; at most %3 are accepted."_s.arg(what).arg(bytes).arg(limit);
}

// Reads the optional string `key`; absent and null read as empty. `label` names it in errors.
std::optional<QString> stringField(const QJsonObject &object, const QString &key, const QString &label,
                                   qsizetype maxBytes, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return QString();
    if (!value.isString()) {
        *error = u"The \"%1\" is not a string."_s.arg(key);
        return std::nullopt;
    }
    const QString text = value.toString();
    const qsizetype bytes = text.toUtf8().size();
    if (bytes > maxBytes) {
        *error = tooLong(label, bytes, maxBytes);
        return std::nullopt;
    }
    return text;
}

// A header value or name-like field: bounded and free of control characters.
std::optional<QString> plainField(const QJsonObject &object, const QString &key, const QString &label,
                                  qsizetype maxBytes, QString *error)
{
    auto text = stringField(object, key, label, maxBytes, error);
    if (text && hasControl(*text, false)) {
        *error = u"%1 contains control characters."_s.arg(label);
        return std::nullopt;
    }
    return text;
}

bool checkCookie(const QString &cookies, QString *error)
{
    const qsizetype bytes = cookies.toUtf8().size();
    if (bytes > maxCookieBytes) {
        *error = tooLong(u"The Cookie header"_s, bytes, maxCookieBytes);
        return false;
    }
    // A line break would smuggle a header of its own into the request.
    if (hasControl(cookies, true)) {
        *error = u"The Cookie header contains a line break or NUL character."_s;
        return false;
    }
    return true;
}

enum class UrlCheck { Ok, Invalid, WrongScheme, TooLong };

UrlCheck checkWebUrl(const QString &text, QUrl *url)
{
    *url = QUrl(text);
    if (!url->isValid() || url->isRelative())
        return UrlCheck::Invalid;
    const QString scheme = url->scheme();
    if (scheme != u"http" && scheme != u"https")
        return UrlCheck::WrongScheme;
    if (url->host().isEmpty())
        return UrlCheck::Invalid;
    if (text.toUtf8().size() > maxUrlBytes)
        return UrlCheck::TooLong;
    return UrlCheck::Ok;
}

// The address fields that must be http(s) when present; `label` is "The address" or
// "The referrer".
bool checkUrlField(const QString &text, const QString &label, QUrl *url, QString *error)
{
    switch (checkWebUrl(text, url)) {
    case UrlCheck::Ok:
        return true;
    case UrlCheck::Invalid:
        *error = u"%1 is not a valid absolute URL."_s.arg(label);
        return false;
    case UrlCheck::WrongScheme:
        *error = label == u"The address"
                     ? u"Only http and https addresses can be downloaded, not \"%1:\"."_s.arg(url->scheme())
                     : u"%1 must be an http or https address, not \"%2:\"."_s.arg(label, url->scheme());
        return false;
    case UrlCheck::TooLong:
        *error = tooLong(label, text.toUtf8().size(), maxUrlBytes);
        return false;
    }
    return false;
}

// Link texts are only shown; anything odd in them is flattened rather than refused.
QString cleanLinkText(const QString &text)
{
    QString clean = text;
    for (QChar &c : clean) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' ';
    }
    clean = clean.simplified();
    if (clean.size() > maxLinkTextChars) {
        clean.truncate(maxLinkTextChars);
        if (clean.back().isHighSurrogate())
            clean.chop(1);
    }
    return clean;
}

bool parseDownload(const QJsonObject &object, BrowserMessage &m, QString *error)
{
    const QJsonValue url = object.value(u"url"_s);
    if (url.isUndefined() || url.isNull() || (url.isString() && url.toString().isEmpty())) {
        *error = u"The message has no \"url\"."_s;
        return false;
    }
    if (!url.isString()) {
        *error = u"The \"url\" is not a string."_s;
        return false;
    }
    if (!checkUrlField(url.toString(), u"The address"_s, &m.url, error))
        return false;

    const auto referrer = stringField(object, u"referrer"_s, u"The referrer"_s, maxUrlBytes, error);
    if (!referrer)
        return false;
    if (!referrer->isEmpty() && !checkUrlField(*referrer, u"The referrer"_s, &m.referrer, error))
        return false;

    const auto cookies = stringField(object, u"cookies"_s, u"The Cookie header"_s, maxCookieBytes, error);
    if (!cookies || !checkCookie(*cookies, error))
        return false;
    m.cookies = *cookies;

    const auto filename = plainField(object, u"filename"_s, u"The file name"_s, maxFileNameBytes, error);
    const auto mime = filename ? plainField(object, u"mime"_s, u"The MIME type"_s, maxMimeBytes, error) : std::nullopt;
    if (!filename || !mime)
        return false;
    m.filename = *filename;
    m.mime = *mime;

    const QJsonValue size = object.value(u"size"_s);
    if (!size.isUndefined() && !size.isNull()) {
        const double d = size.toDouble(-2);
        // 2^53: the largest size a JSON number carries exactly.
        if (!size.isDouble() || d != std::floor(d) || d < -1 || d > 9007199254740992.0) {
            *error = u"The size must be a whole number of bytes, or -1 when it is unknown."_s;
            return false;
        }
        m.size = qint64(d);
    }
    return true;
}

bool parseLinks(const QJsonObject &object, BrowserMessage &m, QString *error)
{
    // A page that is not a web address (a saved file, say) still has downloadable links; they
    // just go without a Referer.
    const QJsonValue page = object.value(u"page"_s);
    if (!page.isString() || checkWebUrl(page.toString(), &m.page) != UrlCheck::Ok)
        m.page.clear();

    const QJsonValue links = object.value(u"links"_s);
    if (!links.isArray()) {
        *error = u"The message has no \"links\" list."_s;
        return false;
    }
    const QJsonArray entries = links.toArray();
    if (entries.isEmpty()) {
        *error = u"The message has no links."_s;
        return false;
    }
    if (entries.size() > maxLinks) {
        *error = u"The message has %1 links; at most %2 are accepted."_s.arg(entries.size()).arg(maxLinks);
        return false;
    }
    // A re-read of the checked form keeps the count of what was dropped the first time.
    const QJsonValue skipped = object.value(u"skipped"_s);
    if (skipped.isDouble() && skipped.toDouble() >= 0 && skipped.toDouble() <= maxLinks)
        m.skipped = skipped.toInt();
    for (const QJsonValue &entry : entries) {
        const QJsonObject link = entry.toObject();
        const QJsonValue url = link.value(u"url"_s);
        BrowserLink kept;
        if (!url.isString() || checkWebUrl(url.toString(), &kept.url) != UrlCheck::Ok) {
            ++m.skipped;
            continue;
        }
        kept.text = cleanLinkText(link.value(u"text"_s).toString());
        m.links.append(kept);
    }
    if (m.links.isEmpty()) {
        *error = u"None of the links is an http or https address."_s;
        return false;
    }

    const QJsonValue cookies = object.value(u"cookies"_s);
    if (cookies.isUndefined() || cookies.isNull())
        return true;
    if (!cookies.isObject()) {
        *error = u"The \"cookies\" of a link list must map origins to Cookie headers."_s;
        return false;
    }
    const QJsonObject byOrigin = cookies.toObject();
    qsizetype total = 0;
    for (auto it = byOrigin.begin(); it != byOrigin.end(); ++it) {
        const QString origin = it.key();
        if (origin.size() > maxUrlBytes || originKey(QUrl(origin)) != origin) {
            *error = u"A cookie origin is not of the form \"https://example.com:443\"."_s;
            return false;
        }
        if (!it.value().isString()) {
            *error = u"The cookies of an origin are not a string."_s;
            return false;
        }
        const QString value = it.value().toString();
        if (!checkCookie(value, error))
            return false;
        total += origin.toUtf8().size() + value.toUtf8().size();
        if (!value.isEmpty())
            m.cookiesByOrigin.insert(origin, value);
    }
    if (total > maxLinkCookieBytes) {
        *error = tooLong(u"The cookies of the links"_s, total, maxLinkCookieBytes);
        m.cookiesByOrigin.clear();
        return false;
    }
    return true;
}

} // namespace

std::optional<QByteArray> BrowserFrame::readFrame(QIODevice &device, QString *error)
{
    const QByteArray header = readUpTo(device, 4);
    if (header.isEmpty()) {
        *error = u"No message arrived."_s;
        return std::nullopt;
    }
    if (header.size() < 4) {
        *error = u"The message ended after %1 of the 4 length bytes."_s.arg(header.size());
        return std::nullopt;
    }
    const quint32 length = qFromUnaligned<quint32>(header.constData());
    if (length == 0) {
        *error = u"The message is empty."_s;
        return std::nullopt;
    }
    if (length > maxIncoming) {
        *error = u"The message is %1 bytes; at most %2 are accepted."_s.arg(length).arg(maxIncoming);
        return std::nullopt;
    }
    QByteArray body = readUpTo(device, length);
    if (body.size() < qsizetype(length)) {
        *error = u"The message ended after %1 of its %2 bytes."_s.arg(body.size()).arg(length);
        return std::nullopt;
    }
    return body;
}

QByteArray BrowserFrame::frame(const QJsonObject &message)
{
    QByteArray json = QJsonDocument(message).toJson(QJsonDocument::Compact);
    if (json.size() > maxOutgoing) {
        const QJsonObject tooBig{{u"ok"_s, false},
                                 {u"error"_s, u"The answer is %1 bytes; at most %2 can be sent."_s.arg(json.size()).arg(maxOutgoing)}};
        json = QJsonDocument(tooBig).toJson(QJsonDocument::Compact);
    }
    const quint32 length = quint32(json.size());
    QByteArray out(4, Qt::Uninitialized);
    std::memcpy(out.data(), &length, 4); // the machine's own byte order, as the protocol says
    return out + json;
}

QString originKey(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https"))
        return {};
    QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.isEmpty())
        return {};
    if (host.contains(u':'))
        host = u'[' + host + u']';
    const int port = url.port(scheme == u"https" ? 443 : 80);
    return scheme + u"://"_s + host + u':' + QString::number(port);
}

QString browserMessageTypeName(BrowserMessage::Type type)
{
    switch (type) {
    case BrowserMessage::Type::Hello:
        return u"hello"_s;
    case BrowserMessage::Type::Download:
        return u"download"_s;
    case BrowserMessage::Type::Links:
        return u"links"_s;
    }
    return {};
}

std::optional<BrowserMessage> BrowserMessage::parse(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = u"The message is not valid JSON: %1 at offset %2."_s.arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = u"The message is not a JSON object."_s;
        return std::nullopt;
    }
    return fromJson(document.object(), error);
}

std::optional<BrowserMessage> BrowserMessage::fromJson(const QJsonObject &object, QString *error)
{
    BrowserMessage m;
    const QJsonValue type = object.value(u"type"_s);
    if (!type.isString() || type.toString().isEmpty()) {
        *error = u"The message has no \"type\"."_s;
        return std::nullopt;
    }
    const QString typeName = type.toString();
    if (typeName == u"hello") {
        m.type = Type::Hello;
    } else if (typeName == u"download") {
        m.type = Type::Download;
    } else if (typeName == u"links") {
        m.type = Type::Links;
    } else {
        // The name goes back into the answer only when it is short and printable.
        *error = typeName.size() <= 32 && !hasControl(typeName, false)
                     ? u"The message type \"%1\" is not known."_s.arg(typeName)
                     : u"The message type is not known."_s;
        return std::nullopt;
    }

    const QJsonValue browser = object.value(u"browser"_s);
    if (!browser.isString() || browser.toString().isEmpty()) {
        *error = u"The message has no \"browser\"."_s;
        return std::nullopt;
    }
    m.browser = browser.toString();
    if (m.browser != u"chromium" && m.browser != u"firefox") {
        *error = u"The browser must be \"chromium\" or \"firefox\"."_s;
        return std::nullopt;
    }
    const auto version = plainField(object, u"extensionVersion"_s, u"The extension version"_s, maxVersionBytes, error);
    if (!version)
        return std::nullopt;
    m.extensionVersion = *version;
    if (m.type == Type::Hello)
        return m;

    const QJsonValue incognito = object.value(u"incognito"_s);
    if (!incognito.isUndefined() && !incognito.isNull() && !incognito.isBool()) {
        *error = u"The \"incognito\" flag must be true or false."_s;
        return std::nullopt;
    }
    m.incognito = incognito.toBool(false);
    const auto userAgent = plainField(object, u"userAgent"_s, u"The User-Agent"_s, maxUserAgentBytes, error);
    if (!userAgent)
        return std::nullopt;
    m.userAgent = *userAgent;

    const bool ok = m.type == Type::Download ? parseDownload(object, m, error) : parseLinks(object, m, error);
    if (!ok)
        return std::nullopt;
    return m;
}

QJsonObject BrowserMessage::toJson() const
{
    QJsonObject o{{u"type"_s, browserMessageTypeName(type)},
                  {u"browser"_s, browser},
                  {u"extensionVersion"_s, extensionVersion}};
    if (type == Type::Hello)
        return o;
    o.insert(u"userAgent"_s, userAgent);
    o.insert(u"incognito"_s, incognito);
    if (type == Type::Download) {
        o.insert(u"url"_s, url.toString(QUrl::FullyEncoded));
        o.insert(u"referrer"_s, referrer.isEmpty() ? QString() : referrer.toString(QUrl::FullyEncoded));
        o.insert(u"cookies"_s, cookies);
        o.insert(u"filename"_s, filename);
        o.insert(u"size"_s, double(size));
        o.insert(u"mime"_s, mime);
        return o;
    }
    o.insert(u"page"_s, page.isEmpty() ? QString() : page.toString(QUrl::FullyEncoded));
    QJsonArray list;
    for (const BrowserLink &link : links)
        list.append(QJsonObject{{u"url"_s, link.url.toString(QUrl::FullyEncoded)}, {u"text"_s, link.text}});
    o.insert(u"links"_s, list);
    QJsonObject byOrigin;
    for (auto it = cookiesByOrigin.begin(); it != cookiesByOrigin.end(); ++it)
        byOrigin.insert(it.key(), it.value());
    o.insert(u"cookies"_s, byOrigin);
    o.insert(u"skipped"_s, skipped);
    return o;
}

QList<DownloadRequest> BrowserMessage::requests() const
{
    // Browsers send neither the fragment nor credentials in a Referer.
    const auto refererOf = [](const QUrl &from) {
        return from.adjusted(QUrl::RemoveFragment | QUrl::RemoveUserInfo).toEncoded();
    };
    const auto request = [this](const QUrl &target, const QString &cookie, const QByteArray &referer) {
        DownloadRequest r;
        r.url = target;
        if (!cookie.isEmpty())
            r.headers.append({"Cookie", cookie.toUtf8()});
        if (!referer.isEmpty())
            r.headers.append({"Referer", referer});
        if (!userAgent.isEmpty())
            r.headers.append({"User-Agent", userAgent.toUtf8()});
        return r;
    };

    QList<DownloadRequest> out;
    if (type == Type::Download) {
        DownloadRequest r = request(url, cookies, referrer.isEmpty() ? QByteArray() : refererOf(referrer));
        r.probedName = filename;
        r.probedSize = size;
        out.append(r);
    } else if (type == Type::Links) {
        const QByteArray referer = page.isEmpty() ? QByteArray() : refererOf(page);
        for (const BrowserLink &link : links)
            out.append(request(link.url, cookiesByOrigin.value(originKey(link.url)), referer));
    }
    return out;
}

} // namespace ferry
