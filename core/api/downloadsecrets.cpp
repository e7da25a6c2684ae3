// The headers of a download (cookies, Authorization, passwords) kept in the system keychain
// across restarts. The database only says that a download needs them (needs_secrets); their
// values are in the keychain entry and in the job's memory, never anywhere else.
#include "api/downloadmanager.h"

#include "api/secretvault.h"
#include "engine/downloadjob.h"

namespace ferry {

void DownloadManager::setSecretVault(std::unique_ptr<SecretVault> vault)
{
    m_vault = std::move(vault);
    if (m_vault && m_storage)
        m_vault->setStateDir(m_stateDir);
}

void DownloadManager::keepSecrets(DownloadId id, const QUrl &url, const HeaderList &secrets)
{
    if (m_vault && !secrets.isEmpty())
        m_vault->store(id, url, secrets);
}

void DownloadManager::forgetSecrets(DownloadId id)
{
    if (m_vault)
        m_vault->remove(id);
}

bool DownloadManager::awaitSecrets(TransferJob *t)
{
    auto *d = qobject_cast<DownloadJob *>(t);
    if (!m_vault || !d || !d->lacksCredentials() || m_secretsAsked.contains(d->id()))
        return false;
    // Asked only when the download is about to start, so that a `list` or a window that keeps
    // its queue waiting never touches the keychain. Whatever the answer, start() decides next:
    // without the headers it stops and says that it needs them.
    const DownloadId id = d->id();
    m_secretsAsked.insert(id);
    m_awaitingSecrets.insert(id);
    m_vault->load(id, d->record().url, [this, id](const std::optional<HeaderList> &headers) {
        if (!m_awaitingSecrets.remove(id))
            return; // removed meanwhile
        auto *j = qobject_cast<DownloadJob *>(job(id));
        if (j && headers && j->lacksCredentials())
            j->setSecrets(*headers);
        schedule();
    });
    return true;
}

} // namespace ferry
