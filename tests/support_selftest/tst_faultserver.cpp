#include "faultserver.h"
#include "sandbox.h"
#include "selftest.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ferry::test;

// HTTP semantics of FaultServer without faults: ranges, validators, redirects, connections.
class FaultServerTest final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void get_full_returnsBodyAndValidators();
    void head_returnsHeadersWithoutBody();
    void get_unknownPath_returns404Html();
    void range_data();
    void range();
    void ifRange_data();
    void ifRange();
    void redirect_relativeAndAbsolute_followed();
    void redirect_loop_tooManyRedirects();
    void keepAlive_reusesConnection();
    void rawSocket_sequentialRequestsThenConnectionClose();
    void parallelRanges_eachOnOwnConnection();
    void largeBody_streamedIntact();
    void log_filtersAndClears();

private:
    std::unique_ptr<FaultServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void FaultServerTest::init()
{
    m_server = std::make_unique<FaultServer>();
    QVERIFY(m_server->start());
    QVERIFY(m_server->port() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void FaultServerTest::cleanup()
{
    m_nam.reset();
    m_server.reset();
}

void FaultServerTest::get_full_returnsBodyAndValidators()
{
    Resource r = makeResource(100000);
    r.contentDisposition = QByteArrayLiteral("attachment; filename=\"report.bin\"");
    m_server->setResource(u"/file.bin"_s, r);

    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/file.bin"_s), &f));
    QCOMPARE(f.error, QNetworkReply::NoError);
    QCOMPARE(f.status, 200);
    QCOMPARE(f.body, r.body);
    QCOMPARE(f.header("Content-Length"), QByteArrayLiteral("100000"));
    QCOMPARE(f.header("ETag"), QByteArrayLiteral("\"v1\""));
    QCOMPARE(f.header("Last-Modified"), QByteArrayLiteral("Fri, 17 May 2024 10:20:30 GMT"));
    QCOMPARE(f.header("Accept-Ranges"), QByteArrayLiteral("bytes"));
    QCOMPARE(f.header("Content-Disposition"), r.contentDisposition);
    QCOMPARE(m_server->requestCount(u"/file.bin"_s), 1);
    QCOMPARE(m_server->bodyBytesServed(u"/file.bin"_s), 100000);
}

void FaultServerTest::head_returnsHeadersWithoutBody()
{
    m_server->setResource(u"/h"_s, makeResource(5000));
    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/h"_s), &f, {}, 0, true));
    QCOMPARE(f.status, 200);
    QCOMPARE(f.header("Content-Length"), QByteArrayLiteral("5000"));
    QVERIFY(f.body.isEmpty());
    QCOMPARE(m_server->requests(u"/h"_s).first().method, QByteArrayLiteral("HEAD"));
    QCOMPARE(m_server->bodyBytesServed(u"/h"_s), 0);
}

void FaultServerTest::get_unknownPath_returns404Html()
{
    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/nothing"_s), &f));
    QCOMPARE(f.status, 404);
    QCOMPARE(f.error, QNetworkReply::ContentNotFoundError);
    QVERIFY(f.body.contains("<html>"));
    QCOMPARE(m_server->requests(u"/nothing"_s).first().status, 404);
}

void FaultServerTest::range_data()
{
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");

    // A 1000-byte body; first/last are the inclusive slice expected for 206.
    QTest::newRow("closed") << QByteArrayLiteral("bytes=100-199") << 206 << 100LL << 199LL;
    QTest::newRow("open") << QByteArrayLiteral("bytes=900-") << 206 << 900LL << 999LL;
    QTest::newRow("suffix") << QByteArrayLiteral("bytes=-100") << 206 << 900LL << 999LL;
    QTest::newRow("suffix-larger-than-body")
        << QByteArrayLiteral("bytes=-5000") << 206 << 0LL << 999LL;
    QTest::newRow("end-clamped") << QByteArrayLiteral("bytes=500-99999") << 206 << 500LL << 999LL;
    QTest::newRow("one-byte") << QByteArrayLiteral("bytes=0-0") << 206 << 0LL << 0LL;
    QTest::newRow("probe") << QByteArrayLiteral("bytes=0-") << 206 << 0LL << 999LL;
    QTest::newRow("multi-range") << QByteArrayLiteral("bytes=0-1,5-6") << 200 << 0LL << 999LL;
    QTest::newRow("reversed-ignored") << QByteArrayLiteral("bytes=5-1") << 200 << 0LL << 999LL;
    QTest::newRow("other-unit") << QByteArrayLiteral("items=0-5") << 200 << 0LL << 999LL;
    QTest::newRow("start-past-end") << QByteArrayLiteral("bytes=1000-") << 416 << 0LL << -1LL;
    QTest::newRow("empty-suffix") << QByteArrayLiteral("bytes=-0") << 416 << 0LL << -1LL;
}

void FaultServerTest::range()
{
    QFETCH(QByteArray, range);
    QFETCH(int, status);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    const Resource r = makeResource(1000);
    m_server->setResource(u"/r"_s, r);

    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/r"_s), &f, {{"Range", range}}));
    QCOMPARE(f.status, status);
    QCOMPARE(m_server->requests(u"/r"_s).first().range, range);
    if (status == 416) {
        QCOMPARE(f.header("Content-Range"), QByteArrayLiteral("bytes */1000"));
        QVERIFY(f.body.isEmpty());
        return;
    }
    QCOMPARE(f.body, r.body.mid(first, last - first + 1));
    QCOMPARE(f.header("Content-Length").toLongLong(), last - first + 1);
    if (status == 206) {
        QCOMPARE(f.header("Content-Range"),
                 "bytes " + QByteArray::number(first) + '-' + QByteArray::number(last) + "/1000");
        QCOMPARE(f.header("ETag"), r.etag);
        QVERIFY(f.hasHeader("Last-Modified"));
        QCOMPARE(f.header("Accept-Ranges"), QByteArrayLiteral("bytes"));
    } else {
        QVERIFY(!f.hasHeader("Content-Range"));
    }
}

void FaultServerTest::ifRange_data()
{
    QTest::addColumn<QByteArray>("etag");
    QTest::addColumn<QByteArray>("ifRange");
    QTest::addColumn<int>("status");

    QTest::newRow("etag-match") << QByteArrayLiteral("\"v1\"") << QByteArrayLiteral("\"v1\"")
                                << 206;
    QTest::newRow("etag-stale") << QByteArrayLiteral("\"v1\"") << QByteArrayLiteral("\"v0\"")
                                << 200;
    QTest::newRow("date-match") << QByteArray()
                                << QByteArrayLiteral("Fri, 17 May 2024 10:20:30 GMT") << 206;
    QTest::newRow("date-other") << QByteArray()
                                << QByteArrayLiteral("Fri, 17 May 2024 10:20:31 GMT") << 200;
    QTest::newRow("weak-etag-never-matches")
        << QByteArrayLiteral("W/\"v1\"") << QByteArrayLiteral("W/\"v1\"") << 200;
}

void FaultServerTest::ifRange()
{
    QFETCH(QByteArray, etag);
    QFETCH(QByteArray, ifRange);
    QFETCH(int, status);
    Resource r = makeResource(1000);
    r.etag = etag;
    m_server->setResource(u"/ir"_s, r);

    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/ir"_s), &f,
                  {{"Range", "bytes=10-19"}, {"If-Range", ifRange}}));
    QCOMPARE(f.status, status);
    QCOMPARE(f.body, status == 206 ? r.body.mid(10, 10) : r.body);
    QCOMPARE(m_server->requests(u"/ir"_s).first().ifRange, ifRange);
}

