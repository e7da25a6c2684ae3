#include "clirunner.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "api/secretvault.h"
#include "s3command.h"
#include "s3session.h"
#include "zipcommand.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QLockFile>

#include <cerrno>
#include <csignal>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::cli {

CliRunner::CliRunner(CliOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_printer = std::make_unique<ProgressPrinter>(m_options.json, ::isatty(STDERR_FILENO) == 1);
}

CliRunner::~CliRunner() = default;

QString CliRunner::ownerOf(DownloadId id) const
{
    // Reads the lock without taking it, so asking never disturbs a process about to start.
    const QString path = m_manager->stateDir() + u"/locks/%1.lock"_s.arg(id);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const qint64 pid = file.readLine().trimmed().toLongLong();
    if (pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno != EPERM))
        return {}; // no owner, or a stale lock of a process that died
    return QString::number(pid);
}

int CliRunner::start()
{
    if (m_options.command == Command::Help) {
        std::fputs(qPrintable(helpText()), stdout);
        return Ok;
    }
    if (m_options.command == Command::Version) {
        std::printf("ferry-cli %s\n", FERRY_VERSION);
        return Ok;
    }
    EngineSettings settings;
    settings.stallTimeoutMs = m_options.stallTimeoutSeconds * 1000;
    settings.changedFilePolicy = m_options.failOnChange ? ChangedFilePolicy::Fail : ChangedFilePolicy::Restart;
    // An imported list waits in the queue for whoever runs it next; nothing starts here.
    if (m_options.command == Command::Import || m_options.command == Command::Export)
        settings.maxConcurrentDownloads = 0;
    const QString stateDir = m_options.stateDir.isEmpty() ? DownloadManager::defaultStateDir()
                                                           : QDir(m_options.stateDir).absolutePath();
    m_manager = std::make_unique<DownloadManager>(stateDir, settings);
    // Headers given with -H survive this process in the keychain, so that `resume` can send them.
    m_manager->setSecretVault(std::make_unique<SecretVault>(SecretVault::systemKeychain(5000)));
    connect(m_manager->secretVault(), &SecretVault::unavailable, this,
            [this] { m_printer->message(u"ferry-cli: "_s + SecretVault::unavailableMessage()); });
    // Before open(): stored uploads come back as uploads only when their kind is registered.
    m_s3 = std::make_unique<S3Transfers>(m_manager.get());
    QString error;
    // Unfinished downloads of other runs stay where they are; this process runs only what it
    // is asked to.
    if (!m_manager->open(false, &error)) {
        m_printer->message(tr("ferry-cli: cannot open the state database: %1").arg(error));
        return StateError;
    }
    m_s3Session = std::make_unique<S3Session>(m_options.s3, stateDir, m_s3.get());

    switch (m_options.command) {
    case Command::List:
        return list();
    case Command::Export:
        return exportList();
    case Command::Import:
        return importList();
    case Command::Pause:
        return pause();
    case Command::Remove:
        return remove();
    case Command::Resume: {
        QList<DownloadId> ids;
        if (m_options.arguments.isEmpty()) {
            for (const DownloadSnapshot &d : m_manager->snapshots()) {
                // A completed archive whose unpacking was interrupted is unfinished too.
                if (d.state != DownloadState::Completed || d.extract == ExtractState::Waiting)
                    ids.append(d.id);
            }
        } else {
            for (const QString &a : std::as_const(m_options.arguments)) {
                const DownloadId id = a.toLongLong();
                if (!m_manager->snapshot(id)) {
                    m_printer->message(tr("ferry-cli: there is no download %1.").arg(id));
                    m_exitCode = Usage;
                    continue;
                }
                ids.append(id);
            }
        }
        if (ids.isEmpty()) {
            if (m_exitCode == Ok)
                m_printer->message(tr("Nothing to resume."));
            return m_exitCode;
        }
        return resume(ids);
    }
    case Command::S3: {
        m_s3Command = std::make_unique<S3Command>(m_options, m_s3Session.get(), m_s3.get(), m_printer.get(),
                                                  [this](const QList<DownloadId> &ids) {
                                                      for (DownloadId id : ids) {
                                                          if (m_options.rateLimit)
                                                              m_manager->setRateLimit(id, *m_options.rateLimit);
                                                      }
                                                      run(ids);
                                                  });
        connect(m_s3Command.get(), &S3Command::done, this, &CliRunner::done);
        m_s3Command->start();
        return -1;
    }
    case Command::Zip:
        m_zipCommand = std::make_unique<ZipCommand>(m_options, m_s3Session.get(), m_printer.get(), m_manager.get(),
                                                    [this](const QList<DownloadId> &ids, int exitCode) {
                                                        if (exitCode != Ok)
                                                            m_exitCode = exitCode;
                                                        run(ids);
                                                    });
        connect(m_zipCommand.get(), &ZipCommand::done, this, &CliRunner::done);
        m_zipCommand->start();
        return -1;
    case Command::Get: {
        QList<DownloadId> ids;
        for (const QString &a : std::as_const(m_options.arguments)) {
            DownloadRequest request;
            request.url = QUrl::fromUserInput(a);
            if (!a.contains(u"://"_s) || !request.url.isValid())
                request.url = QUrl(a); // let the manager reject it with a clear message
            request.directory = m_options.directory;
            request.fileName = m_options.outputName;
            request.connections = m_options.connections;
            request.rateLimit = m_options.rateLimit;
            request.checksum = m_options.checksum;
            request.headers = m_options.headers;
            if (m_options.extract)
                request.extractArchive = true;
            QString addError;
            const DownloadId id = m_manager->add(request, &addError);
            if (id == 0) {
                m_printer->message(u"ferry-cli: "_s + addError);
                m_exitCode = Usage;
                continue;
            }
            ids.append(id);
        }
        if (ids.isEmpty())
            return m_exitCode;
        return run(ids);
    }
    default:
        return Usage;
    }
}

