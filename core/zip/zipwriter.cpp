#include "zip/zipwriter.h"

#include "zip/zipsink.h"

#include <QTimeZone>

#include <zlib.h>

using namespace Qt::StringLiterals;

namespace ferry::zip {

namespace {

constexpr quint32 LocalHeaderSignature = 0x04034b50;
constexpr quint32 CentralHeaderSignature = 0x02014b50;
constexpr quint32 DataDescriptorSignature = 0x08074b50;
constexpr quint32 Zip64EndSignature = 0x06064b50;
constexpr quint32 Zip64LocatorSignature = 0x07064b50;
constexpr quint32 EndSignature = 0x06054b50;

constexpr quint16 FlagDataDescriptor = 1u << 3;
constexpr quint16 FlagUtf8 = 1u << 11;
constexpr quint16 MethodStored = 0;
constexpr quint16 MethodDeflated = 8;
constexpr quint16 HostUnix = 3;

constexpr quint64 Max16 = 0xffff;
constexpr quint64 Max32 = 0xffffffff;
constexpr qsizetype BufferSize = 64 * 1024;
constexpr qsizetype MaxZlibChunk = qsizetype(1) << 30; // zlib counts input in 32-bit uInt

void put16(QByteArray &b, quint64 v)
{
    const char c[2] = {char(v), char(v >> 8)};
    b.append(c, 2);
}

void put32(QByteArray &b, quint64 v)
{
    put16(b, v & 0xffff);
    put16(b, (v >> 16) & 0xffff);
}

void put64(QByteArray &b, quint64 v)
{
    put32(b, v & Max32);
    put32(b, v >> 32);
}

// A size or offset field of the classic format: the real value, or the Zip64 marker.
quint64 field32(quint64 v)
{
    return v >= Max32 ? Max32 : v;
}

// Info-ZIP unzip 6.0 refuses entries that ask for more than 4.5, so nothing here ever asks for
// the 6.3 that some libraries write for UTF-8 names.
quint16 versionNeeded(bool zip64)
{
    return zip64 ? 45 : 20;
}

QByteArray timestampExtra(quint32 unixTime)
{
    // 0x5455 "UT": flags (bit 0: mtime present) and the modification time in UTC seconds. The
    // central copy carries only mtime too, so both are 5 bytes.
    QByteArray b;
    put16(b, 0x5455);
    put16(b, 5);
    b.append(char(1));
    put32(b, unixTime);
    return b;
}

QByteArray localHeader(const ZipWriter::Record &r)
{
    const bool descriptor = r.flags & FlagDataDescriptor;
    const quint64 size = descriptor ? 0 : r.size;
    const quint64 compressed = descriptor ? 0 : r.compressedSize;
    const QByteArray timestamp = timestampExtra(r.unixTime);
    QByteArray b;
    b.reserve(30 + r.name.size() + 20 + timestamp.size());
    put32(b, LocalHeaderSignature);
    put16(b, versionNeeded(r.zip64Local));
    put16(b, r.flags);
    put16(b, r.method);
    put16(b, r.dosTime);
    put16(b, r.dosDate);
    put32(b, descriptor ? 0 : r.crc);
    // A local Zip64 extra always holds both sizes and the header fields then say 0xFFFFFFFF,
    // whatever the real sizes turn out to be (the layout is fixed before the data is written).
    put32(b, r.zip64Local ? Max32 : compressed);
    put32(b, r.zip64Local ? Max32 : size);
    put16(b, r.name.size());
    put16(b, (r.zip64Local ? 20 : 0) + timestamp.size());
    b.append(r.name);
    if (r.zip64Local) {
        put16(b, 0x0001);
        put16(b, 16);
        put64(b, size);
        put64(b, compressed);
    }
    b.append(timestamp);
    return b;
}

QByteArray centralHeader(const ZipWriter::Record &r)
{
    // The central Zip64 extra holds exactly the fields whose classic slot says 0xFFFFFFFF, in the
    // fixed order size, compressed size, offset.
    QByteArray zip64;
    if (r.size >= Max32)
        put64(zip64, r.size);
    if (r.compressedSize >= Max32)
        put64(zip64, r.compressedSize);
    if (r.offset >= Max32)
        put64(zip64, r.offset);
    const bool usesZip64 = r.zip64Local || !zip64.isEmpty();
    const QByteArray timestamp = timestampExtra(r.unixTime);
    const quint32 unixMode = r.directory ? 040755u : 0100644u;
    const quint32 externalAttributes = (unixMode << 16) | (r.directory ? 0x10u : 0u);

    QByteArray b;
    b.reserve(46 + r.name.size() + 4 + zip64.size() + timestamp.size());
    put32(b, CentralHeaderSignature);
    put16(b, (HostUnix << 8) | versionNeeded(usesZip64));
    put16(b, versionNeeded(usesZip64));
    put16(b, r.flags);
    put16(b, r.method);
    put16(b, r.dosTime);
    put16(b, r.dosDate);
    put32(b, r.crc);
    put32(b, field32(r.compressedSize));
    put32(b, field32(r.size));
    put16(b, r.name.size());
    put16(b, (zip64.isEmpty() ? 0 : 4 + zip64.size()) + timestamp.size());
    put16(b, 0); // comment length
    put16(b, 0); // disk number
    put16(b, 0); // internal attributes
    put32(b, externalAttributes);
    put32(b, field32(r.offset));
    b.append(r.name);
    if (!zip64.isEmpty()) {
        put16(b, 0x0001);
        put16(b, zip64.size());
        b.append(zip64);
    }
    b.append(timestamp);
    return b;
}

// DOS time is local time with 2-second resolution from 1980 to 2107; readers that know the
// extended timestamp prefer its exact UTC value.
void setTimes(ZipWriter::Record &r, const QDateTime &mtime)
{
    const QDateTime dosEpoch(QDate(1980, 1, 1), QTime(0, 0));
    QDateTime local = mtime.isValid() ? mtime.toLocalTime() : dosEpoch;
    if (local < dosEpoch)
        local = dosEpoch;
    const QDate d = local.date();
    const QTime t = local.time();
    if (d.year() > 2107) {
        r.dosDate = (127u << 9) | (12u << 5) | 31u;
        r.dosTime = (23u << 11) | (59u << 5) | 29u;
    } else {
        r.dosDate = quint16(((d.year() - 1980) << 9) | (d.month() << 5) | d.day());
        r.dosTime = quint16((t.hour() << 11) | (t.minute() << 5) | (t.second() / 2));
    }
    const qint64 seconds = mtime.isValid() ? mtime.toSecsSinceEpoch() : dosEpoch.toSecsSinceEpoch();
    r.unixTime = quint32(qBound(qint64(0), seconds, qint64(0x7fffffff))); // a signed 32-bit field
}

// Deflate never grows data by more than a few bytes per 16 KiB block; this generous bound
// decides up front whether an entry of known size needs a Zip64 local header.
quint64 worstCompressedSize(quint64 size)
{
    return size + size / 1000 + 1024;
}

} // namespace

struct ZipWriter::Deflater {
    z_stream stream{};
    bool initialized = false;
    int level = -1;
    QByteArray buffer = QByteArray(BufferSize, Qt::Uninitialized);

