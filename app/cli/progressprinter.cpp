#include "progressprinter.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::cli {

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return u"?"_s;
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return u == 0 ? u"%1 B"_s.arg(bytes) : u"%1 %2"_s.arg(v, 0, 'f', 1).arg(QLatin1StringView(units[u]));
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return u"--"_s;
    if (seconds < 60)
        return u"%1s"_s.arg(seconds);
    if (seconds < 3600)
        return u"%1m%2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1h%2m"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0'));
}

ProgressPrinter::ProgressPrinter(bool json, bool terminal) : m_json(json), m_terminal(terminal)
{
    m_sincePlain.start();
}

QByteArray ProgressPrinter::toJson(const DownloadSnapshot &d, const char *event, const QString &stateText)
{
    QJsonObject o{{u"event"_s, QString::fromLatin1(event)},
                  {u"id"_s, d.id},
                  {u"url"_s, d.url.toString(QUrl::RemovePassword)},
                  {u"state"_s, stateText.isEmpty() ? stateName(d.state) : stateText},
                  {u"file"_s, d.targetPath.isEmpty() ? d.fileName : d.targetPath},
                  {u"total"_s, d.total},
                  {u"done"_s, d.done},
                  {u"speed"_s, d.speed},
                  {u"eta"_s, d.etaSeconds},
                  {u"connections"_s, d.connections},
                  {u"resumable"_s, d.resumable}};
    if (!d.message.isEmpty())
        o.insert(u"message"_s, d.message);
    if (!d.source.isEmpty())
        o.insert(u"source"_s, d.source);
    if (d.kind == TransferKind::Upload)
        o.insert(u"kind"_s, u"upload"_s);
    static const char *const extractNames[] = {"", "waiting", "running", "done", "failed", "notzip"};
    if (d.extract != ExtractState::None)
        o.insert(u"extract"_s, QString::fromLatin1(extractNames[int(d.extract)]));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ProgressPrinter::clearLine()
{
    if (m_lineOpen) {
        std::fputs("\r\033[K", stderr);
        m_lineOpen = false;
    }
}

void ProgressPrinter::message(const QString &text)
{
    clearLine();
    std::fprintf(stderr, "%s\n", qPrintable(text));
    std::fflush(stderr);
}

void ProgressPrinter::progress(const QList<DownloadSnapshot> &downloads)
{
    if (m_json) {
        if (m_sincePlain.elapsed() < 1000)
            return;
        m_sincePlain.restart();
        for (const DownloadSnapshot &d : downloads)
            std::printf("%s\n", toJson(d, "progress").constData());
        std::fflush(stdout);
        return;
    }
    for (const DownloadSnapshot &d : downloads) {
        // Notes (retries, "no resume support") are printed once each, above the live line.
        if (!d.message.isEmpty() && m_lastNote.value(d.id) != d.message) {
            m_lastNote[d.id] = d.message;
            message(u"[%1] %2"_s.arg(d.id).arg(d.message));
        }
    }
    qint64 done = 0, total = 0, speed = 0, eta = -1;
    int connections = 0;
    bool totalKnown = true;
    for (const DownloadSnapshot &d : downloads) {
        done += d.done;
        speed += d.speed;
        connections += d.connections;
        totalKnown = totalKnown && d.total >= 0;
        total += qMax<qint64>(0, d.total);
    }
    if (speed > 0 && totalKnown)
        eta = (total - done) / speed;
    const QString name = downloads.size() == 1 ? downloads.first().fileName
                                               : QCoreApplication::translate("ferry::cli", "%n downloads", nullptr, int(downloads.size()));
    const QString percent = totalKnown && total > 0 ? u"%1%"_s.arg(100.0 * double(done) / double(total), 5, 'f', 1) : u"  ?  "_s;
    const QString line = u"%1  %2  %3 / %4  %5/s  ETA %6  %7 conn"_s.arg(name.left(40), percent, formatBytes(done),
                                                                        totalKnown ? formatBytes(total) : u"?"_s,
                                                                        formatBytes(speed), formatDuration(eta))
                             .arg(connections);
    if (m_terminal) {
        std::fprintf(stderr, "\r\033[K%s", qPrintable(line));
        std::fflush(stderr);
        m_lineOpen = true;
    } else if (m_sincePlain.elapsed() >= 5000) {
        m_sincePlain.restart();
        message(line);
    }
}

void ProgressPrinter::removed(DownloadId id, const QString &text)
{
    message(text);
    if (m_json) {
        const QJsonObject o{{u"event"_s, u"removed"_s}, {u"id"_s, id}, {u"message"_s, text}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    }
}

void ProgressPrinter::finished(const DownloadSnapshot &d)
{
    if (m_json) {
        std::printf("%s\n", toJson(d, d.state == DownloadState::Completed ? "completed" : "stopped").constData());
        std::fflush(stdout);
        return;
    }
    switch (d.state) {
    case DownloadState::Completed:
        if (d.kind == TransferKind::ZipLocal || d.kind == TransferKind::ZipBucket)
            break; // the zip command reports the archive and its link itself
        if (d.kind == TransferKind::Upload)
            message(QCoreApplication::translate("ferry::cli", "Uploaded %1 to %2 (%3)")
                        .arg(QDir(d.directory).filePath(d.fileName), d.source, formatBytes(d.total)));
        else
            message(QCoreApplication::translate("ferry::cli", "Saved %1 (%2)").arg(d.targetPath, formatBytes(d.total)));
        break;
    case DownloadState::Failed:
        if (d.kind == TransferKind::ZipLocal || d.kind == TransferKind::ZipBucket)
            message(QCoreApplication::translate("ferry::cli", "Failed: %1").arg(d.message));
        else
            message(QCoreApplication::translate("ferry::cli", "Failed: %1: %2")
                        .arg(d.source.isEmpty() ? d.url.toString(QUrl::RemovePassword) : d.source, d.message));
        break;
    default:
        if (d.kind == TransferKind::Upload) {
            message(QCoreApplication::translate("ferry::cli", "Stopped at %1 of %2 (%3); run ferry-cli resume %4 to continue. %5")
                        .arg(formatBytes(d.done), formatBytes(d.total), stateName(d.state))
                        .arg(d.id)
                        .arg(d.message));
            break;
        }
        message(QCoreApplication::translate("ferry::cli", "Stopped at %1 of %2 (%3); run the same command again to resume. %4")
                    .arg(formatBytes(d.done), formatBytes(d.total), stateName(d.state), d.message));
        break;
    }
}

} // namespace ferry::cli
