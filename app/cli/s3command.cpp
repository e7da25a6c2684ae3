#include "s3command.h"

#include "api/downloadmanager.h"
#include "api/s3transfers.h"
#include "clirunner.h"
#include "progressprinter.h"
#include "s3/s3client.h"
#include "s3session.h"
#include "zip/bundleselection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace ferry::cli {

namespace {

QString dateText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : u"                   "_s;
}

QString isoText(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

S3Command::S3Command(const CliOptions &options, S3Session *session, S3Transfers *transfers,
                     ProgressPrinter *printer, Run run, QObject *parent)
    : QObject(parent), m_options(options), m_session(session), m_transfers(transfers), m_printer(printer),
      m_run(std::move(run))
{
}

S3Command::~S3Command() = default;

void S3Command::fail(const QString &message, int code)
{
    m_printer->message(u"ferry-cli: "_s + message);
    emit done(code);
}

void S3Command::print(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
}

void S3Command::start()
{
    QPointer<S3Command> self(this);
    m_session->openSelected([self](s3::Client *client, const QString &error) {
        if (!self)
            return;
        if (!client) {
            self->fail(error, DownloadFailed);
            return;
        }
        switch (self->m_options.s3.action) {
        case S3Action::Ls: return self->ls(client);
        case S3Action::Get: return self->get(client);
        case S3Action::Put: return self->put(client);
        case S3Action::Presign: return self->presign(client);
        case S3Action::Zip: return self->zip(client);
        case S3Action::None: break;
        }
        self->fail(tr("Nothing to do."), Usage);
    });
}

void S3Command::ls(s3::Client *client)
{
    QString bucket, prefix;
    if (m_options.s3.uri.isEmpty()) {
        s3::Reply *r = client->listBuckets();
        connect(r, &s3::Reply::finished, this, [this, r] {
            if (r->error.isError())
                return fail(r->error.message, DownloadFailed);
            for (const s3::Bucket &b : std::as_const(r->buckets)) {
                if (m_options.json) {
                    const QJsonObject o{{u"type"_s, u"bucket"_s}, {u"name"_s, b.name}, {u"created"_s, isoText(b.created)}};
                    print(QJsonDocument(o).toJson(QJsonDocument::Compact));
                } else {
                    print((dateText(b.created) + u"  "_s + b.name).toUtf8());
                }
            }
            std::fflush(stdout);
            emit done(Ok);
        });
        return;
    }
    S3Transfers::splitUri(m_options.s3.uri, &bucket, &prefix);
    listPage(client, bucket, prefix, {});
}

void S3Command::listPage(s3::Client *client, const QString &bucket, const QString &prefix, const QString &token)
{
    // Folders are grouped by "/" unless every key is wanted; pages of 1,000 follow each other
    // until the listing is complete, printed as they arrive.
    const QString delimiter = m_options.s3.recursive ? QString() : u"/"_s;
    s3::Reply *r = client->listObjects(bucket, prefix, delimiter, token);
    QPointer<s3::Client> c(client);
    connect(r, &s3::Reply::finished, this, [this, r, c, bucket, prefix] {
        if (r->error.isError())
            return fail(r->error.message, DownloadFailed);
        for (const QString &folder : std::as_const(r->page.prefixes)) {
            if (m_options.json) {
                const QJsonObject o{{u"type"_s, u"folder"_s}, {u"bucket"_s, bucket}, {u"key"_s, folder}};
                print(QJsonDocument(o).toJson(QJsonDocument::Compact));
            } else {
                print(u"%1 %2"_s.arg(u"PRE"_s, 34).arg(folder).toUtf8());
            }
        }
        for (const s3::Object &o : std::as_const(r->page.objects)) {
            if (m_options.json) {
                const QJsonObject j{{u"type"_s, u"object"_s},
                                    {u"bucket"_s, bucket},
                                    {u"key"_s, o.key},
                                    {u"size"_s, o.size},
                                    {u"lastModified"_s, isoText(o.lastModified)},
                                    {u"etag"_s, QString::fromLatin1(o.etag)},
                                    {u"storageClass"_s, o.storageClass}};
                print(QJsonDocument(j).toJson(QJsonDocument::Compact));
            } else {
                print(u"%1 %2 %3"_s.arg(dateText(o.lastModified)).arg(o.size, 14).arg(o.key).toUtf8());
            }
        }
        std::fflush(stdout);
        if (r->page.truncated && !r->page.nextContinuationToken.isEmpty() && c)
            return listPage(c, bucket, prefix, r->page.nextContinuationToken);
        if (r->page.truncated)
            return fail(tr("The listing of s3://%1/%2 stopped early: the service sent no continuation token.")
                            .arg(bucket, prefix),
                        DownloadFailed);
        emit done(Ok);
    });
}

void S3Command::get(s3::Client *client)
{
    QString bucket, key;
    S3Transfers::splitUri(m_options.s3.uri, &bucket, &key);
    const QString directory = QDir(m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory).absolutePath();
    if (!QDir().mkpath(directory))
        return fail(tr("Cannot create the folder %1.").arg(directory), Usage);
    if (!key.isEmpty() && !key.endsWith(u'/'))
        return getObject(client, bucket, key);
    const QString accountId = client->account().id;
    const QString uri = m_options.s3.uri;
    m_transfers->downloadPrefix(accountId, bucket, key, directory,
                                [self = QPointer<S3Command>(this), uri](const QList<DownloadId> &ids, const QString &error) {
                                    if (!self)
                                        return;
                                    if (!error.isEmpty())
                                        self->m_printer->message(u"ferry-cli: "_s + error);
                                    if (ids.isEmpty()) {
                                        if (error.isEmpty())
                                            self->m_printer->message(tr("ferry-cli: there are no objects below %1.").arg(uri));
                                        emit self->done(DownloadFailed);
                                        return;
                                    }
                                    self->m_run(ids);
                                });
}

void S3Command::getObject(s3::Client *client, const QString &bucket, const QString &key)
{
    // A HEAD first: a missing object, a wrong key or a missing bucket becomes the service's
    // own sentence before anything is queued, and the size picks the number of connections.
    s3::Reply *head = client->headObject(bucket, key);
    QPointer<s3::Client> c(client);
    connect(head, &s3::Reply::finished, this, [this, head, c, bucket, key] {
        if (!c)
            return fail(tr("The S3 account was closed."), DownloadFailed);
        if (head->error.isError()) {
            if (head->error.kind != s3::Error::NotFound && head->error.kind != s3::Error::Denied)
                return fail(head->error.message, DownloadFailed);
            // A HEAD reply has no body: a 404 does not say whether the bucket or the key is
            // missing, nor a 403 whether the keys are wrong. A one-key listing, whose error
            // reply has a body, does.
            const QString headMessage = head->error.message;
            s3::Reply *probe = c->listObjects(bucket, key, {}, {}, 1);
            connect(probe, &s3::Reply::finished, this, [this, probe, headMessage] {
                const bool clearer = probe->error.code == u"NoSuchBucket"_s || probe->error.kind == s3::Error::Auth;
                fail(clearer ? probe->error.message : headMessage, DownloadFailed);
            });
            return;
        }
        QString error;
        const QString directory = QDir(m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory).absolutePath();
        const DownloadId id = m_transfers->downloadObject(c->account().id, bucket, key, directory, &error, head->info.size);
        if (id == 0)
            return fail(error, Usage);
        m_run({id});
    });
}

void S3Command::put(s3::Client *client)
{
    QString bucket, prefix;
    S3Transfers::splitUri(m_options.s3.uri, &bucket, &prefix);
    QString error;
    const QList<DownloadId> ids = m_transfers->upload(client->account().id, m_options.s3.localPath, bucket, prefix, &error);
    if (!error.isEmpty()) {
        m_printer->message(u"ferry-cli: "_s + error);
        if (ids.isEmpty()) {
            emit done(Usage);
            return;
        }
    }
    if (ids.isEmpty()) {
        m_printer->message(tr("Nothing to upload: %1 holds no files.").arg(m_options.s3.localPath));
        emit done(Ok);
        return;
    }
    m_run(ids);
}

void S3Command::presign(s3::Client *client)
{
    QString bucket, key;
    S3Transfers::splitUri(m_options.s3.uri, &bucket, &key);
    if (client->account().anonymous)
        m_printer->message(tr("The account is anonymous: this is the plain address of the object; it works only if "
                              "the object is public."));
    const QUrl url = client->presignedUrl(bucket, key, m_options.s3.expiresSeconds);
    print(url.toEncoded(QUrl::FullyEncoded));
    std::fflush(stdout);
    emit done(Ok);
}

void S3Command::zip(s3::Client *client)
{
    zip::BundleSelection selection;
    selection.account = client->account().id;
    for (const QString &uri : std::as_const(m_options.s3.zipSources)) {
        QString bucket, key;
        S3Transfers::splitUri(uri, &bucket, &key);
        selection.bucket = bucket;
        if (key.isEmpty() || key.endsWith(u'/'))
            selection.prefixes.append(key);
        else
            selection.keys.append(key);
    }
    selection.prefixes.removeDuplicates();
    selection.keys.removeDuplicates();
    if (m_options.s3.zipTarget.isEmpty()) {
        const QString directory = QDir(m_options.directory.isEmpty() ? QDir::currentPath() : m_options.directory).absolutePath();
        selection.localPath = QDir(directory).absoluteFilePath(m_options.outputName);
        m_zipWanted = selection.localPath;
        if (!QDir().mkpath(QFileInfo(selection.localPath).absolutePath()))
            return fail(tr("Cannot create the folder %1.").arg(QFileInfo(selection.localPath).absolutePath()), Usage);
    } else {
        S3Transfers::splitUri(m_options.s3.zipTarget, &selection.targetBucket, &selection.targetKey);
    }
    selection.deflateLevel = m_options.s3.deflateLevel;
    selection.skipOnError = m_options.s3.skipErrors;
    selection.shareExpirySeconds = m_options.s3.expiresSeconds;
    QString error;
    const DownloadId id = m_transfers->bundle(selection, &error);
    if (id == 0)
        return fail(error, Usage);
    followBundle(id);
    m_run({id});
}

void S3Command::followBundle(DownloadId id)
{
    // Connected before the runner connects its own handlers, so for the same change the link
    // is printed before the runner reports the end and exits.
    m_bundle = id;
    DownloadManager *manager = m_transfers->manager();
    QPointer<DownloadManager> m(manager);
    connect(manager, &DownloadManager::stateChanged, this, [this, m](DownloadId changed) {
        if (changed != m_bundle || !m)
            return;
        if (const auto d = m->snapshot(changed))
            bundleUpdated(*d);
    });
    connect(manager, &DownloadManager::snapshotsUpdated, this, [this](const QList<DownloadSnapshot> &changed) {
        for (const DownloadSnapshot &d : changed) {
            if (d.id == m_bundle)
                bundleUpdated(d);
        }
    });
}

void S3Command::bundleUpdated(const DownloadSnapshot &d)
{
    if (m_bundleReported)
        return;
    switch (d.state) {
    case DownloadState::Queued:
    case DownloadState::Verifying:
        return;
    case DownloadState::Downloading: {
        // The runner's line shows bytes; the objects count goes above it now and then.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_options.json || d.entriesTotal <= 0 || d.entriesDone == m_entriesShown)
            return;
        if (m_entriesShown < 0) {
            m_printer->message(QCoreApplication::translate("ferry::cli", "Bundling %n object(s), %1.", nullptr, d.entriesTotal)
                                   .arg(formatBytes(d.total)));
        } else if (now - m_entriesShownAt >= 5000) {
            m_printer->message(tr("Bundled %1 of %2 objects (%3 of %4).")
                                   .arg(d.entriesDone)
                                   .arg(d.entriesTotal)
                                   .arg(formatBytes(d.done), formatBytes(d.total)));
        } else {
            return;
        }
        m_entriesShown = d.entriesDone;
        m_entriesShownAt = now;
        return;
    }
    case DownloadState::Completed: {
        m_bundleReported = true;
        // A bucket bundle's message ends with its link; what comes before it is the list of
        // objects left out (--skip-errors).
        QString note = d.message.trimmed();
        QString link;
        if (d.kind == TransferKind::ZipBucket) {
            const qsizetype space = note.lastIndexOf(u' ');
            link = note.mid(space + 1);
            note = space < 0 ? QString() : note.left(space).trimmed();
        }
        if (!note.isEmpty())
            m_printer->message(note);
        if (d.kind == TransferKind::ZipBucket) {
            m_printer->message(QCoreApplication::translate("ferry::cli", "Wrote %1 (%2, %n object(s)).", nullptr, d.entriesTotal).arg(d.source, formatBytes(d.done)));
            // The link is the last line on stdout, so scripts can take it with `tail -n 1`.
            if (!m_options.json && !link.isEmpty()) {
                print(link.toUtf8());
                std::fflush(stdout);
            }
        } else if (QFileInfo(d.targetPath).absoluteFilePath() != QFileInfo(m_zipWanted).absoluteFilePath()) {
            // Never replaced: the archive got a free name next to the existing file.
            m_printer->message(tr("%1 already exists; the archive was saved as %2.").arg(m_zipWanted, d.targetPath));
        }
        return;
    }
    case DownloadState::Failed:
        m_bundleReported = true;
        m_printer->message(tr("The archive is not complete; ferry-cli resume %1 tries again (from its last checkpoint "
                              "when it reached one), ferry-cli remove %1 removes what was written.").arg(d.id));
        return;
    case DownloadState::Paused:
        m_bundleReported = true;
        m_printer->message(tr("The bundle was stopped; ferry-cli resume %1 continues it from its last checkpoint.")
                               .arg(d.id));
        return;
    }
}

} // namespace ferry::cli
