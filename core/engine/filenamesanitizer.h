#pragma once

#include <QString>

#include <functional>
#include <utility>

namespace ferry {

// One safe path component: never contains / or \, never "." or "..", no control chars
// (U+0000–U+001F, U+007F), no <>:"|?* (replaced by _), no leading/trailing spaces or trailing
// dots, Windows reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with or without
// extension, any case) get a leading '_', at most 255 UTF-8 bytes keeping the extension when
// possible (don't cut inside a UTF-8 sequence). Directory parts are dropped: "../../etc/passwd"
// -> "passwd", "a\\b.txt" -> "b.txt". Leading dots are kept except names made only of dots.
// Empty result -> fallback.
//
// The rules are the union of what Windows, macOS and Linux refuse, so a name chosen on one machine
// still works when the download folder is a shared or synced drive.
QString sanitizeFileName(const QString &name, const QString &fallback = QStringLiteral("download"));

// First free "name.ext", "name (1).ext", "name (2).ext" ... in dir, where `taken(fullPath)` says
// whether a path is taken. Double extensions .tar.gz/.tar.bz2/.tar.xz/.tar.zst stay together
// ("a (1).tar.gz"). Names without extension: "README (1)". Default predicate: anything has the
// name, a dangling symbolic link included.
// Returns an empty string if no free name turns up within 10,000 candidates.
QString uniqueFilePath(const QString &dir, const QString &fileName,
                       const std::function<bool(const QString &)> &taken = {});

// Splits "archive.tar.gz" into {"archive", ".tar.gz"} and "a.txt" into {"a", ".txt"}. A leading
// dot (".bashrc") and suffixes that are long or contain spaces are not treated as extensions.
std::pair<QString, QString> splitFileExtension(const QString &fileName);

} // namespace ferry