int CliRunner::resume(const QList<DownloadId> &ids)
{
    // S3 transfers wait for their account's client: open those accounts first (the one from
    // the environment included), then resume everything together.
    const QHash<DownloadId, QString> accounts = S3Session::accountsOf(m_manager->stateDir(), ids);
    if (accounts.isEmpty()) {
        for (DownloadId id : ids)
            m_manager->resume(id);
        return run(ids);
    }
    QStringList needed = accounts.values();
    needed.removeDuplicates();
    m_s3Session->openAccounts(needed, [this, ids](const QStringList &errors) {
        for (const QString &e : errors)
            m_printer->message(u"ferry-cli: "_s + e);
        for (DownloadId id : ids)
            m_manager->resume(id);
        run(ids);
    });
    return -1;
}

int CliRunner::list()
{
    const QList<DownloadSnapshot> all = m_manager->snapshots();
    if (m_options.json) {
        for (const DownloadSnapshot &d : all) {
            const bool running = d.state != DownloadState::Completed && !ownerOf(d.id).isEmpty();
            std::printf("%s\n", ProgressPrinter::toJson(d, "download", running ? tr("running") : QString()).constData());
        }
        return Ok;
    }
    if (all.isEmpty()) {
        std::printf("%s\n", qPrintable(tr("No downloads.")));
        return Ok;
    }
    std::printf("%-5s %-12s %7s %11s  %s\n", "ID", "STATE", "DONE", "SIZE", "FILE / URL");
    for (const DownloadSnapshot &d : all) {
        QString state = stateName(d.state);
        const QString owner = (d.state != DownloadState::Completed) ? ownerOf(d.id) : QString();
        if (!owner.isEmpty())
            state = tr("running");
        const QString percent = d.total > 0 ? u"%1%"_s.arg(100.0 * double(d.done) / double(d.total), 0, 'f', 1) : u"-"_s;
        const QString file = d.targetPath.isEmpty() ? d.fileName : d.targetPath;
        std::printf("%-5lld %-12s %7s %11s  %s\n", d.id, qPrintable(state), qPrintable(percent),
                    qPrintable(formatBytes(d.total)), qPrintable(file.isEmpty() ? d.url.toString() : file));
        if (!file.isEmpty())
            std::printf("%38s%s\n", "", qPrintable(d.url.toString(QUrl::RemovePassword)));
        if (!d.message.isEmpty() && d.state != DownloadState::Completed)
            std::printf("%38s%s\n", "", qPrintable(d.message));
    }
    return Ok;
}

