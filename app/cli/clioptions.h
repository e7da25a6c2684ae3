#pragma once

#include "api/downloadtypes.h"
#include "s3options.h"

#include <QStringList>
#include <optional>

namespace ferry::cli {

enum class Command { Get, List, Resume, Pause, Remove, Help, Version, S3, Export, Import, Zip };

struct CliOptions {
    Command command = Command::Help;
    QStringList arguments;       // URLs or ids
    QString stateDir;
    QString directory;
    QString outputName;
    // Unset when not given, so that `get` of a known URL keeps what was given before.
    std::optional<int> connections;
    std::optional<qint64> rateLimit;
    QString checksum;
    HeaderList headers;
    bool json = false;
    // `get`: addresses are curl-style patterns (`f[1-3].bin`); --no-glob takes them literally.
    bool glob = true;
    bool deleteFile = false;
    bool failOnChange = false;
    // `get`: unpack each download that is a ZIP archive into a folder named after it.
    bool extract = false;
    int stallTimeoutSeconds = 30;
    S3Options s3;
};

// Parses argv; on failure returns nullopt and a message for the user in *error.
std::optional<CliOptions> parseCommandLine(const QStringList &arguments, QString *error);
QString helpText();

// "500K", "2M", "1.5m", "800000" -> bytes per second (K = 1024). -1 on error.
qint64 parseRate(const QString &text);
// "Name: value" -> pair; nullopt when there is no name or the header would be unsafe to send.
std::optional<QPair<QByteArray, QByteArray>> parseHeader(const QString &text);

} // namespace ferry::cli
