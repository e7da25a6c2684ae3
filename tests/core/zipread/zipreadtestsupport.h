#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

// Helpers of the ZIP reading tests: the archives of make_archives.py, where an archive's
// central directory lies, and what nginx logged that it sent.
namespace ferry::test::zipread {

// Runs make_archives.py into `dir` (python3, zip, 7z and bsdtar must be installed); empty on
// success, else what went wrong. `small`: only the hostile and refused archives.
QString makeArchives(const QString &dir, bool small = false);

// Entry name ("tree/...") -> lower-case hex SHA-256 of every file of the source tree.
QHash<QString, QByteArray> sourceTree(const QString &srcDir);

// Offset and size of the central directory of a local archive, read from its (Zip64) end
// records; {-1, -1} when they cannot be read.
struct CentralDirectory
{
    qint64 offset = -1;
    qint64 size = -1;
};
CentralDirectory centralDirectoryOf(const QString &archivePath);

// Body bytes nginx logged as sent for requests whose target contains `pathPart`, and how many
// such requests it logged (the access log of NginxServer's "ferry" format).
struct Served
{
    qint64 bytes = 0;
    int requests = 0;
};
Served servedByNginx(const QString &nginxPrefixDir, const QString &pathPart);

} // namespace ferry::test::zipread
