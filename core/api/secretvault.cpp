#include "api/secretvault.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

// Scheme, host and port: the headers go to this origin only (see TransferTask::secretOrigin).
QString originOf(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toString();
}

} // namespace

SecretVault::SecretVault(std::unique_ptr<KeychainBackend> keychain, QObject *parent)
    : QObject(parent), m_keychain(std::move(keychain))
{
}

SecretVault::~SecretVault() = default;

std::unique_ptr<KeychainBackend> SecretVault::systemKeychain(int timeoutMs)
{
    return std::make_unique<QtKeychainBackend>(u"Ferry"_s, timeoutMs);
}

void SecretVault::setStateDir(const QString &stateDir)
{
    // The same folder reached by another path (a symlink, a relative --state-dir) names the
    // same entries.
    const QString canonical = QFileInfo(stateDir).canonicalFilePath();
    m_stateDir =
        QDir::cleanPath(canonical.isEmpty() ? QFileInfo(stateDir).absoluteFilePath() : canonical);
}

QString SecretVault::keyFor(DownloadId id) const
{
    return u"download-%1@%2"_s.arg(id).arg(m_stateDir);
}

QString SecretVault::unavailableMessage()
{
    return tr("No system keychain: logins of downloads are kept for this session only; after a "
              "restart such downloads ask for them again.");
}

QByteArray SecretVault::encode(const QUrl &url, const HeaderList &headers)
{
    // Header bytes are not always UTF-8: Latin-1 maps each byte to one character and back.
    QJsonArray list;
    for (const auto &[name, value] : headers)
        list.append(QJsonArray{QString::fromLatin1(name), QString::fromLatin1(value)});
    const QJsonObject object{{u"origin"_s, originOf(url)}, {u"headers"_s, list}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<HeaderList> SecretVault::decode(const QByteArray &data, const QUrl &url)
{
    const QJsonDocument document = QJsonDocument::fromJson(data);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value(u"origin"_s).toString() != originOf(url))
        return std::nullopt;
    HeaderList headers;
    for (const QJsonValue &pair : object.value(u"headers"_s).toArray()) {
        const QJsonArray nameValue = pair.toArray();
        const QString name = nameValue.at(0).toString();
        if (nameValue.size() != 2 || name.isEmpty())
            return std::nullopt;
        headers.append({name.toLatin1(), nameValue.at(1).toString().toLatin1()});
    }
    if (headers.isEmpty())
        return std::nullopt;
    return headers;
}

void SecretVault::store(DownloadId id, const QUrl &url, const HeaderList &headers)
{
    if (headers.isEmpty())
        return remove(id);
    enqueue(
        [this, key = keyFor(id), data = encode(url, headers)] {
            m_keychain->write(key, data, [this](const KeychainBackend::Result &r) { answered(r); });
        },
        {});
}

void SecretVault::load(DownloadId id, const QUrl &url, Loaded done)
{
    QPointer<SecretVault> self = this;
    enqueue(
        [this, self, key = keyFor(id), url, done] {
            m_keychain->read(key, [self, url, done](const KeychainBackend::Result &r) {
                if (!self)
                    return;
                self->answered(r);
                done(r.status == KeychainBackend::Status::Ok ? decode(r.data, url) : std::nullopt);
            });
        },
        [done] { done(std::nullopt); });
}

void SecretVault::remove(DownloadId id)
{
    enqueue(
        [this, key = keyFor(id)] {
            m_keychain->remove(key, [this](const KeychainBackend::Result &r) { answered(r); });
        },
        {});
}

void SecretVault::enqueue(std::function<void()> run, std::function<void()> drop)
{
    if (!m_available) {
        // Without a keychain the call is not made; a caller waiting for an answer still gets
        // one, from the event loop like every answer.
        if (drop)
            QMetaObject::invokeMethod(this, std::move(drop), Qt::QueuedConnection);
        return;
    }
    m_queue.push_back({std::move(run), std::move(drop)});
    if (!m_running)
        QMetaObject::invokeMethod(this, &SecretVault::next, Qt::QueuedConnection);
}

void SecretVault::next()
{
    if (m_running)
        return;
    if (!m_available) {
        // Calls queued behind the one that found no keychain would only wait for the same silence.
        std::deque<Call> dropped;
        dropped.swap(m_queue);
        for (Call &call : dropped) {
            if (call.drop)
                call.drop();
        }
    }
    if (m_queue.empty()) {
        emit idle();
        return;
    }
    Call call = std::move(m_queue.front());
    m_queue.pop_front();
    m_running = true;
    call.run();
}

void SecretVault::answered(const KeychainBackend::Result &result)
{
    m_running = false;
    if (result.status == KeychainBackend::Status::Unavailable && m_available) {
        m_available = false;
        emit unavailable();
    }
    // The backend may answer from inside the call: go on from the event loop.
    QMetaObject::invokeMethod(this, &SecretVault::next, Qt::QueuedConnection);
}

bool SecretVault::waitForPending(int timeoutMs)
{
    if (!busy())
        return true;
    QEventLoop loop;
    connect(this, &SecretVault::idle, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return !busy();
}

} // namespace ferry
