#include "engine/transferjob.h"

#include "storage/storage.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry {

TransferJob::TransferJob(StoredDownload record, JobEnvironment env, QObject *parent)
    : QObject(parent), m_record(std::move(record)), m_env(std::move(env))
{
}

TransferJob::~TransferJob() = default;

void TransferJob::setState(DownloadState state, const QString &message)
{
    stateChanging(state);
    if (state != m_record.state || !message.isEmpty())
        logEvent(message.isEmpty() ? tr("Now %1.").arg(stateName(state)) : u"%1: %2"_s.arg(stateName(state), message));
    m_record.state = state;
    if (!message.isNull())
        m_record.message = message;
    if (state != DownloadState::Downloading)
        m_speed = 0;
    save();
    emit stateChanged(id(), state);
}

void TransferJob::note(const QString &text, bool asMessage)
{
    logEvent(text);
    if (asMessage)
        m_record.message = text;
    save();
}

void TransferJob::setExtraValue(const QString &key, const QJsonValue &value)
{
    // Read, change, write: other parts of Ferry keep their own keys in the same object.
    QJsonObject extra = QJsonDocument::fromJson(m_record.extra).object();
    if (value.isUndefined())
        extra.remove(key);
    else
        extra.insert(key, value);
    m_record.extra = extra.isEmpty() ? QByteArray() : QJsonDocument(extra).toJson(QJsonDocument::Compact);
    save();
}

void TransferJob::save()
{
    if (m_env.storage)
        m_env.storage->save(m_record);
}

qint64 TransferJob::measureSpeed(qint64 doneBytes)
{
    const qint64 nowMs = now();
    qint64 elapsed = 0;
    if (m_lastTickBytes >= 0 && nowMs > m_lastTickMs) {
        elapsed = nowMs - m_lastTickMs;
        const qint64 instant = qMax<qint64>(0, doneBytes - m_lastTickBytes) * 1000 / elapsed;
        m_speed = m_speed == 0 ? instant : (m_speed * 3 + instant) / 4;
    }
    m_lastTickBytes = doneBytes;
    m_lastTickMs = nowMs;
    return elapsed;
}

void TransferJob::resetSpeed()
{
    m_speed = 0;
    m_lastTickBytes = -1;
}

qint64 TransferJob::monotonicMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

void TransferJob::logEvent(const QString &text)
{
    constexpr qsizetype maxEvents = 500;
    if (!m_events.isEmpty() && m_events.last().text == text)
        return;
    m_events.append({QDateTime::currentDateTimeUtc(), text});
    if (m_events.size() > maxEvents)
        m_events.removeFirst();
}

DownloadSnapshot TransferJob::recordSnapshot() const
{
    const StoredDownload &r = m_record;
    DownloadSnapshot s;
    s.id = r.id;
    s.kind = r.kind;
    s.url = r.url;
    s.finalUrl = r.finalUrl;
    s.source = r.source;
    s.account = r.account;
    s.fileName = r.fileName;
    s.directory = r.directory;
    s.targetPath = r.targetPath;
    s.total = r.total;
    s.state = r.state;
    s.resumable = r.resumable;
    s.priority = r.priority;
    s.rateLimit = r.rateLimit;
    s.maxConnections = r.connections;
    s.message = r.message;
    s.etag = r.etag;
    s.lastModified = r.lastModified;
    s.added = r.added;
    return s;
}

} // namespace ferry
