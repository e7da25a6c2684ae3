#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace ferry::test {

// A real S3-compatible server (the npm package @20minutes/s3rver, pinned in
// tests/package.json) on 127.0.0.1 with its data in a private temporary directory. It checks
// SigV4 header and presigned signatures, so it catches signing mistakes a fake would accept.
// It has no request log worth parsing: tests that count requests put a proxy in front.
// Not thread-safe: use from the thread that created it.
class S3Server final
{
public:
    S3Server();
    ~S3Server(); // stops the server (terminate, then kill) and waits
    S3Server(const S3Server &) = delete;
    S3Server &operator=(const S3Server &) = delete;

    static QString nodeBinary();     // /usr/bin/node or the one on PATH; empty when missing
    static QString nodeModulesDir(); // $FERRY_SOURCE_DIR/tests/node_modules
    // Empty when node and the package are installed; otherwise why the server cannot run,
    // for QSKIP.
    static QString unavailableReason();

    static QString accessKey() { return QStringLiteral("S3RVER"); }
    static QString secretKey() { return QStringLiteral("S3RVER"); }
    static QString region() { return QStringLiteral("us-east-1"); }

    // Call before start(): buckets created empty at startup.
    void addBucket(const QString &name);

    // Launches the server and waits up to 20 s until it says it is listening.
    bool start(QString *error = nullptr);
    void stop();
    bool isRunning() const;

    quint16 port() const { return m_port; }
    QUrl endpoint() const; // http://127.0.0.1:PORT (path-style addressing)
    QString dataDir() const;
    QString output() const; // what the server printed so far, for failure messages

private:
    bool launchOnce(QString *error);

    QStringList m_buckets;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    QProcess m_process;
    QByteArray m_output;
};

} // namespace ferry::test
