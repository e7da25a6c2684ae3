#pragma once

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

namespace ferry::test {

using namespace Qt::StringLiterals;

// One request as the canned server saw it.
struct Seen {
    QByteArray method;
    QString path; // decoded
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QByteArray body;
};

struct Canned {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// A minimal HTTP/1.1 server for behaviour a real S3 server does not show on demand (refusals,
// region redirects, clock skew, busy answers) and for checking the requests themselves: it
// answers each request with whatever `respond` returns for it and records what came in. Lives
// on the test thread; the client's replies are awaited with the event loop running, so both
// sides make progress.
class CannedServer final : public QObject
{
public:
    std::function<Canned(const Seen &, int index)> respond;
    QList<Seen> seen;

    CannedServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
        });
        m_server.listen(QHostAddress(u"127.0.0.1"_s));
    }
    QUrl endpoint() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }

private:
    void onData(QTcpSocket *s)
    {
        QByteArray &buf = m_buffers[s];
        buf += s->readAll();
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        Seen r;
        const QList<QByteArray> first = lines.first().trimmed().split(' ');
        r.method = first.value(0);
        const QUrl target = QUrl::fromEncoded("http://x" + first.value(1));
        r.path = target.path(QUrl::FullyDecoded);
        r.query = QUrlQuery(target);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const qsizetype length = r.headers.value("content-length", "0").toLongLong();
        if (buf.size() < end + 4 + length)
            return;
        r.body = buf.mid(end + 4, length);
        buf.clear();
        seen.append(r);
        const Canned c = respond ? respond(r, int(seen.size()) - 1) : Canned{404, {}, {}};
        QByteArray out = "HTTP/1.1 " + QByteArray::number(c.status) + " Canned\r\nConnection: close\r\n";
        for (const auto &[name, value] : c.headers)
            out += name + ": " + value + "\r\n";
        if (r.method != "HEAD" || c.body.isEmpty())
            out += "Content-Length: " + QByteArray::number(c.body.size()) + "\r\n";
        out += "\r\n";
        if (r.method != "HEAD")
            out += c.body;
        s->write(out);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace ferry::test
