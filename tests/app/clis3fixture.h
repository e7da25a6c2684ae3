#pragma once

#include "clitestsupport.h"
#include "s3/s3client.h"
#include "rgwserver.h"

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

// What the tests of `ferry-cli` against S3 share: one real S3 server (Ceph RGW) for the
// whole class with its buckets and a client to put or fetch objects behind ferry-cli's back, a
// sandbox for the files and state folder of each test, and running the real binary with the
// server's keys in its environment.

namespace ferry::test {

class CliS3Fixture : public QObject
{
    Q_OBJECT

public:
    // The server holds m_bucket and `extraBuckets`.
    explicit CliS3Fixture(QStringList extraBuckets = {});

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

protected:
    // Runs once the server is up, for what a class prepares for all its tests.
    virtual void prepareTestCase() {}

    // ferry-cli's environment: nothing of the developer's (proxies, ~/.aws, state folder), the
    // server's keys and region, and `endpoint` (the server's when empty) as AWS_ENDPOINT_URL.
    QProcessEnvironment environment(const QUrl &endpoint = {}) const;
    std::unique_ptr<QProcess> startCli(const QStringList &args, const QUrl &endpoint = {}) const;
    // Runs ferry-cli to its end with `*env` when given, otherwise environment(endpoint). The
    // event loop keeps running meanwhile, for servers living on this thread.
    CliResult runCli(const QStringList &args, const QUrl &endpoint = {},
                     const QProcessEnvironment *env = nullptr) const;
    bool putObject(const QString &key, const QByteArray &data);

    QString m_cli;
    RgwServer *m_server = nullptr;
    std::unique_ptr<ferry::s3::Client> m_client;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_stateDir; // not created up front: usage errors must leave it absent
    QString m_outDir;
    const QString m_bucket = u"bucket"_s;

private:
    const QStringList m_extraBuckets;
};

} // namespace ferry::test
