#pragma once

// How the window benchmarks write their report: each replaces only its own section of the
// shared file, and says when and under what load it ran, since other work on the machine
// slows the frames it measures.
#include <QDate>
#include <QFile>
#include <QString>
#include <QThread>

namespace ferry::bench {

// The 1-minute load average as /proc/loadavg has it; "unknown" where there is none.
inline QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QByteArray first = file.readLine().split(' ').value(0);
    return first.isEmpty() ? QStringLiteral("unknown") : QString::fromLatin1(first);
}

// "on 2026-12-04, load average 0.41 at the start and 1.02 at the end (2 CPUs)"
inline QString runConditions(const QString &loadAtStart)
{
    return QStringLiteral("on %1, load average %2 at the start and %3 at the end (%4 CPUs)")
        .arg(QDate::currentDate().toString(Qt::ISODate), loadAtStart, loadAverage())
        .arg(QThread::idealThreadCount());
}

// Replaces the report's section that starts with `heading` (up to the next "## "), or appends it.
inline void writeSection(const QString &path, const QString &heading, const QString &section)
{
    QFile file(path);
    QString text;
    if (file.open(QIODevice::ReadOnly))
        text = QString::fromUtf8(file.readAll());
    file.close();
    const qsizetype start = text.indexOf(heading);
    if (start >= 0) {
        const qsizetype end = text.indexOf(QStringLiteral("\n## "), start + heading.size());
        // Up to the next section, keeping the blank line before it.
        text.replace(start, end < 0 ? text.size() - start : end + 1 - start,
                     end < 0 ? section : section + u'\n');
    } else {
        if (!text.isEmpty() && !text.endsWith(QStringLiteral("\n\n")))
            text += text.endsWith(u'\n') ? QStringLiteral("\n") : QStringLiteral("\n\n");
        text += section;
    }
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(text.toUtf8());
}

} // namespace ferry::bench
