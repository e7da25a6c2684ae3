#pragma once

#include "zip/zipentrymeta.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <memory>
#include <optional>

namespace ferry::zip {

class ZipSink;

// Streams a ZIP archive into a ZipSink with a fixed-size buffer per entry (deflate output goes
// straight through), so objects of any size are bundled in constant memory; only the central
// directory (a few dozen bytes per entry) is kept until finish().
//
// Layout, chosen so Info-ZIP unzip 6.0, Python's zipfile, bsdtar (also streaming) and 7z all
// accept every entry:
// - addEntry()/addDirectory(): sizes and CRC are known before the header, so the local header is
//   complete (STORED or DEFLATED, whichever is smaller) and no data descriptor follows.
// - beginEntry()/write()/finishEntry() on a seekable sink: the local header is patched with the
//   CRC and sizes afterwards; no data descriptor.
// - beginEntry()/write()/finishEntry() on a sequential sink: DEFLATE (level 0 where STORED was
//   chosen) with bit 3 and a data descriptor, because streaming readers can find the end of a
//   deflate stream but not of STORED data of unknown length.
// Zip64 is used only where needed: for entries of ≥ 4 GiB or unknown size, offsets past 4 GiB
// and 65,535 or more entries; "version needed" is 20, or 45 for Zip64 entries. Names are UTF-8
// (flag bit 11); each entry has a DOS time (local time) and an extended timestamp (UTC).
//
// Not thread-safe; one thread drives the writer and its sink. After any error every further
// call fails and error() explains; the sink then holds no usable archive.
class ZipWriter final
{
    Q_DECLARE_TR_FUNCTIONS(ferry::zip::ZipWriter)
    Q_DISABLE_COPY_MOVE(ZipWriter)

public:
    static constexpr int DefaultDeflateLevel = 6;

    // `sink` must outlive the writer. `deflateLevel` 1–9 applies to compressible entries.
    explicit ZipWriter(ZipSink *sink, int deflateLevel = DefaultDeflateLevel);
    ~ZipWriter();

    // Streamed entry: beginEntry, any number of write() pieces, finishEntry. When meta.size is
    // known, a different number of bytes is an error.
    bool beginEntry(const ZipEntryMeta &meta);
    bool write(QByteArrayView piece);
    bool finishEntry();

    // An entry whose bytes are all in memory (small objects fetched ahead).
    bool addEntry(const ZipEntryMeta &meta, const QByteArray &whole);

    // A directory entry; a trailing '/' is added when missing.
    bool addDirectory(const QString &name, const QDateTime &mtime);

    // Writes the central directory. The sink is not committed here (see LocalFileZipSink).
    bool finish();

    // Restart points inside streamed entries: after every `bytes` of an entry's input the
    // compressor is fully flushed and started afresh (a raw deflate stream continues across
    // that), so the archive from there on depends only on the input from there on. Where they
    // fall depends on the input alone, never on time, so a run resumed at one writes exactly
    // the bytes an uninterrupted run writes. 0: none.
    void setRestartInterval(qint64 bytes) { m_restartInterval = qMax<qint64>(0, bytes); }
    // True right after write() reached a restart point of the open entry.
    bool atRestartPoint() const;

    qint64 bytesWritten() const { return m_written; }
    int entryCount() const { return int(m_records.size()); }
    bool hasError() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }

    // What the central directory needs to know about one entry.
    struct Record;
    // The streamed entry being written, at a restart point: enough to continue it.
    struct OpenEntry;
    const QList<Record> &records() const { return m_records; }
    // At a restart point of the open entry (or between entries: nullopt).
    std::optional<OpenEntry> openEntry() const;
    // Continues an archive whose sink already holds everything before its position: the
    // entries finished so far and, when it stopped inside one, the open entry.
    bool resume(const QList<Record> &records, const std::optional<OpenEntry> &open);

    struct Record {
        QByteArray name; // UTF-8
        quint16 method = 0;
        quint16 flags = 0;
        quint16 dosTime = 0;
        quint16 dosDate = 0;
        quint32 unixTime = 0;
        quint32 crc = 0;
        quint64 compressedSize = 0;
        quint64 size = 0;
        quint64 offset = 0;       // of the local header
        bool zip64Local = false;  // the local header carries a Zip64 extra field
        bool directory = false;
    };
    struct OpenEntry {
        Record record;          // crc and size so far
        qint64 dataStart = 0;   // archive offset of its first data byte
        qint64 expectedSize = -1;
        int level = 0;          // of the deflate stream (0 for a level-0 one), unused when stored
    };

private:
    struct Deflater;

    bool checkUsable();
    bool startRecord(const ZipEntryMeta &meta, Record *record);
    bool output(QByteArrayView bytes);
    bool deflateStep(QByteArrayView input, bool finish, QByteArray *collect, bool fullFlush = false);
    bool writeSpan(QByteArrayView piece);
    bool restart();
    bool fail(const QString &message);

    ZipSink *m_sink;
    int m_level;
    std::unique_ptr<Deflater> m_deflater;
    QList<Record> m_records;
    std::unique_ptr<Record> m_current; // the open streamed entry
    qint64 m_expectedSize = -1;
    qint64 m_dataStart = 0;
    int m_entryLevel = 0;
    qint64 m_restartInterval = 0;
    qint64 m_written = 0;
    bool m_finished = false;
    bool m_atRestart = false;
    QString m_error;
};

} // namespace ferry::zip
