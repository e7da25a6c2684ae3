#include "clifixture.h"
#include "sandbox.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <array>
#include <memory>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// A TCP forwarder to the test server that holds back the answers until `together` connections
// have one, then lets them all go at once, and forwards freely from then on. Each run chooses
// where to write as soon as its first answer arrives, so the runs choose at the same moment
// instead of a process start apart. Lives on a thread of its own: the test blocks in
// QProcess::waitForFinished meanwhile.
class AnswersTogether final : public QObject
{
    Q_OBJECT
public:
    AnswersTogether(quint16 target, int together)
        : m_listener(this), m_target(target), m_together(together)
    {
        moveToThread(&m_thread); // the listener, a child, goes along
        m_thread.start();
        QMetaObject::invokeMethod(
            this,
            [this] {
                connect(&m_listener, &QTcpServer::newConnection, this, &AnswersTogether::accept);
                m_listener.listen(QHostAddress::LocalHost);
            },
            Qt::BlockingQueuedConnection);
    }

    ~AnswersTogether() override
    {
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_listener.close();
                qDeleteAll(m_links);
                m_links.clear();
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    quint16 port() const { return m_listener.serverPort(); }

private:
    struct Link
    {
        QTcpSocket *client = nullptr;
        QTcpSocket upstream;
        QByteArray toServer; // until the upstream connection is up
        QByteArray held;     // answers, until every connection has one
        ~Link() { delete client; }
    };

    void accept()
    {
        while (QTcpSocket *client = m_listener.nextPendingConnection()) {
            auto *link = new Link;
            link->client = client;
            m_links.append(link);
            QTcpSocket *up = &link->upstream;
            // Each connection names the other socket as its context, so that neither is used once
            // the other is gone (a Link's sockets go one after the other).
            connect(client, &QTcpSocket::readyRead, up, [link] {
                const QByteArray data = link->client->readAll();
                if (link->upstream.state() == QAbstractSocket::ConnectedState)
                    link->upstream.write(data);
                else
                    link->toServer += data;
            });
            connect(up, &QTcpSocket::connected, client,
                    [link] { link->upstream.write(std::exchange(link->toServer, {})); });
            connect(up, &QTcpSocket::readyRead, client, [this, link] {
                const QByteArray data = link->upstream.readAll();
                if (m_open) {
                    link->client->write(data);
                    return;
                }
                link->held += data;
                release();
            });
            connect(client, &QTcpSocket::disconnected, up, [up] { up->disconnectFromHost(); });
            connect(up, &QTcpSocket::disconnected, client, [this, client] {
                if (m_open)
                    client->disconnectFromHost();
            });
            up->connectToHost(QHostAddress::LocalHost, m_target);
        }
    }

    void release()
    {
        qsizetype answered = 0;
        for (const Link *l : std::as_const(m_links))
            answered += l->held.isEmpty() ? 0 : 1;
        if (answered < m_together)
            return;
        m_open = true;
        for (Link *l : std::as_const(m_links)) {
            l->client->write(std::exchange(l->held, {}));
            if (l->upstream.state() == QAbstractSocket::UnconnectedState)
                l->client->disconnectFromHost();
        }
    }

    QTcpServer m_listener;
    QThread m_thread;
    QList<Link *> m_links;
    quint16 m_target;
    int m_together;
    bool m_open = false;
};

} // namespace

// Two ferry-cli processes started at the same moment, downloading different files that have
// the same name into one folder: each must end with a file of its own, whether they share a
// state folder or not (two users, or two instances, know nothing of each other's downloads; only
// what is on the disk tells them which names are taken).
class CliSameNameTest final : public CliFixture
{
    Q_OBJECT

private slots:
    void get_twoProcessesOneNameGetAFileEach_data();
    void get_twoProcessesOneNameGetAFileEach();
};

void CliSameNameTest::get_twoProcessesOneNameGetAFileEach_data()
{
    QTest::addColumn<bool>("sharedState");
    QTest::newRow("one state folder") << true;
    QTest::newRow("a state folder each") << false;
}

void CliSameNameTest::get_twoProcessesOneNameGetAFileEach()
{
    QFETCH(bool, sharedState);
    // Different bodies (and sizes) under one name; slow enough for the two runs to overlap.
    const std::array<QString, 2> paths{u"/a/data.bin"_s, u"/b/data.bin"_s};
    const std::array<QByteArray, 2> bodies{deterministicBytes(384 * kKiB + 101, 0xA11CEu),
                                           deterministicBytes(384 * kKiB + 202, 0xB0Bu)};
    Faults slow;
    slow.bytesPerSecond = 512 * kKiB;
    for (int i = 0; i < 2; ++i) {
        m_server->setResource(paths[i], Resource{bodies[i], "\"same-name-v1\"", {}, {}});
        m_server->setFaults(paths[i], slow);
    }
    // The state folders exist before the race, which is about file names, not about creating them.
    const std::array<QString, 2> stateDirs{m_tmp->filePath(u"state-1"_s),
                                           sharedState ? m_tmp->filePath(u"state-1"_s)
                                                       : m_tmp->filePath(u"state-2"_s)};
    for (const QString &dir : stateDirs) {
        const CliResult r = runCli({u"list"_s, u"--state-dir"_s, dir});
        VERIFY_EXIT(r, 0);
    }

    // Even answered together, the two runs reach the point of choosing a name a little apart;
    // rounds enough to catch a choice and a creation that are not one step.
    constexpr int rounds = 20;
    for (int round = 0; round < rounds; ++round) {
        const QString outDir = m_tmp->filePath(u"out-%1"_s.arg(round));
        QVERIFY(QDir().mkpath(outDir));
        const AnswersTogether gate(m_server->port(), 2);
        QVERIFY(gate.port() != 0);
        std::array<std::unique_ptr<QProcess>, 2> procs;
        for (int i = 0; i < 2; ++i) {
            QUrl url = m_server->url(paths[i]);
            url.setPort(gate.port());
            procs[i] = startCli({u"get"_s, url.toString(), u"-d"_s, outDir, u"-s"_s, u"2"_s,
                                 u"--json"_s, u"--state-dir"_s, stateDirs[i]});
        }
        const std::array<CliResult, 2> results{collect(*procs[0]), collect(*procs[1])};
        std::array<QString, 2> files;
        for (int i = 0; i < 2; ++i) {
            const CliResult &r = results[i];
            const QString why = u"round %1, %2: "_s.arg(round).arg(paths[i]) + r.describe();
            QVERIFY2(r.finished && r.exitCode == 0, qPrintable(why));
            const QList<QJsonObject> events = jsonLines(r.out);
            QVERIFY2(!events.isEmpty(), qPrintable(why));
            QCOMPARE(events.last().value(u"event"_s).toString(), u"completed"_s);
            files[i] = events.last().value(u"file"_s).toString();
        }
        // One file each, under the two names, each holding exactly the body its run downloaded.
        QCOMPARE(entriesIn(outDir), (QStringList{u"data (1).bin"_s, u"data.bin"_s}));
        QVERIFY2(files[0] != files[1],
                 qPrintable(u"round %1: both runs report %2"_s.arg(round).arg(files[0])));
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(QFileInfo(files[i]).absolutePath(), QFileInfo(outDir).absoluteFilePath());
            QVERIFY2(sha256OfFile(files[i]) == sha256Hex(bodies[i]),
                     qPrintable(u"round %1: %2 does not hold the body of %3"_s.arg(round).arg(
                         files[i], paths[i])));
        }
    }
}

QTEST_GUILESS_MAIN(CliSameNameTest)
#include "tst_cli_samename.moc"
