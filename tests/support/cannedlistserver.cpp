#include "cannedlistserver.h"

#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::test {

namespace detail {

// The request log, shared by the server thread (writes) and the caller (reads).
class CannedListState
{
public:
    void listStarted(const QString &token)
    {
        QMutexLocker lock(&m_mutex);
        ++m_lists;
        m_tokens.append(token);
        m_maxOpen = std::max(m_maxOpen, ++m_open);
    }
    void listFinished()
    {
        QMutexLocker lock(&m_mutex);
        --m_open;
    }
    void other()
    {
        QMutexLocker lock(&m_mutex);
        ++m_others;
    }
    void reset()
    {
        QMutexLocker lock(&m_mutex);
        m_lists = 0;
        m_others = 0;
        m_maxOpen = m_open;
        m_tokens.clear();
    }

    mutable QMutex m_mutex;
    int m_lists = 0;
    int m_others = 0;
    int m_open = 0;
    int m_maxOpen = 0;
    QStringList m_tokens;
};

namespace {

QByteArray tokenFor(int index)
{
    return QByteArray(QByteArray("after:") + QByteArray::number(index))
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

int indexOfToken(const QString &token)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        token.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.startsWith("after:"))
        return -1;
    bool ok = false;
    const int index = decoded.decoded.mid(6).toInt(&ok);
    return ok ? index : -1;
}

QByteArray xmlTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs).toLatin1();
}

QByteArray response(int status, const QByteArray &reason, const QByteArray &body)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/xml\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nx-amz-request-id: canned\r\n\r\n" + body;
}

QByteArray errorResponse(int status, const QByteArray &reason, const QByteArray &code)
{
    return response(status, reason,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code +
                        "</Code><Message>" + code + "</Message></Error>");
}

} // namespace

// Owns the listening socket and the connections. Lives on the server's private thread.
class CannedListWorker final : public QObject
{
public:
    CannedListWorker(const CannedListServer *server, CannedListState *state)
        : m_server(server), m_state(state)
    {
    }

    quint16 listen()
    {
        m_listener = new QTcpServer(this);
        if (!m_listener->listen(QHostAddress::LocalHost, 0))
            return 0;
        connect(m_listener, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        return m_listener->serverPort();
    }

    void shutdown()
    {
        const auto children = findChildren<QObject *>(Qt::FindDirectChildrenOnly);
        qDeleteAll(children);
        m_listener = nullptr;
        moveToThread(nullptr);
    }

private:
    // One request at a time per connection (the client does not pipeline); a request that is
    // still waiting for its delay holds back the next one.
    void serve(QTcpSocket *socket)
    {
        if (socket->property("busy").toBool())
            return;
        QByteArray buffer = socket->property("input").toByteArray() + socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            socket->setProperty("input", buffer);
            return;
        }
        const QByteArray head = buffer.left(end);
        socket->setProperty("input", buffer.mid(end + 4)); // GETs carry no body
        const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
        if (requestLine.size() < 2) {
            socket->disconnectFromHost();
            return;
        }
        const QByteArray target = requestLine.at(1);
        const qsizetype q = target.indexOf('?');
        const QString path = QUrl::fromPercentEncoding(target.left(q < 0 ? target.size() : q));
        const QUrlQuery query(q < 0 ? QString() : QString::fromLatin1(target.mid(q + 1)));

        QByteArray answer;
        bool isList = false;
        const QString bucketPath = u'/' + m_server->options().bucket;
        if (requestLine.at(0) != "GET") {
            m_state->other();
            answer = errorResponse(405, "Method Not Allowed", "MethodNotAllowed");
        } else if (path == u"/"_s) {
            m_state->other();
            answer = response(200, "OK", listBuckets());
        } else if ((path == bucketPath || path == bucketPath + u'/') &&
                   query.queryItemValue(u"list-type"_s) == u"2"_s) {
            isList = true;
            const QString token = query.queryItemValue(u"continuation-token"_s, QUrl::FullyDecoded);
            m_state->listStarted(token);
            answer = listObjects(query, token);
        } else {
            m_state->other();
            answer = errorResponse(404, "Not Found", "NoSuchKey");
        }

        socket->setProperty("busy", true);
        const QPointer<QTcpSocket> guard(socket);
        auto send = [this, guard, answer, isList] {
            if (isList)
                m_state->listFinished();
            if (!guard)
                return;
            guard->write(answer);
            guard->setProperty("busy", false);
            if (!guard->property("input").toByteArray().isEmpty() || guard->bytesAvailable() > 0)
                serve(guard);
        };
        if (m_server->options().delayMs <= 0) {
            send();
            return;
        }
        // A child timer, so that shutdown() also drops answers still waiting for their delay.
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [timer, send] {
            timer->deleteLater();
            send();
        });
        timer->start(m_server->options().delayMs);
    }

    QByteArray listBuckets() const
    {
        return "<?xml version=\"1.0\" "
               "encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult><Owner><ID>canned"
               "</ID></Owner><Buckets><Bucket><Name>" +
               m_server->options().bucket.toUtf8() + "</Name><CreationDate>" +
               xmlTime(CannedListServer::lastModifiedAt(0)) + "</CreationDate></Bucket></Buckets>" +
               "</ListAllMyBucketsResult>";
    }

    QByteArray listObjects(const QUrlQuery &query, const QString &token) const
    {
        const CannedListServer::Options &o = m_server->options();
        const QString prefix = query.queryItemValue(u"prefix"_s, QUrl::FullyDecoded);
        const QString delimiter = query.queryItemValue(u"delimiter"_s, QUrl::FullyDecoded);
        bool ok = false;
        int maxKeys = query.queryItemValue(u"max-keys"_s).toInt(&ok);
        maxKeys = ok ? std::clamp(maxKeys, 0, 1000) : 1000;

        // The keys that match `prefix` are one contiguous run [lower, upper) of the sorted names.
        int lower = 0;
        int upper = 0;
        QString folder;
        if (o.prefix.startsWith(prefix) && prefix != o.prefix) {
            if (delimiter == u"/"_s)
                folder = o.prefix.left(o.prefix.indexOf(u'/', prefix.size()) + 1);
            else
                upper = o.objectCount;
        } else if (prefix == o.prefix) {
            upper = o.objectCount;
        } else if (prefix.startsWith(o.prefix)) {
            auto first = [&](auto pred) {
                int lo = 0;
                int hi = o.objectCount;
                while (lo < hi) {
                    const int mid = lo + (hi - lo) / 2;
                    if (pred(m_server->key(mid)))
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                return lo;
            };
            lower = first([&](const QString &k) { return k < prefix; });
            upper = first([&](const QString &k) { return k < prefix || k.startsWith(prefix); });
        }
        int start = lower;
        if (!token.isEmpty()) {
            const int index = indexOfToken(token);
            if (index < 0)
                return errorResponse(400, "Bad Request", "InvalidArgument");
            start = std::max(lower, index);
        }
        const int end = std::min(upper, start + maxKeys);
        const bool truncated = end < upper;

        QByteArray xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
                         "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" +
                         o.bucket.toUtf8() + "</Name><Prefix>" + prefix.toUtf8() +
                         "</Prefix><KeyCount>" +
                         QByteArray::number(std::max(0, end - start) + (folder.isEmpty() ? 0 : 1)) +
                         "</KeyCount><MaxKeys>" + QByteArray::number(maxKeys) + "</MaxKeys>";
        if (!delimiter.isEmpty())
            xml += "<Delimiter>" + delimiter.toUtf8() + "</Delimiter>";
        xml += truncated ? "<IsTruncated>true</IsTruncated>" : "<IsTruncated>false</IsTruncated>";
        if (!token.isEmpty())
            xml += "<ContinuationToken>" + token.toUtf8() + "</ContinuationToken>";
        if (truncated)
            xml += "<NextContinuationToken>" + tokenFor(end) + "</NextContinuationToken>";
        xml.reserve(xml.size() + qsizetype(std::max(0, end - start)) * 240);
        for (int i = start; i < end; ++i) {
            xml += "<Contents><Key>" + m_server->key(i).toUtf8() + "</Key><LastModified>" +
                   xmlTime(CannedListServer::lastModifiedAt(i)) + "</LastModified><ETag>&quot;" +
                   QByteArray::number(quint64(i) * 2654435761u + 17, 16).rightJustified(32, '0') +
                   "&quot;</ETag><Size>" + QByteArray::number(CannedListServer::sizeAt(i)) +
                   "</Size><StorageClass>" + CannedListServer::storageClassAt(i).toUtf8() +
                   "</StorageClass></Contents>";
        }
        if (!folder.isEmpty())
            xml += "<CommonPrefixes><Prefix>" + folder.toUtf8() + "</Prefix></CommonPrefixes>";
        xml += "</ListBucketResult>";
        return response(200, "OK", xml);
    }

    const CannedListServer *m_server;
    CannedListState *m_state;
    QTcpServer *m_listener = nullptr;
};

} // namespace detail

