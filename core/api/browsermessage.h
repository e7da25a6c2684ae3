#pragma once

#include "api/downloadtypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QUrl>

#include <optional>

class QIODevice;

namespace ferry {

// The browser extension's native messaging wire: each message is a 32-bit length in the
// machine's byte order followed by that many bytes of UTF-8 JSON.
struct BrowserFrame
{
    // What the host accepts from a browser, and what a browser accepts from the host.
    static constexpr qint64 maxIncoming = 4 * 1024 * 1024;
    static constexpr qint64 maxOutgoing = 1024 * 1024;

    // Reads exactly one frame and returns its body; blocks on devices that block (stdin), waits
    // on those that can wait (sockets, processes). Nothing beyond the frame is consumed.
    static std::optional<QByteArray> readFrame(QIODevice &device, QString *error);
    // Length and compact JSON. An answer over maxOutgoing is replaced by an error answer: the
    // browser would drop the whole connection instead.
    static QByteArray frame(const QJsonObject &message);
};

struct BrowserLink
{
    QUrl url;
    QString text;
};

// "scheme://host:port" with the port always written (443 and 80 included), host lower case and
// in its ASCII (punycode) form, IPv6 in brackets: "https://example.com:443",
// "http://[::1]:8080". The extension keys its per-origin cookies the same way. Empty for
// anything but an http or https URL with a host.
QString originKey(const QUrl &url);

// A message from the extension, checked field by field. Everything in it stays within the
// limits the checks enforce, so the window may trust it as much as a URL typed by the user.
struct BrowserMessage
{
    enum class Type { Hello, Download, Links };

    Type type = Type::Hello;
    QString browser;           // "chromium" or "firefox"
    QString extensionVersion;
    bool incognito = false;

    // Download
    QUrl url;
    QUrl referrer;             // empty or http(s)
    QString userAgent;
    QString cookies;           // the Cookie header value; a secret, never logged
    QString filename;          // a suggestion, unsanitized
    qint64 size = -1;
    QString mime;

    // Links (userAgent and incognito above apply too)
    QUrl page;                 // empty unless http(s); the Referer of every link
    QList<BrowserLink> links;  // http(s) only
    QMap<QString, QString> cookiesByOrigin; // originKey() -> Cookie header value
    int skipped = 0;           // entries dropped for not being http(s) addresses

    // Parses and checks one message; on failure returns nothing and sets `error` to an English
    // sentence meant for the user.
    static std::optional<BrowserMessage> parse(const QByteArray &json, QString *error);
    static std::optional<BrowserMessage> fromJson(const QJsonObject &object, QString *error);
    // The checked form, which parse() accepts again unchanged.
    QJsonObject toJson() const;

    // The downloads the message asks for: one for Download, one per link for Links (each with
    // the cookies of its own origin), none for Hello. Cookie, Referer and User-Agent travel as
    // request headers; the directory is left to the caller.
    QList<DownloadRequest> requests() const;
};

QString browserMessageTypeName(BrowserMessage::Type type);

} // namespace ferry
