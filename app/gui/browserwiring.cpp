#include "browserwiring.h"

#include "api/browsermessage.h"
#include "mainwindow.h"
#include "singleinstance.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::app {

namespace {

QString browserName(const QString &key)
{
    if (key == u"firefox")
        return u"Firefox"_s;
    return u"Chromium"_s; // Chrome, Brave, Edge and Vivaldi run the same extension
}

// The headers the browser would have sent to `url`: its cookies only to the origin they were
// given for, the page as Referer, its User-Agent.
HeaderList headersFor(const BrowserMessage &message, const QUrl &url)
{
    HeaderList headers;
    const QString origin = originKey(url);
    const QString cookies = message.type == BrowserMessage::Type::Download
                                ? (origin == originKey(message.url) ? message.cookies : QString())
                                : message.cookiesByOrigin.value(origin);
    if (!cookies.isEmpty() && !origin.isEmpty())
        headers.append({"Cookie", cookies.toUtf8()});
    const QUrl referrer = message.type == BrowserMessage::Type::Download ? message.referrer : message.page;
    if (referrer.isValid() && !referrer.isEmpty())
        headers.append({"Referer", referrer.toEncoded()});
    if (!message.userAgent.isEmpty())
        headers.append({"User-Agent", message.userAgent.toUtf8()});
    return headers;
}

} // namespace

void connectBrowser(SingleInstance *instance, ferry::ui::MainWindow *window)
{
    QObject::connect(instance, &SingleInstance::browserMessage, window,
                     [window](const QJsonObject &json, const SingleInstance::Reply &reply) {
        QString error;
        const std::optional<BrowserMessage> message = BrowserMessage::fromJson(json, &error);
        if (!message) {
            reply(QJsonObject{{u"ok"_s, false}, {u"error"_s, error}});
            return;
        }
        reply(QJsonObject{{u"ok"_s, true}});
        if (message->type == BrowserMessage::Type::Hello)
            return;

        ferry::ui::MainWindow::BrowserOffer offer;
        offer.browser = browserName(message->browser);
        if (message->type == BrowserMessage::Type::Download) {
            offer.links.append({message->url.toString(QUrl::FullyEncoded), message->filename});
            offer.suggestedName = message->filename;
            offer.size = message->size;
        } else {
            offer.pageLinks = true;
            offer.page = message->page.toString();
            for (const BrowserLink &link : message->links)
                offer.links.append({link.url.toString(QUrl::FullyEncoded), link.text});
        }
        offer.headersFor = [m = *message](const QUrl &url) { return headersFor(m, url); };
        // After the answer is on its way: the add dialog runs an event loop of its own.
        QMetaObject::invokeMethod(window, [window, offer] { window->offerFromBrowser(offer); },
                                  Qt::QueuedConnection);
    });
}

} // namespace ferry::app
