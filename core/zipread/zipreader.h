#pragma once

#include "zipread/rangefetcher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

class QIODevice;
class QuaZip;

namespace ferry::zipread {

// One entry of an archive's central directory, as listed.
struct ZipEntry
{
    QString name;          // as stored ('/'-separated; directories end in '/'), see decodeName()
    qint64 size = 0;       // uncompressed
    qint64 packedSize = 0; // compressed
    QDateTime modified;    // the DOS time stamp (local time, 2-second precision)
    quint32 crc = 0;
    int method = 0; // 0 stored, 8 deflated, ...
    quint16 flags = 0;
    bool encrypted = false;
    bool directory = false;
    bool symlink = false;
    bool zip64 = false; // sizes or offset need Zip64 fields

    // Where it is: the central directory record (for QuaZip) and the local header (-1: unknown).
    qint64 centralOffset = -1;
    qint64 centralIndex = -1;
    qint64 localOffset = -1;
    int nameBytes = 0;
    QByteArray rawName; // the name's bytes as the central directory holds them (empty: unknown)
    int centralExtraBytes = 0;

    // Empty when the entry can be extracted; otherwise why not, for people.
    QString refusal() const;
};

// Lists and extracts the entries of a ZIP archive through QuaZip, on any random-access
// QIODevice (a local file, a buffer, or a RemoteZipDevice; the latter is told which span each
// extraction reads, so it fetches exactly that). Zip64 archives (entries and offsets past 4 GiB,
// more than 65,535 entries) are read; names are decoded from their raw bytes as decodeName()
// says. Only stored and deflated entries without encryption are extracted; anything else is
// listed and refused with a reason.
//
// Not thread-safe; one thread drives it (with a RemoteZipDevice, a worker thread: reads block).
class ZipReader final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zipread::ZipReader)
    Q_DISABLE_COPY_MOVE(ZipReader)
public:
    // `device` must be open for reading, random access, and outlive the reader.
    explicit ZipReader(QIODevice *device);
    ~ZipReader();

    // Reads the central directory. False with errorString() on a damaged archive.
    bool open();
    const QList<ZipEntry> &entries() const { return m_entries; }
    // Where the central directory starts (its lowest record's offset); -1 when not known.
    qint64 centralDirectoryOffset() const;

    // Writes the entry's content to `out` (inflated or copied) and checks its length and CRC-32.
    // `progress(bytesWritten)` may return false to cancel. False with errorString() on failure;
    // `out` may then hold part of the content.
    bool extract(const ZipEntry &entry, QIODevice *out,
                 const std::function<bool(qint64)> &progress = {});

    QString errorString() const { return m_error; }
    // Why the last call failed: the remote device's reason, or Corrupt.
    RemoteFailure failure() const { return m_failure; }

    // "stored", "deflated", "LZMA", ... for messages.
    static QString methodName(int method);

    // An entry's name from its raw bytes in the central directory: UTF-8 when the flag 0x800
    // says so; else the Info-ZIP Unicode Path extra field (0x7075) of `extra` when its CRC-32
    // matches the raw bytes; else UTF-8 when the bytes are valid UTF-8 (what Linux and macOS
    // tools write without the flag); else code page 437, the ZIP specification's default.
    static QString decodeName(const QByteArray &raw, quint16 flags, const QByteArray &extra);

private:
    bool fail(const QString &message, RemoteFailure failure = RemoteFailure::Corrupt);
    void locate(ZipEntry *entry, QByteArray *rawName);
    void hint(qint64 from, qint64 to);

    QIODevice *m_device;
    std::unique_ptr<QuaZip> m_zip;
    QList<ZipEntry> m_entries;
    QString m_error;
    RemoteFailure m_failure = RemoteFailure::None;
};

} // namespace ferry::zipread