    ~Deflater()
    {
        if (initialized)
            deflateEnd(&stream);
    }

    // One stream serves every entry: resetting it is much cheaper than a new one per entry,
    // which matters for archives of many small objects.
    bool reset(int newLevel)
    {
        if (!initialized) {
            if (deflateInit2(&stream, newLevel, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
                Z_OK)
                return false;
            initialized = true;
            level = newLevel;
            return true;
        }
        if (deflateReset(&stream) != Z_OK)
            return false;
        if (newLevel != level) {
            if (deflateParams(&stream, newLevel, Z_DEFAULT_STRATEGY) != Z_OK)
                return false;
            level = newLevel;
        }
        return true;
    }
};

ZipWriter::ZipWriter(ZipSink *sink, int deflateLevel)
    : m_sink(sink)
    , m_level(qBound(1, deflateLevel, 9))
    , m_deflater(std::make_unique<Deflater>())
{
    m_written = sink->position();
}

ZipWriter::~ZipWriter() = default;

bool ZipWriter::beginEntry(const ZipEntryMeta &meta)
{
    Record r;
    if (!startRecord(meta, &r))
        return false;
    ZipMethod method = meta.method;
    if (method == ZipMethod::Auto)
        method = isAlreadyCompressed(meta.name) ? ZipMethod::Stored : ZipMethod::Deflated;
    int level = m_level;
    if (!m_sink->seekable()) {
        // Streaming readers cannot find the end of STORED data whose size comes only in a
        // trailing descriptor; a level-0 deflate stream marks its own end at ~0.01 % cost.
        r.flags |= FlagDataDescriptor;
        if (method == ZipMethod::Stored) {
            method = ZipMethod::Deflated;
            level = 0;
        }
    }
    r.method = method == ZipMethod::Stored ? MethodStored : MethodDeflated;
    const quint64 worst = meta.size < 0 ? Max32
                          : method == ZipMethod::Stored ? quint64(meta.size)
                                                        : worstCompressedSize(meta.size);
    r.zip64Local = meta.size < 0 || worst >= Max32;
    if (r.method == MethodDeflated && !m_deflater->reset(level))
        return fail(tr("Could not start compressing %1.").arg(meta.name));
    if (!output(localHeader(r)))
        return false;
    m_expectedSize = meta.size;
    m_dataStart = m_written;
    m_entryLevel = level;
    m_atRestart = false;
    m_current = std::make_unique<Record>(std::move(r));
    return true;
}

bool ZipWriter::write(QByteArrayView piece)
{
    if (hasError())
        return false;
    if (!m_current)
        return fail(tr("No archive entry is open."));
    Record &r = *m_current;
    if (m_expectedSize >= 0 && qint64(r.size) + piece.size() > m_expectedSize) {
        return fail(tr("%1 is larger than the listed %2 bytes.")
                        .arg(QString::fromUtf8(r.name))
                        .arg(m_expectedSize));
    }
    if (m_restartInterval <= 0 || piece.isEmpty())
        return writeSpan(piece);
    while (!piece.isEmpty()) {
        const qint64 toRestart = m_restartInterval - qint64(r.size % quint64(m_restartInterval));
        const qsizetype n = qsizetype(qMin<qint64>(piece.size(), toRestart));
        if (!writeSpan(piece.first(n)))
            return false;
        piece = piece.sliced(n);
        // Not at the entry's last byte: the entry's end is a boundary of its own.
        if (r.size % quint64(m_restartInterval) == 0 && qint64(r.size) != m_expectedSize && !restart())
            return false;
    }
    return true;
}

bool ZipWriter::writeSpan(QByteArrayView piece)
{
    Record &r = *m_current;
    m_atRestart = false;
    for (qsizetype done = 0; done < piece.size();) {
        const qsizetype chunk = qMin(piece.size() - done, MaxZlibChunk);
        r.crc = crc32_z(r.crc, reinterpret_cast<const Bytef *>(piece.data() + done), chunk);
        done += chunk;
    }
    r.size += piece.size();
    if (r.method == MethodStored)
        return output(piece);
    return deflateStep(piece, false, nullptr);
}

bool ZipWriter::restart()
{
    if (m_current->method == MethodDeflated) {
        // A full flush ends on a byte boundary with nothing referring back; a stream started
        // afresh from there is a valid continuation of it (raw deflate has no header).
        if (!deflateStep({}, false, nullptr, true) || !m_deflater->reset(m_entryLevel))
            return fail(tr("Compression failed."));
    }
    m_atRestart = true;
    return true;
}

bool ZipWriter::atRestartPoint() const
{
    return m_current && m_atRestart && !hasError();
}

std::optional<ZipWriter::OpenEntry> ZipWriter::openEntry() const
{
    if (!m_current)
        return std::nullopt;
    return OpenEntry{*m_current, m_dataStart, m_expectedSize, m_entryLevel};
}

bool ZipWriter::resume(const QList<Record> &records, const std::optional<OpenEntry> &open)
{
    if (!checkUsable() || !m_records.isEmpty())
        return fail(tr("The archive cannot be continued."));
    m_records = records;
    if (!open)
        return true;
    if (open->dataStart > m_written || quint64(open->dataStart) < open->record.offset)
        return fail(tr("The archive cannot be continued."));
    if (open->record.method == MethodDeflated && !m_deflater->reset(open->level))
        return fail(tr("Could not start compressing %1.").arg(QString::fromUtf8(open->record.name)));
    m_current = std::make_unique<Record>(open->record);
    m_dataStart = open->dataStart;
    m_expectedSize = open->expectedSize;
    m_entryLevel = open->level;
    m_atRestart = true;
    return true;
}

bool ZipWriter::finishEntry()
{
    if (hasError())
        return false;
    if (!m_current)
        return fail(tr("No archive entry is open."));
    Record &r = *m_current;
    m_atRestart = false;
    if (r.method == MethodDeflated && !deflateStep({}, true, nullptr))
        return false;
    if (m_expectedSize >= 0 && qint64(r.size) != m_expectedSize) {
        return fail(tr("%1 has %2 bytes instead of the listed %3.")
                        .arg(QString::fromUtf8(r.name))
                        .arg(r.size)
                        .arg(m_expectedSize));
    }
    r.compressedSize = quint64(m_written - m_dataStart);
    if (!r.zip64Local && (r.size >= Max32 || r.compressedSize >= Max32))
        return fail(tr("%1 grew past 4 GiB while being written.").arg(QString::fromUtf8(r.name)));
    if (r.flags & FlagDataDescriptor) {
        // A Zip64 local extra tells readers to expect 8-byte sizes in the descriptor.
        QByteArray d;
        put32(d, DataDescriptorSignature);
        put32(d, r.crc);
        if (r.zip64Local) {
            put64(d, r.compressedSize);
            put64(d, r.size);
        } else {
            put32(d, r.compressedSize);
            put32(d, r.size);
        }
        if (!output(d))
            return false;
    } else if (!m_sink->patch(qint64(r.offset), localHeader(r))) {
        return fail(m_sink->errorString());
    }
    m_records.append(std::move(r));
    m_current.reset();
    return true;
}

bool ZipWriter::addEntry(const ZipEntryMeta &meta, const QByteArray &whole)
{
    Record r;
    if (!startRecord(meta, &r))
        return false;
    if (meta.size >= 0 && meta.size != whole.size()) {
        return fail(tr("%1 has %2 bytes instead of the listed %3.")
                        .arg(meta.name)
                        .arg(whole.size())
                        .arg(meta.size));
    }
    ZipMethod method = meta.method;
    if (method == ZipMethod::Auto)
        method = isAlreadyCompressed(meta.name) ? ZipMethod::Stored : ZipMethod::Deflated;
    QByteArray compressed;
    if (method == ZipMethod::Deflated) {
        if (!m_deflater->reset(m_level))
            return fail(tr("Could not start compressing %1.").arg(meta.name));
        if (!deflateStep(whole, true, &compressed))
            return false;
        // Tiny or incompressible content: storing is smaller and just as readable.
        if (compressed.size() >= whole.size())
            method = ZipMethod::Stored;
    }
    const bool stored = method == ZipMethod::Stored;
    r.method = stored ? MethodStored : MethodDeflated;
    for (qsizetype done = 0; done < whole.size();) {
        const qsizetype chunk = qMin(whole.size() - done, MaxZlibChunk);
        r.crc = crc32_z(r.crc, reinterpret_cast<const Bytef *>(whole.constData() + done), chunk);
        done += chunk;
    }
    r.size = quint64(whole.size());
    r.compressedSize = stored ? r.size : quint64(compressed.size());
    r.zip64Local = r.size >= Max32 || r.compressedSize >= Max32;
    if (!output(localHeader(r)) || !output(stored ? whole : compressed))
        return false;
    m_records.append(std::move(r));
    return true;
}

bool ZipWriter::addDirectory(const QString &name, const QDateTime &mtime)
{
    ZipEntryMeta meta{name.endsWith(u'/') ? name : name + u'/', 0, mtime, ZipMethod::Stored};
    Record r;
    if (!startRecord(meta, &r))
        return false;
    r.directory = true;
    r.method = MethodStored;
    if (!output(localHeader(r)))
        return false;
    m_records.append(std::move(r));
    return true;
}

bool ZipWriter::finish()
{
    if (!checkUsable())
        return false;
    const quint64 directoryOffset = quint64(m_written);
    QByteArray buffer;
    for (const Record &r : std::as_const(m_records)) {
        buffer.append(centralHeader(r));
        if (buffer.size() >= BufferSize) {
            if (!output(buffer))
                return false;
            buffer.clear();
        }
    }
    if (!buffer.isEmpty() && !output(buffer))
        return false;
    const quint64 directorySize = quint64(m_written) - directoryOffset;
    const quint64 count = quint64(m_records.size());

    QByteArray end;
    // 0xFFFF entries already needs Zip64: the classic field uses that value as its marker.
    if (count >= Max16 || directoryOffset >= Max32 || directorySize >= Max32) {
        const quint64 zip64EndOffset = quint64(m_written);
        put32(end, Zip64EndSignature);
        put64(end, 44); // size of the rest of this record
        put16(end, (HostUnix << 8) | 45);
        put16(end, 45);
        put32(end, 0); // this disk
        put32(end, 0); // disk with the central directory
        put64(end, count);
        put64(end, count);
        put64(end, directorySize);
        put64(end, directoryOffset);
        put32(end, Zip64LocatorSignature);
        put32(end, 0);
        put64(end, zip64EndOffset);
        put32(end, 1); // total disks
    }
    put32(end, EndSignature);
    put16(end, 0);
    put16(end, 0);
    put16(end, qMin(count, Max16));
    put16(end, qMin(count, Max16));
    put32(end, field32(directorySize));
    put32(end, field32(directoryOffset));
    put16(end, 0); // comment length
    if (!output(end))
        return false;
    m_finished = true;
    return true;
}

bool ZipWriter::checkUsable()
{
    if (hasError())
        return false;
    if (m_finished)
        return fail(tr("The archive is already finished."));
    if (m_current)
        return fail(tr("The previous archive entry is not finished."));
    return true;
}

bool ZipWriter::startRecord(const ZipEntryMeta &meta, Record *record)
{
    if (!checkUsable())
        return false;
    const QByteArray name = meta.name.toUtf8();
    if (name.isEmpty() || name.size() > qsizetype(Max16))
        return fail(tr("Invalid archive entry name \"%1\".").arg(meta.name));
    if (meta.size < -1)
        return fail(tr("Invalid size for %1.").arg(meta.name));
    record->name = name;
    // Bit 11 on every entry: the names are UTF-8 whether or not they contain non-ASCII.
    record->flags = FlagUtf8;
    record->offset = quint64(m_written);
    setTimes(*record, meta.mtime);
    return true;
}

bool ZipWriter::output(QByteArrayView bytes)
{
    if (!m_sink->write(bytes)) {
        const QString reason = m_sink->errorString();
        return fail(reason.isEmpty() ? tr("Could not write the archive.") : reason);
    }
    m_written += bytes.size();
    return true;
}

bool ZipWriter::deflateStep(QByteArrayView input, bool finish, QByteArray *collect, bool fullFlush)
{
    z_stream &z = m_deflater->stream;
    char *buffer = m_deflater->buffer.data();
    qsizetype done = 0;
    do {
        const qsizetype chunk = qMin(input.size() - done, MaxZlibChunk);
        const bool last = done + chunk >= input.size();
        const int flush = !last ? Z_NO_FLUSH : finish ? Z_FINISH : fullFlush ? Z_FULL_FLUSH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data() + done));
        z.avail_in = uInt(chunk);
        int ret = Z_OK;
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer);
            z.avail_out = uInt(BufferSize);
            ret = deflate(&z, flush);
            if (ret == Z_STREAM_ERROR)
                return fail(tr("Compression failed."));
            const qsizetype produced = BufferSize - qsizetype(z.avail_out);
            if (produced > 0) {
                if (collect)
                    collect->append(buffer, produced);
                else if (!output(QByteArrayView(buffer, produced)))
                    return false;
            }
        } while (z.avail_out == 0 || (flush == Z_FINISH && ret != Z_STREAM_END));
        done += chunk;
    } while (done < input.size());
    return true;
}

bool ZipWriter::fail(const QString &message)
{
    if (m_error.isEmpty())
        m_error = message;
    return false;
}

} // namespace ferry::zip