void FaultServerTest::redirect_relativeAndAbsolute_followed()
{
    const Resource r = makeResource(1234);
    m_server->setResource(u"/target.bin"_s, r);
    m_server->setRedirect(u"/rel"_s, u"/target.bin"_s);
    m_server->setRedirect(u"/abs"_s, m_server->url(u"/rel"_s).toString(), 301);

    QNetworkRequest request = makeRequest(m_server->url(u"/abs"_s), {}, 0);
    QNetworkReply *reply = m_nam->get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(reply->url(), m_server->url(u"/target.bin"_s));
    QCOMPARE(reply->readAll(), r.body);
    reply->deleteLater();

    QCOMPARE(m_server->requests(u"/abs"_s).first().status, 301);
    QCOMPARE(m_server->requests(u"/rel"_s).first().status, 302);
    QCOMPARE(m_server->requestCount(u"/target.bin"_s), 1);
}

void FaultServerTest::redirect_loop_tooManyRedirects()
{
    m_server->setRedirect(u"/loop"_s, u"/loop"_s);
    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/loop"_s), &f));
    QCOMPARE(f.error, QNetworkReply::TooManyRedirectsError);
    QVERIFY(m_server->requestCount(u"/loop"_s) > 10);
}

void FaultServerTest::keepAlive_reusesConnection()
{
    m_server->setResource(u"/ka"_s, makeResource(10000));
    for (int i = 0; i < 3; ++i) {
        Fetched f;
        QVERIFY(fetch(*m_nam, m_server->url(u"/ka"_s), &f));
        QCOMPARE(f.status, 200);
        QCOMPARE(f.header("Connection").toLower(), QByteArrayLiteral("keep-alive"));
    }
    const QList<RequestRecord> log = m_server->requests(u"/ka"_s);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log[1].connection, log[0].connection);
    QCOMPARE(log[2].connection, log[0].connection);
    QCOMPARE(m_server->openConnections(), 1);
}

