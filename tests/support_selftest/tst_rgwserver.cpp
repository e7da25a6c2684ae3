#include "rgwserver.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace ferry::test;

namespace {

// The daemons' PIDs, from the pid files the launcher writes.
QList<int> daemonPids(const QString &clusterDir)
{
    QList<int> pids;
    for (const QString &name : {u"mon"_s, u"osd"_s, u"rgw"_s}) {
        QFile f(QDir(clusterDir).filePath(u"run/%1.pid"_s.arg(name)));
        if (f.open(QIODevice::ReadOnly))
            pids.append(f.readAll().trimmed().toInt());
    }
    return pids;
}

// Alive and not a zombie (they are not our children: nobody here reaps them).
bool running(int pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    return !line.mid(line.lastIndexOf(')') + 2, 1).startsWith('Z');
}

qint64 rssKib(int pid)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

} // namespace

class RgwServerTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const QString why = RgwServer::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void startAndStop_leaveNothingRunning()
    {
        QString clusterDir;
        QList<int> pids;
        {
            RgwServer server;
            server.addBucket(u"selftest"_s);
            QString error;
            QVERIFY2(server.start(&error), qPrintable(error));
            QVERIFY(server.isRunning());
            QCOMPARE(server.endpoint().host(), u"127.0.0.1"_s);
            QVERIFY(server.port() != 0);
            clusterDir = server.clusterDir();
            pids = daemonPids(clusterDir);
            QCOMPARE(pids.size(), 3);
            qint64 rss = 0;
            for (int pid : std::as_const(pids)) {
                QVERIFY(running(pid));
                rss += rssKib(pid);
            }
            qInfo("started in %lld ms; the three daemons hold %lld MiB", server.startMs(), rss / 1024);

            // Created again: the test user owns it already, which is fine.
            QVERIFY2(server.createBucket(u"selftest"_s, &error), qPrintable(error));
            // Bucket names follow the real rules.
            QVERIFY(!server.createBucket(u"ab"_s, &error));
            QVERIFY2(error.contains(u"400"_s), qPrintable(error));
            QVERIFY(!server.removeObject(u"no-such-bucket"_s, u"x"_s, &error));
            QVERIFY(!error.isEmpty());
            // A second start of a running cluster is a no-op.
            QVERIFY(server.start(&error));
            QCOMPARE(daemonPids(clusterDir), pids);
        } // the destructor stops it
        for (int pid : std::as_const(pids))
            QVERIFY2(!running(pid), qPrintable(u"daemon %1 still runs"_s.arg(pid)));
        QVERIFY(!QDir(clusterDir).exists());
    }
};

QTEST_GUILESS_MAIN(RgwServerTest)
#include "tst_rgwserver.moc"
