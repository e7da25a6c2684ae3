#pragma once

#include "api/downloadtypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <cstdio>

namespace ferry::cli {

QString formatBytes(qint64 bytes);
QString formatDuration(qint64 seconds);

// Renders snapshots for a person (a live line on a terminal, plain lines otherwise) or for a
// program (--json: one object per line on stdout).
class ProgressPrinter final
{
public:
    ProgressPrinter(bool json, bool terminal);
    void progress(const QList<DownloadSnapshot> &downloads);
    void finished(const DownloadSnapshot &d);
    // A download that ended without a snapshot (another process removed it): `text` for a
    // person on stderr, and with --json also a last "removed" object for the program.
    void removed(DownloadId id, const QString &text);
    void message(const QString &text);
    // `stateText` overrides the state's name (e.g. "running" while another process has it).
    static QByteArray toJson(const DownloadSnapshot &d, const char *event, const QString &stateText = {});

private:
    void clearLine();

    bool m_json;
    bool m_terminal;
    bool m_lineOpen = false;
    QElapsedTimer m_sincePlain;
    QHash<DownloadId, QString> m_lastNote;
};

} // namespace ferry::cli
