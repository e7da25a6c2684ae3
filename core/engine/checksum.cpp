#include "engine/checksum.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

struct Algorithm
{
    QLatin1StringView name;
    QCryptographicHash::Algorithm id;
};

// MD5 and SHA-1 are broken for adversarial use but still what many mirrors publish; they detect
// accidental corruption, which is what a user pasting a checksum wants checked.
constexpr Algorithm algorithms[] = {
    {"md5"_L1, QCryptographicHash::Md5},
    {"sha1"_L1, QCryptographicHash::Sha1},
    {"sha256"_L1, QCryptographicHash::Sha256},
    {"sha512"_L1, QCryptographicHash::Sha512},
};

constexpr qint64 BlockSize = 1024 * 1024;

QString tr(const char *text)
{
    return QCoreApplication::translate("ferry", text);
}

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

std::optional<ExpectedChecksum> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

} // namespace

std::optional<ExpectedChecksum> parseChecksumSpec(const QString &spec, QString *error)
{
    const QString text = spec.trimmed();
    const qsizetype eq = text.indexOf(u'=');
    if (text.isEmpty() || eq < 0)
        return fail(error, tr("A checksum must look like sha256=<hex digits>."));

    const QString algoName = text.first(eq).trimmed().toLower();
    const auto algo = std::find_if(std::begin(algorithms), std::end(algorithms),
                                   [&](const Algorithm &a) { return a.name == algoName; });
    if (algo == std::end(algorithms)) {
        return fail(error, tr("Unknown checksum algorithm \"%1\"; use md5, sha1, sha256 or sha512.")
                               .arg(algoName));
    }

    const QString hex = text.sliced(eq + 1).trimmed();
    const QString name = algo->name;
    const auto bad = std::find_if_not(hex.cbegin(), hex.cend(), isHexDigit);
    if (bad != hex.cend()) {
        return fail(error, tr("%1 checksum may contain only hex digits (0-9, a-f), found \"%2\".")
                               .arg(name, QString(*bad)));
    }
    const qsizetype expected = 2 * QCryptographicHash::hashLength(algo->id);
    if (hex.size() != expected) {
        return fail(error, tr("%1 checksum must be %2 hex digits, got %3.")
                               .arg(name)
                               .arg(expected)
                               .arg(hex.size()));
    }
    return ExpectedChecksum{algo->id, hex.toLower().toLatin1(), name};
}

QByteArray fileHashHex(const QString &path, QCryptographicHash::Algorithm algorithm,
                       const std::atomic_bool *cancel)
{
    if (path.isEmpty())
        return {};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(algorithm);
    QByteArray buffer(BlockSize, Qt::Uninitialized);
    while (true) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return {};
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return {};
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return hash.result().toHex();
}

} // namespace ferry
