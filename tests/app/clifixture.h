#pragma once

#include "clitestsupport.h"
#include "faultserver.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

// What the tests of plain ferry-cli downloads share: a test server with one file, a sandbox for
// the files and state folder of each test, and running the real binary against them.

namespace ferry::test {

// Rows of the text `list`: id -> state column.
QHash<qint64, QString> listRows(const QByteArray &text);

struct Listing
{
    bool ok = false; // exit 0 and nothing but JSON objects
    QString why;     // the run, for failure messages
    QList<QJsonObject> entries;
};

class CliFixture : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

protected:
    QProcessEnvironment environment() const;
    std::unique_ptr<QProcess> startCli(const QStringList &args) const;
    CliResult runCli(const QStringList &args, int timeoutMs = kRunTimeoutMs) const;
    QStringList withState(QStringList args) const;
    QStringList getArgs(const QString &url, const QStringList &extra = {}) const;
    Listing listJson() const;
    // Runs `get --json` and returns its final event; fails the test unless it completed.
    QJsonObject getCompleted(const QString &url, const QStringList &extra = {});
    // Waits until `list --json` shows the single download with bytes done while `proc` (a `get`
    // just started) still runs.
    QJsonObject waitForProgress(QProcess &proc);
    QStringList entriesIn(const QString &dir) const;
    // A file served at 256 KiB/s per connection, and a state database created beforehand so
    // that `list` runs started next to `get` never race to create it (see
    // state_processesStartedTogetherOnFreshFolderAllOpenIt).
    struct SlowFile
    {
        QByteArray body;
        QString path;
        QByteArray etag;
        QString finalPath;
        QString partPath;
    };
    SlowFile addSlowFile(const QString &name, quint32 seed);
    // Waits for a stopped `get` and collects what it printed.
    static CliResult collect(QProcess &proc);
    // Every GET from request `from` on continued the partial file: a range checked with If-Range,
    // never the open "bytes=0-" of a fresh start.
    void verifyContinued(const QString &path, qsizetype from, const QByteArray &etag) const;

    QString m_cli;
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<FaultServer> m_server;
    QString m_outDir;
    QString m_stateDir; // not created up front: usage errors must leave it absent
    // The session bus ferry-cli sees. Never the developer's keychain: by default an address where
    // no bus listens (no keychain, as on a server); a test may point it at a KeyringSession.
    QString m_busAddress;
    QByteArray m_body;
    QString m_path = u"/files/data.bin"_s;
};

} // namespace ferry::test
