#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>

#include <atomic>
#include <optional>

namespace ferry {

struct ExpectedChecksum
{
    QCryptographicHash::Algorithm algorithm;
    QByteArray hex; // lower-case
    QString name;   // "sha256"
};

// "md5=HEX", "sha1=HEX", "sha256=HEX", "sha512=HEX" (algo case-insensitive, hex case-insensitive,
// length must match the algorithm). On error returns nullopt and sets *error (if given) to a
// sentence a user understands, e.g. "sha256 checksum must be 64 hex digits, got 12".
std::optional<ExpectedChecksum> parseChecksumSpec(const QString &spec, QString *error);

// Streams the file in 1 MiB blocks. Empty QByteArray on read error or when `cancel` becomes true
// (checked between blocks, so cancelling a multi-gigabyte hash is prompt). `cancel` may be null.
QByteArray fileHashHex(const QString &path, QCryptographicHash::Algorithm algorithm,
                       const std::atomic_bool *cancel = nullptr);

} // namespace ferry
