#pragma once

// What every DownloadManager test starts from: a fresh state folder, a fresh download folder and
// an in-process server, plus a manager tuned with short timeouts so faults resolve in seconds.
// A test class derives from QObject and from this, creates it in init() and drops it in cleanup().
#include "api/downloadmanager.h"
#include "faultserver.h"

#include <QDir>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace ferry::test {

class DownloadManagerFixture
{
protected:
    static constexpr int finishTimeoutMs = 60'000;

    static bool isFinal(DownloadState s)
    {
        return s == DownloadState::Completed || s == DownloadState::Failed || s == DownloadState::Paused;
    }

    static Resource resource(const QByteArray &body, const QByteArray &etag = "\"v1\"")
    {
        Resource r;
        r.body = body;
        r.etag = etag;
        return r;
    }

    // Fresh folders and a running server for the next test; false if the server cannot listen.
    bool createFixture()
    {
        m_state = std::make_unique<QTemporaryDir>();
        m_out = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<FaultServer>();
        return m_server->start();
    }

    void destroyFixture()
    {
        m_server.reset();
        m_out.reset();
        m_state.reset();
    }

    // One manager per test, with short timeouts so faults resolve in seconds.
    std::unique_ptr<DownloadManager> makeManager(EngineSettings settings = {})
    {
        settings.stallTimeoutMs = 1500;
        settings.backoff.baseMs = 50;
        settings.backoff.capMs = 400;
        settings.minSplit = 256 * 1024;
        auto m = std::make_unique<DownloadManager>(m_state->path(), settings);
        QString error;
        if (!m->open(false, &error))
            qFatal("cannot open state: %s", qPrintable(error));
        return m;
    }

    DownloadId add(DownloadManager &m, const QUrl &url, int connections = 8, const QString &checksum = {})
    {
        DownloadRequest r;
        r.url = url;
        r.directory = m_out->path();
        r.connections = connections;
        r.checksum = checksum;
        QString error;
        const DownloadId id = m.add(r, &error);
        if (id == 0)
            qWarning("add failed: %s", qPrintable(error));
        return id;
    }

    DownloadSnapshot waitFinal(DownloadManager &m, DownloadId id, int timeoutMs = finishTimeoutMs)
    {
        [&] { QTRY_VERIFY_WITH_TIMEOUT(isFinal(m.snapshot(id)->state), timeoutMs); }();
        return *m.snapshot(id);
    }

    QStringList outFiles() const { return QDir(m_out->path()).entryList(QDir::Files); }

    std::unique_ptr<QTemporaryDir> m_state;
    std::unique_ptr<QTemporaryDir> m_out;
    std::unique_ptr<FaultServer> m_server;
};

} // namespace ferry::test