int CliRunner::pause()
{
    int code = Ok;
    for (const QString &a : std::as_const(m_options.arguments)) {
        const DownloadId id = a.toLongLong();
        const auto snap = m_manager->snapshot(id);
        if (!snap) {
            m_printer->message(tr("ferry-cli: there is no download %1.").arg(id));
            code = Usage;
            continue;
        }
        QString owner = ownerOf(id);
        if (owner.isEmpty()) {
            // Nobody runs it: paused here, under its lock, so that a process about to start it
            // reads the pause. When one took the lock first, that one is asked instead.
            const DownloadManager::Change outcome = m_manager->pause(id);
            if (outcome == DownloadManager::Change::Done) {
                m_printer->message(tr("Paused download %1.").arg(id));
                continue;
            }
            if (outcome == DownloadManager::Change::Gone) {
                m_printer->message(tr("ferry-cli: there is no download %1.").arg(id));
                code = Usage;
                continue;
            }
            owner = ownerOf(id);
        }
        // The running process polls for this marker and pauses the download itself, so its
        // saved progress stays its own.
        QFile marker(m_manager->stateDir() + u"/locks/%1.pause"_s.arg(id));
        marker.open(QIODevice::WriteOnly);
        m_printer->message(tr("Asked process %1 to pause download %2.").arg(owner).arg(id));
    }
    m_manager->flush();
    return code;
}

int CliRunner::remove()
{
    QList<DownloadId> ids;
    QList<DownloadId> uploads;
    for (const QString &a : std::as_const(m_options.arguments)) {
        const DownloadId id = a.toLongLong();
        const auto snap = m_manager->snapshot(id);
        if (!snap) {
            m_printer->message(tr("ferry-cli: there is no download %1.").arg(id));
            m_exitCode = Usage;
            continue;
        }
        if (const QString owner = ownerOf(id); !owner.isEmpty()) {
            m_printer->message(tr("ferry-cli: download %1 is running in process %2; pause it first.").arg(id).arg(owner));
            m_exitCode = Usage;
            continue;
        }
        ids.append(id);
        // A bundle streamed into a bucket leaves an unfinished multipart upload too.
        if ((snap->kind == TransferKind::Upload || snap->kind == TransferKind::ZipBucket)
            && snap->state != DownloadState::Completed)
            uploads.append(id);
    }
    // Removing an unfinished upload aborts it on the server, which takes its account's keys:
    // open those accounts first, as resume does. Without them the upload is still removed
    // here, with a warning.
    const QHash<DownloadId, QString> accounts =
        uploads.isEmpty() ? QHash<DownloadId, QString>() : S3Session::accountsOf(m_manager->stateDir(), uploads);
    QStringList needed = accounts.values();
    needed.removeDuplicates();
    if (needed.isEmpty())
        return removeNow(ids, {});
    auto errors = std::make_shared<QHash<DownloadId, QString>>();
    auto left = std::make_shared<qsizetype>(needed.size());
    for (const QString &account : std::as_const(needed)) {
        m_s3Session->openAccounts({account}, [this, ids, accounts, account, errors, left](const QStringList &failed) {
            if (!failed.isEmpty()) {
                for (auto it = accounts.begin(); it != accounts.end(); ++it) {
                    if (it.value() == account)
                        errors->insert(it.key(), failed.join(u' '));
                }
            }
            if (--*left > 0)
                return;
            if (const int code = removeNow(ids, *errors); code >= 0)
                emit done(code);
        });
    }
    return -1;
}

int CliRunner::removeNow(const QList<DownloadId> &ids, const QHash<DownloadId, QString> &accountErrors)
{
    // Every removal is answered once: inside remove() when nothing was left on a server, later
    // when an upload's abort request was sent.
    connect(m_manager.get(), &DownloadManager::transferDiscarded, this,
            [this, accountErrors](DownloadId id, bool ok, const QString &message) {
                const auto it = m_removing.constFind(id);
                if (it == m_removing.constEnd())
                    return;
                const QString object = it.value();
                m_removing.erase(it);
                if (!ok) {
                    const QString why = accountErrors.value(id, message);
                    m_printer->message(tr("ferry-cli: warning: the unfinished upload to %1 could not be aborted on the "
                                          "server: %2 Its parts stay there until the bucket's lifecycle rules remove "
                                          "them.").arg(object, why));
                    m_exitCode = DownloadFailed;
                } else if (!m_insideRemove) {
                    m_printer->message(tr("Aborted the unfinished upload to %1 on the server.").arg(object));
                }
                if (m_removing.isEmpty() && !m_insideRemove) {
                    m_manager->flush();
                    emit done(m_exitCode);
                }
            });
    for (DownloadId id : ids) {
        const auto snap = m_manager->snapshot(id);
        if (!snap)
            continue;
        const bool upload = snap->kind == TransferKind::Upload;
        m_removing.insert(id, snap->source);
        m_insideRemove = true;
        const bool removed = m_manager->remove(id, m_options.deleteFile);
        m_insideRemove = false;
        if (!removed) {
            // Another process started it, or removed it, a moment ago.
            m_removing.remove(id);
            if (m_manager->snapshot(id))
                m_printer->message(
                    tr("ferry-cli: download %1 is running in process %2; pause it first.").arg(id).arg(ownerOf(id)));
            else
                m_printer->message(tr("ferry-cli: there is no download %1.").arg(id));
            m_exitCode = Usage;
            continue;
        }
        if (upload)
            m_printer->message(tr("Removed upload %1 (the local file was kept).").arg(id));
        else
            m_printer->message(m_options.deleteFile ? tr("Removed download %1 and its file.").arg(id)
                                                    : tr("Removed download %1 (its file was kept).").arg(id));
    }
    if (!m_removing.isEmpty())
        return -1; // waiting for the server to answer the aborts
    m_manager->flush();
    return m_exitCode;
}

