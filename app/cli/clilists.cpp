#include "clirunner.h"

#include "api/downloadlist.h"
#include "api/downloadmanager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace ferry::cli {

int CliRunner::exportList()
{
    // Only plain web downloads: S3 objects and uploads are reached through an account, not
    // by an address another program could fetch; an archive entry's address is the archive's.
    QList<DownloadSnapshot> downloads;
    QHash<DownloadId, DownloadList::Extras> extras;
    for (const DownloadSnapshot &d : m_manager->snapshots()) {
        if (d.kind != TransferKind::Download || !d.source.isEmpty() || !d.archiveEntry.isEmpty())
            continue;
        downloads.append(d);
        const DownloadManager::ListDetails details = m_manager->listDetails(d.id);
        extras.insert(d.id, {details.checksum, details.headerNames});
    }
    const QByteArray data = DownloadList::write(
        downloads, m_options.json ? DownloadList::Format::Json : DownloadList::Format::Text,
        extras);
    if (m_options.arguments.isEmpty()) {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fflush(stdout);
        return Ok;
    }
    QSaveFile file(m_options.arguments.first());
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        m_printer->message(
            tr("ferry-cli: cannot write %1: %2").arg(file.fileName(), file.errorString()));
        return DownloadFailed;
    }
    m_printer->message(
        tr("Wrote %n download(s) to %1.", nullptr, int(downloads.size())).arg(file.fileName()));
    return Ok;
}

int CliRunner::importList()
{
    const QString path = m_options.arguments.first();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_printer->message(tr("ferry-cli: cannot read %1: %2").arg(path, file.errorString()));
        return Usage;
    }
    const DownloadList::Imported list = DownloadList::read(file.readAll());
    for (const QString &why : list.skipped)
        m_printer->message(tr("ferry-cli: %1: skipped %2").arg(path, why));
    // -d puts everything into one folder; without it each download goes where the list says
    // when that folder exists here, else into the current folder.
    const QString fallback =
        m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory;
    int added = 0;
    for (DownloadRequest request : list.requests) {
        if (!m_options.directory.isEmpty() || request.directory.isEmpty() ||
            !QFileInfo(request.directory).isDir())
            request.directory = QDir(fallback).absolutePath();
        if (m_options.connections)
            request.connections = m_options.connections;
        if (m_options.rateLimit)
            request.rateLimit = m_options.rateLimit;
        QString error;
        const DownloadId id = m_manager->add(request, &error);
        if (id == 0) {
            m_printer->message(
                tr("ferry-cli: %1: %2").arg(request.url.toString(QUrl::RemovePassword), error));
            m_exitCode = DownloadFailed;
            continue;
        }
        std::printf("%lld\n", id);
        ++added;
    }
    std::fflush(stdout);
    m_manager->flush();
    m_printer->message(tr("Queued %n download(s); ferry-cli resume or the window downloads them.",
                          nullptr, added));
    return m_exitCode;
}

} // namespace ferry::cli