CannedListServer::CannedListServer(const Options &options)
    : m_options(options), m_state(std::make_unique<detail::CannedListState>()),
      m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(u"CannedListServer"_s);
    m_worker = new detail::CannedListWorker(this, m_state.get());
    m_worker->moveToThread(m_thread.get());
    m_thread->start();
    quint16 port = 0;
    detail::CannedListWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, &port] { port = worker->listen(); }, Qt::BlockingQueuedConnection);
    m_port = port;
}

CannedListServer::~CannedListServer()
{
    detail::CannedListWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker;
}

QUrl CannedListServer::endpoint() const
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(m_port));
}

QString CannedListServer::key(int index) const
{
    return m_options.prefix + name(index);
}

QString CannedListServer::name(int index) const
{
    return u"obj-%1.bin"_s.arg(index, 6, 10, QLatin1Char('0'));
}

qint64 CannedListServer::sizeAt(int index)
{
    // From a few bytes to about 5 GB, spread so that neighbours differ.
    return qint64((quint64(index) * 2654435761u) % 5'000'000'000ull) / (1 + index % 1000) +
           index % 7;
}

QDateTime CannedListServer::lastModifiedAt(int index)
{
    return QDateTime(QDate(2023, 1, 1), QTime(0, 0), Qt::UTC)
        .addSecs(qint64(index) * 317 % (400LL * 86400))
        .addMSecs(index % 1000);
}

QString CannedListServer::storageClassAt(int index)
{
    return index % 10 == 9 ? u"STANDARD_IA"_s : u"STANDARD"_s;
}

int CannedListServer::listRequests() const
{
    QMutexLocker lock(&m_state->m_mutex);
    return m_state->m_lists;
}

int CannedListServer::maxConcurrentListRequests() const
{
    QMutexLocker lock(&m_state->m_mutex);
    return m_state->m_maxOpen;
}

QStringList CannedListServer::continuationTokens() const
{
    QMutexLocker lock(&m_state->m_mutex);
    return m_state->m_tokens;
}

int CannedListServer::otherRequests() const
{
    QMutexLocker lock(&m_state->m_mutex);
    return m_state->m_others;
}

void CannedListServer::resetCounters()
{
    m_state->reset();
}

} // namespace ferry::test
