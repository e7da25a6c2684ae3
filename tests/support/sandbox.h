#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

// Small helpers shared by tests that move real bytes: content generation, hashing and file I/O.
// All functions are reentrant and may be called from any thread.
namespace ferry::test {

// Lower-case hex SHA-256 of `data`.
QByteArray sha256Hex(const QByteArray &data);

// Lower-case hex SHA-256 of a file's content, read in blocks; empty if the file cannot be read.
QByteArray sha256OfFile(const QString &path);

// `size` pseudo-random bytes; the same seed always yields the same bytes, and a shorter result
// is a prefix of a longer one. Fast enough for bodies of 64 MiB and more.
QByteArray deterministicBytes(qint64 size, quint32 seed);

// Writes `data` to `path`, creating missing parent directories; false on any error.
bool writeFile(const QString &path, const QByteArray &data);

// The whole content of `path`; empty if it cannot be read.
QByteArray readFile(const QString &path);

// A TCP port that was free on 127.0.0.1 a moment ago (bound to port 0, read back, released).
// Another process may take it before it is used, so callers that bind it should be ready to
// retry with a new one.
quint16 freeLoopbackPort();

} // namespace ferry::test
