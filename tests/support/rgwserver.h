#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

class QTemporaryDir;

namespace ferry::test {

// A real S3 server: a throwaway single-node Ceph cluster with its RADOS Gateway on 127.0.0.1,
// started by tests/support/rgw/rgw-cluster with everything in a private temporary directory
// (the objects live in memory). It checks SigV4 header and presigned signatures, so it catches
// signing mistakes a fake would accept. It takes a few seconds to start and about 130 MiB, so
// a test program shares one (shared()) and each test class works in buckets of its own.
// Not thread-safe: use from the thread that created it.
class RgwServer final
{
public:
    RgwServer();
    ~RgwServer(); // stops the cluster
    RgwServer(const RgwServer &) = delete;
    RgwServer &operator=(const RgwServer &) = delete;

    // The one cluster of this test program; started by its first start(), stopped when the
    // application object goes away (or, should the program die, by the launcher itself).
    static RgwServer &shared();

    static QString launcherScript(); // $FERRY_SOURCE_DIR/tests/support/rgw/rgw-cluster
    // Empty when the Ceph binaries and the launcher are there; otherwise why the server cannot
    // run, for QSKIP.
    static QString unavailableReason();

    // The launcher's fixed test user.
    static QString accessKey() { return QStringLiteral("FERRYTESTACCESSKEY01"); }
    static QString secretKey() { return QStringLiteral("ferry-test-secret-key-0123456789abcdefghij"); }
    // The gateway takes any region in a signature's scope; this is the one tests sign for.
    static QString region() { return QStringLiteral("us-east-1"); }

    // Before start(): buckets created once it runs. While it runs: created at once.
    void addBucket(const QString &name);
    // Creates a bucket (3 to 63 lowercase characters) with a signed PUT; one the test user
    // already owns is fine.
    bool createBucket(const QString &name, QString *error = nullptr);

    // Removes an object with radosgw-admin, straight from the storage, without running the
    // event loop: usable while a test is inside a signal of the code under test.
    bool removeObject(const QString &bucket, const QString &key, QString *error = nullptr);

    // Starts the cluster (a few seconds; true at once when it already runs) and creates the
    // buckets added so far.
    bool start(QString *error = nullptr);
    void stop();
    bool isRunning() const;

    quint16 port() const { return quint16(m_endpoint.port()); }
    QUrl endpoint() const { return m_endpoint; } // http://127.0.0.1:PORT (path-style addressing)
    QString clusterDir() const;
    // What the launcher reported on stderr and the tail of the gateway's log, for failure
    // messages (never the keys).
    QString output() const;
    qint64 startMs() const { return m_startMs; } // how long the last start took

private:
    QStringList m_buckets;
    std::unique_ptr<QTemporaryDir> m_dir;
    QUrl m_endpoint;
    QByteArray m_output;
    qint64 m_startMs = 0;
};

} // namespace ferry::test