void FaultServerTest::rawSocket_sequentialRequestsThenConnectionClose()
{
    const Resource r = makeResource(70000);
    m_server->setResource(u"/raw"_s, r);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    QByteArray received;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });

    socket.write("GET /raw HTTP/1.1\r\nHost: x\r\nRange: bytes=0-9\r\n\r\n");
    QTRY_VERIFY(received.endsWith(r.body.left(10)));
    QVERIFY(received.startsWith("HTTP/1.1 206 Partial Content\r\n"));
    QVERIFY(received.contains("Content-Range: bytes 0-9/70000\r\n"));

    received.clear();
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.write("GET /raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QVERIFY(disconnected.wait(5000));
    received += socket.readAll();
    QVERIFY(received.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(received.contains("Connection: close\r\n"));
    QVERIFY(received.endsWith(r.body));
    const QList<RequestRecord> log = m_server->requests(u"/raw"_s);
    QCOMPARE(log.size(), 2);
    QCOMPARE(log[0].connection, log[1].connection);
}

void FaultServerTest::parallelRanges_eachOnOwnConnection()
{
    const qint64 size = 4 * 1024 * 1024;
    const Resource r = makeResource(size);
    m_server->setResource(u"/par"_s, r);
    // Slow enough that all four are in flight together (each takes about a second), so the
    // client cannot reuse a finished connection for the next range even on a loaded machine.
    Faults slow;
    slow.bytesPerSecond = 1024 * 1024;
    m_server->setFaults(u"/par"_s, slow);

    const int parts = 4;
    std::vector<Fetched> results(parts);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < parts; ++i) {
        replies.append(startFetch(*m_nam, m_server->url(u"/par"_s), &results[i],
                                  {{"Range", sliceRange(size, parts, i)}}));
    }
    QVERIFY(finishAll(replies));
    QByteArray joined;
    for (const Fetched &f : results) {
        QCOMPARE(f.status, 206);
        joined += f.body;
    }
    QCOMPARE(joined, r.body);
    QSet<int> connections;
    for (const RequestRecord &rec : m_server->requests(u"/par"_s))
        connections.insert(rec.connection);
    QCOMPARE(connections.size(), parts);
}

void FaultServerTest::largeBody_streamedIntact()
{
    const qint64 size = 64 * 1024 * 1024;
    Resource r = makeResource(size, 42);
    const QByteArray expected = sha256Hex(r.body);
    m_server->setResource(u"/big"_s, r);
    r.body.clear();

    QNetworkReply *reply = m_nam->get(makeRequest(m_server->url(u"/big"_s), {}, 0));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 received = 0;
    connect(reply, &QNetworkReply::readyRead, this, [&] {
        const QByteArray chunk = reply->readAll();
        received += chunk.size();
        hash.addData(chunk);
    });
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(60000));
    const QByteArray rest = reply->readAll();
    received += rest.size();
    hash.addData(rest);
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(received, size);
    QCOMPARE(hash.result().toHex(), expected);
    QCOMPARE(m_server->bodyBytesServed(u"/big"_s), size);
    reply->deleteLater();
}

void FaultServerTest::log_filtersAndClears()
{
    m_server->setResource(u"/a"_s, makeResource(10));
    m_server->setResource(u"/b"_s, makeResource(20));
    Fetched f;
    QVERIFY(fetch(*m_nam, m_server->url(u"/a"_s), &f, {{"X-Probe", "1"}}));
    QVERIFY(fetch(*m_nam, m_server->url(u"/b"_s), &f));
    QVERIFY(fetch(*m_nam, m_server->url(u"/b?x=1"_s), &f));
    QCOMPARE(m_server->requests().size(), 3);
    QCOMPARE(m_server->requestCount(u"/a"_s), 1);
    QCOMPARE(m_server->requestCount(u"/b"_s), 2);
    QCOMPARE(m_server->bodyBytesServed(u"/b"_s), 40);
    const RequestRecord a = m_server->requests(u"/a"_s).first();
    QCOMPARE(a.method, QByteArrayLiteral("GET"));
    QCOMPARE(a.status, 200);
    QVERIFY(a.headers.contains(qMakePair(QByteArrayLiteral("X-Probe"), QByteArrayLiteral("1"))));

    m_server->clearLog();
    QVERIFY(m_server->requests().isEmpty());
    QCOMPARE(m_server->bodyBytesServed(u"/b"_s), 0);
    QVERIFY(fetch(*m_nam, m_server->url(u"/a"_s), &f));
    QCOMPARE(m_server->requests(u"/a"_s).first().bodyBytesSent, 10);
}

QTEST_GUILESS_MAIN(FaultServerTest)
#include "tst_faultserver.moc"
