#include "zipread/localunpack.h"

#include "zipread/zipextractor.h"
#include "zipread/zipreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QtEndian>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace ferry::zipread {

namespace {

constexpr int kEndRecordSize = 22;
constexpr qint64 kMaxCommentLength = 0xFFFF;
// Archives smaller than this are unpacked in moments: no progress lines for them.
constexpr qint64 kProgressFrom = 32 * 1024 * 1024;

// The archive as QuaZip reads it, failing every read once cancelled, so that even one entry of
// many GiB stops at once, and telling how far into the archive the reads have come.
class ArchiveFile final : public QFile
{
public:
    ArchiveFile(const QString &path, const std::atomic_bool &cancel,
                std::function<void(qint64)> reached)
        : QFile(path), m_cancel(cancel), m_reached(std::move(reached))
    {
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        if (m_cancel.load()) {
            setErrorString(LocalUnpack::tr("Cancelled."));
            return -1;
        }
        const qint64 at = pos();
        const qint64 n = QFile::readData(data, maxSize);
        if (n > 0 && m_reached)
            m_reached(at + n);
        return n;
    }

private:
    const std::atomic_bool &m_cancel;
    std::function<void(qint64)> m_reached;
};

} // namespace

bool LocalUnpack::hasEndRecord(QIODevice *device)
{
    const qint64 size = device->size();
    if (size < kEndRecordSize)
        return false;
    const qint64 from = qMax<qint64>(0, size - kEndRecordSize - kMaxCommentLength);
    if (!device->seek(from))
        return false;
    const QByteArray tail = device->read(size - from);
    if (tail.size() != size - from)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(tail.constData());
    // The last record whose comment ends exactly at the end of the file; a signature inside a
    // comment or inside compressed data does not end there.
    for (qsizetype at = tail.size() - kEndRecordSize; at >= 0; --at) {
        if (p[at] != 'P' || p[at + 1] != 'K' || p[at + 2] != 5 || p[at + 3] != 6)
            continue;
        const qint64 commentLength = qFromLittleEndian<quint16>(p + at + 20);
        if (at + kEndRecordSize + commentLength != tail.size())
            continue;
        const quint32 cdSize = qFromLittleEndian<quint32>(p + at + 12);
        const quint32 cdOffset = qFromLittleEndian<quint32>(p + at + 16);
        // Zip64 archives say 0xFFFFFFFF here and keep the real values in their own record.
        if (cdOffset == 0xFFFFFFFFu || cdSize == 0xFFFFFFFFu)
            return true;
        return qint64(cdOffset) + qint64(cdSize) <= from + at;
    }
    return false;
}

QString LocalUnpack::sentence(const QString &text)
{
    QString s = text.trimmed();
    if (s.isEmpty())
        return s;
    // A closing quotation mark or bracket after the final punctuation still ends the sentence.
    qsizetype end = s.size();
    while (end > 0 && QStringView(u"”’\"')»").contains(s.at(end - 1)))
        --end;
    if (end > 0 && QStringView(u".!?…").contains(s.at(end - 1)))
        return s;
    return s + u'.';
}

UnpackOutcome LocalUnpack::run(const QString &archivePath, const QString &folder,
                               const std::atomic_bool &cancel, const Log &log,
                               PartFile::Identity expected)
{
    UnpackOutcome outcome;
    const auto say = [&](const QString &line) {
        if (log)
            log(line);
    };
    const QString archiveName = QFileInfo(archivePath).fileName();
    qint64 archiveSize = 0;
    int nextQuarter = 1;
    ArchiveFile file(archivePath, cancel, [&](qint64 reached) {
        // Entry after entry, how far the reads reached is the progress.
        while (archiveSize >= kProgressFrom && nextQuarter < 4 &&
               reached * 4 >= archiveSize * nextQuarter) {
            say(tr("Extracting: %1 % of the archive read.").arg(nextQuarter * 25));
            ++nextQuarter;
        }
    });
    if (!file.open(QIODevice::ReadOnly)) {
        outcome.error =
            sentence(tr("“%1” cannot be opened: %2").arg(archiveName, file.errorString()));
        return outcome;
    }
    if (expected.isKnown()) {
        // The file that is open now, not whatever has the name by the time it is checked.
        struct stat st = {};
        if (::fstat(file.handle(), &st) != 0 || !S_ISREG(st.st_mode) ||
            quint64(st.st_dev) != expected.device || quint64(st.st_ino) != expected.inode) {
            outcome.kind = UnpackOutcome::Kind::NotOurs;
            outcome.error = tr("“%1” is no longer the file Ferry downloaded: another file has "
                               "taken its name.")
                                .arg(archiveName);
            return outcome;
        }
    }
    if (!hasEndRecord(&file)) {
        outcome.kind = UnpackOutcome::Kind::NotZip;
        return outcome;
    }
    file.seek(0);

    ZipReader reader(&file);
    if (!reader.open()) {
        outcome.kind = cancel.load() ? UnpackOutcome::Kind::Cancelled : UnpackOutcome::Kind::Failed;
        outcome.error = sentence(reader.errorString());
        return outcome;
    }
    // From here on (the central directory at the end is read) reads go front to back.
    archiveSize = file.size();
    const QList<ZipEntry> &entries = reader.entries();
    qint64 total = 0;
    for (const ZipEntry &e : entries)
        total += e.directory ? 0 : e.size;
    say(tr("Extracting %n entries (%1) from “%2”.", nullptr, int(entries.size()))
            .arg(QLocale().formattedDataSize(total), archiveName));

    // The folder is new: nothing in it is anybody else's, and removing it undoes everything.
    if (!QDir().mkdir(folder)) {
        outcome.error = tr("Cannot create the folder “%1”.").arg(QDir::toNativeSeparators(folder));
        return outcome;
    }
    const auto removeFolder = [&] { QDir(folder).removeRecursively(); };

    QList<qsizetype> all;
    all.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i)
        all.append(i);
    ZipExtractor extractor(&reader);
    QString fatal;
    extractor.extract(all, folder, [&](const ExtractedEntry &result) {
        if (cancel.load() || !fatal.isEmpty())
            return false;
        if (result.error.isEmpty()) {
            if (!result.path.isEmpty() && QFileInfo(result.path).isDir())
                ++outcome.folders;
            else if (!result.path.isEmpty()) {
                ++outcome.files;
                outcome.bytes += result.size;
            }
            return true;
        }
        // An entry Ferry does not unpack is left out with its reason; anything else (damaged
        // data, a full disk) ends the extraction: a folder with silent holes helps nobody.
        // Decided by the entry itself, not by its name: names may repeat in an archive.
        if (result.refused) {
            outcome.refused.append(result.error);
            say(tr("Left out: %1").arg(sentence(result.error)));
            return true;
        }
        fatal = sentence(result.error);
        return false;
    });
    if (cancel.load()) {
        // Left to the caller, who knows whether there is time to delete it now.
        outcome.kind = UnpackOutcome::Kind::Cancelled;
        outcome.error = tr("Cancelled.");
        return outcome;
    }
    if (!fatal.isEmpty()) {
        removeFolder();
        outcome.error = fatal;
        return outcome;
    }
    outcome.kind = UnpackOutcome::Kind::Extracted;
    return outcome;
}

} // namespace ferry::zipread