int CliRunner::run(const QList<DownloadId> &ids)
{
    m_waiting = QSet<DownloadId>(ids.begin(), ids.end());
    // A pause request meant for an earlier run must not stop this one.
    for (DownloadId id : ids)
        QFile::remove(m_manager->stateDir() + u"/locks/%1.pause"_s.arg(id));
    connect(m_manager.get(), &DownloadManager::snapshotsUpdated, this, [this](const QList<DownloadSnapshot> &changed) {
        QList<DownloadSnapshot> mine;
        for (const DownloadSnapshot &d : changed) {
            if (m_waiting.contains(d.id) && d.state != DownloadState::Completed)
                mine.append(d);
        }
        if (!mine.isEmpty())
            m_printer->progress(mine);
        checkProgress();
    });
    connect(m_manager.get(), &DownloadManager::stateChanged, this, [this] { checkProgress(); });
    // Removed by another process before its turn came: nothing more to wait for.
    connect(m_manager.get(), &DownloadManager::downloadRemoved, this, [this](DownloadId id) {
        if (!m_waiting.remove(id))
            return;
        m_printer->removed(id, tr("Download %1 was removed by another process.").arg(id));
        if (m_exitCode == Ok)
            m_exitCode = Stopped;
        if (m_waiting.isEmpty())
            finish();
    });
    m_poll.setInterval(DownloadManager::tickMs);
    connect(&m_poll, &QTimer::timeout, this, [this] {
        const QSet<DownloadId> waiting = m_waiting; // pausing shrinks m_waiting as we go
        for (DownloadId id : waiting) {
            QFile marker(m_manager->stateDir() + u"/locks/%1.pause"_s.arg(id));
            if (marker.exists()) {
                marker.remove();
                m_manager->pause(id);
            }
        }
    });
    m_poll.start();
    QMetaObject::invokeMethod(this, &CliRunner::checkProgress, Qt::QueuedConnection);
    return -1;
}

void CliRunner::checkProgress()
{
    if (m_waiting.isEmpty())
        return;
    const QSet<DownloadId> waiting = m_waiting;
    for (DownloadId id : waiting) {
        const auto d = m_manager->snapshot(id);
        if (!d) {
            m_waiting.remove(id);
            continue;
        }
        switch (d->state) {
        case DownloadState::Queued:
        case DownloadState::Downloading:
        case DownloadState::Verifying:
            continue;
        case DownloadState::Completed:
            if (m_manager->extracting(id))
                continue; // the archive is being unpacked
            if (d->extract == ExtractState::Failed)
                m_exitCode = DownloadFailed;
            break;
        case DownloadState::Failed:
            m_exitCode = DownloadFailed;
            break;
        case DownloadState::Paused:
            if (m_exitCode == Ok)
                m_exitCode = Stopped;
            break;
        }
        m_waiting.remove(id);
        m_printer->finished(*d);
        // What became of unpacking it ("Extracted 12 files into “data”."); JSON carries it along.
        if (!m_options.json && d->state == DownloadState::Completed && d->extract != ExtractState::None &&
            !d->message.isEmpty())
            m_printer->message(d->message);
    }
    if (m_waiting.isEmpty())
        finish();
}

void CliRunner::finish()
{
    m_poll.stop();
    m_manager->flush();
    emit done(m_interrupted && m_exitCode == Ok ? Stopped : m_exitCode);
}

void CliRunner::interrupt()
{
    if (!m_manager) {
        emit done(Stopped);
        return;
    }
    if (m_waiting.isEmpty()) {
        emit done(Stopped); // nothing queued yet (an account still opening, a listing)
        return;
    }
    m_interrupted = true;
    // Each pause reports its new state at once, and checkProgress() then drops the id from
    // m_waiting: walk a copy.
    const QSet<DownloadId> running = m_waiting;
    for (DownloadId id : running)
        m_manager->pause(id);
    checkProgress();
}

} // namespace ferry::cli
