#include "engine/finisher.h"

#include "engine/checksum.h"
#include "engine/filenamesanitizer.h"
#include "engine/partfile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QThread>
#include <memory>

namespace ferry::Finisher {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ferry::Finisher", text);
}
} // namespace

void verify(const QString &partPath, qint64 expectedSize, const QString &checksum, QObject *context,
            std::function<void(const QString &error)> done)
{
    const qint64 size = QFileInfo(partPath).size();
    if (expectedSize >= 0 && size != expectedSize) {
        done(tr("The finished file has %1 bytes, but the server announced %2.").arg(size).arg(expectedSize));
        return;
    }
    if (checksum.isEmpty()) {
        done({});
        return;
    }
    QString error;
    const auto expected = parseChecksumSpec(checksum, &error);
    if (!expected) {
        done(error);
        return;
    }
    auto result = std::make_shared<QByteArray>();
    QThread *hasher = QThread::create([result, partPath, algorithm = expected->algorithm] {
        *result = fileHashHex(partPath, algorithm);
    });
    QObject::connect(hasher, &QThread::finished, context, [hasher, result, expected = *expected, partPath, done] {
        hasher->deleteLater();
        if (*result != expected.hex) {
            done(tr("The %1 checksum does not match: expected %2, got %3. The file was kept as %4.")
                     .arg(expected.name, QString::fromLatin1(expected.hex), QString::fromLatin1(*result), partPath));
            return;
        }
        done({});
    });
    hasher->start();
}

QString moveIntoPlace(const QString &partPath, PartFile::Identity identity,
                      const QString &directory, const QString &fileName,
                      const std::function<bool(const QString &)> &taken,
                      const std::function<void(const QString &)> &beforeRename, QString *error,
                      const QString &ownPart)
{
    // A name can be taken between choosing and renaming; the no-replace rename notices and the
    // next free name is tried. Another process's "X.part" reserves "X" for its own finish.
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (!PartFile::matches(partPath, identity)) {
            *error =
                tr("%1 is no longer this download's file (a link or another file has its name)")
                    .arg(partPath);
            return {};
        }
        const QString target = uniqueFilePath(directory, fileName, [&](const QString &p) {
            const QString part = p + PartFile::suffix();
            return PartFile::exists(p) || (part != partPath && part != ownPart && PartFile::exists(part)) ||
                   taken(p);
        });
        if (target.isEmpty()) {
            *error = tr("no free file name is left for %1").arg(fileName);
            return {};
        }
        beforeRename(target);
        if (PartFile::renameNoReplace(partPath, target, error))
            return target;
    }
    return {};
}

bool renamedAlready(const QString &partPath, PartFile::Identity identity, const QString &targetPath,
                    qint64 total)
{
    if (targetPath.isEmpty() || total < 0 || partPath.isEmpty() ||
        (!identity.isKnown() && PartFile::exists(partPath)))
        return false;
    return PartFile::matches(targetPath, identity) && QFileInfo(targetPath).size() == total;
}

} // namespace ferry::Finisher
