#include "nginxserver.h"
#include "sandbox.h"
#include "selftest.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace ferry::test;

class NginxServerTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void start_writesConfigInsidePrefix();
    void get_full_matchesFileHash();
    void get_range_returns206WithExactContentRange();
    void slow_limitRateThrottles();
    void mixed_servesEveryConnectionCorrectly();
    void destructor_stopsProcess();

private:
    QTemporaryDir m_root;
    QByteArray m_data;
    std::unique_ptr<NginxServer> m_nginx;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void NginxServerTest::initTestCase()
{
    if (NginxServer::binaryPath().isEmpty())
        QSKIP("nginx is not installed");
    QVERIFY(m_root.isValid());
    m_data = deterministicBytes(3 * 1024 * 1024 + 17, 5);
    QVERIFY(writeFile(m_root.filePath(u"data.bin"_s), m_data));
    QVERIFY(writeFile(m_root.filePath(u"dir with space/small.bin"_s), m_data.left(1000)));
}

void NginxServerTest::init()
{
    m_nginx = std::make_unique<NginxServer>(m_root.path());
    m_nginx->setLimitRate(u"1m"_s);
    m_nginx->setVariableRates({u"256k"_s, u"0"_s, u"2m"_s});
    QString error;
    QVERIFY2(m_nginx->start(&error), qPrintable(error));
    QVERIFY(m_nginx->port() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void NginxServerTest::cleanup()
{
    m_nam.reset();
    m_nginx.reset();
}

void NginxServerTest::start_writesConfigInsidePrefix()
{
    const QString prefix = m_nginx->prefixDir();
    QVERIFY(!prefix.isEmpty());
    const QByteArray conf = readFile(prefix + u"/nginx.conf"_s);
    QVERIFY(conf.contains("keepalive_requests 10000;"));
    QVERIFY(conf.contains("sendfile on;"));
    QVERIFY(!conf.contains("max_ranges 0"));
    QVERIFY(conf.contains(QByteArray("listen 127.0.0.1:" + QByteArray::number(m_nginx->port()))));
    QVERIFY(QFile::exists(prefix + u"/logs/error.log"_s));
    QVERIFY(m_nginx->isRunning());
    QCOMPARE(m_nginx->url(u"/x"_s), QUrl(u"http://127.0.0.1:%1/x"_s.arg(m_nginx->port())));
}

void NginxServerTest::get_full_matchesFileHash()
{
    Fetched f;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/data.bin"_s), &f));
    QCOMPARE(f.error, QNetworkReply::NoError);
    QCOMPARE(f.status, 200);
    QCOMPARE(sha256Hex(f.body), sha256OfFile(m_root.filePath(u"data.bin"_s)));
    QVERIFY(f.header("ETag").startsWith('"'));
    QCOMPARE(f.header("Accept-Ranges"), QByteArrayLiteral("bytes"));

    Fetched spaced;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/dir with space/small.bin"_s), &spaced));
    QCOMPARE(spaced.status, 200);
    QCOMPARE(spaced.body, m_data.left(1000));
}

void NginxServerTest::get_range_returns206WithExactContentRange()
{
    Fetched f;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/data.bin"_s), &f, {{"Range", "bytes=1000-1999"}}));
    QCOMPARE(f.status, 206);
    QCOMPARE(f.header("Content-Range"), "bytes 1000-1999/" + QByteArray::number(m_data.size()));
    QCOMPARE(f.body, m_data.mid(1000, 1000));

    Fetched suffix;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/data.bin"_s), &suffix, {{"Range", "bytes=-10"}}));
    QCOMPARE(suffix.status, 206);
    QCOMPARE(suffix.body, m_data.right(10));
}

void NginxServerTest::slow_limitRateThrottles()
{
    // nginx lets the first second's worth pass at once, so the 3 MiB file at 1m takes about two
    // seconds, where the unthrottled location takes milliseconds.
    Fetched f;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/slow/data.bin"_s), &f));
    QCOMPARE(f.status, 200);
    QCOMPARE(f.body, m_data);
    QVERIFY2(f.elapsedMs >= 1200 && f.elapsedMs <= 10000, qPrintable(QString::number(f.elapsedMs)));

    Fetched fast;
    QVERIFY(fetch(*m_nam, m_nginx->url(u"/data.bin"_s), &fast));
    QCOMPARE(fast.body, m_data);
    QVERIFY2(fast.elapsedMs * 3 < f.elapsedMs,
             qPrintable(u"fast %1 ms, slow %2 ms"_s.arg(fast.elapsedMs).arg(f.elapsedMs)));
    const QByteArray access = readFile(m_nginx->prefixDir() + u"/logs/access.log"_s);
    QVERIFY(access.contains("\"GET /slow/data.bin HTTP/1.1\" 200 3145745"));
}

void NginxServerTest::mixed_servesEveryConnectionCorrectly()
{
    // Two managers with six parallel segments each open twelve connections, whose client ports
    // pick different rates.
    const int parts = 12;
    const qint64 size = 1200 * 1024;
    QNetworkAccessManager other;
    std::vector<Fetched> results(parts);
    QList<QNetworkReply *> replies;
    for (int i = 0; i < parts; ++i) {
        replies.append(startFetch(i % 2 ? other : *m_nam, m_nginx->url(u"/mixed/data.bin"_s),
                                  &results[i], {{"Range", sliceRange(size, parts, i)}}));
    }
    QVERIFY(finishAll(replies));
    QByteArray joined;
    for (const Fetched &f : results) {
        QCOMPARE(f.status, 206);
        joined += f.body;
    }
    QCOMPARE(joined, m_data.left(size));

    // Every connection got exactly the rate its client port selects.
    const QList<qint64> rateBytes = {256 * 1024, 0, 2 * 1024 * 1024};
    const QRegularExpression line(
        u"^127\\.0\\.0\\.1:(\\d+) \"GET /mixed/data\\.bin [^\"]*\" 206 \\d+ \"[^\"]*\" rate=(\\d+)$"_s,
        QRegularExpression::MultilineOption);
    const QString access =
        QString::fromUtf8(readFile(m_nginx->prefixDir() + u"/logs/access.log"_s));
    QSet<qint64> ratesSeen;
    int matched = 0;
    for (auto it = line.globalMatch(access); it.hasNext(); ++matched) {
        const QRegularExpressionMatch m = it.next();
        const int index = m_nginx->variableRateIndex(quint16(m.captured(1).toUInt()));
        QCOMPARE(m.captured(2).toLongLong(), rateBytes.at(index));
        ratesSeen.insert(rateBytes.at(index));
    }
    QCOMPARE(matched, parts);
    QVERIFY2(ratesSeen.size() >= 2, "twelve connections should not all land on one rate");
}

void NginxServerTest::destructor_stopsProcess()
{
    const QUrl url = m_nginx->url(u"/data.bin"_s);
    m_nginx.reset();
    Fetched f;
    QVERIFY(fetch(*m_nam, url, &f));
    QCOMPARE(f.error, QNetworkReply::ConnectionRefusedError);
}

QTEST_GUILESS_MAIN(NginxServerTest)
#include "tst_nginxserver.moc"
