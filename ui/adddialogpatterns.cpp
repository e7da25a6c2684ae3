// The add dialog's batches (curl-style patterns in the address box) and prepared lists.
#include "adddialog.h"

#include "api/urlpattern.h"
#include "appsettings.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// Probing every address of a long pattern would hammer one server with thousands of requests
// for answers that are almost certainly alike; the first few tell whether the pattern is right.
constexpr qint64 probedPerPattern = 5;

bool startsWithWebScheme(const QString &token)
{
    return token.startsWith(u"http://"_s, Qt::CaseInsensitive) ||
           token.startsWith(u"https://"_s, Qt::CaseInsensitive);
}

QString shortAddress(const QString &url)
{
    const QString name = QUrl(url).fileName();
    return name.isEmpty() ? url : u"…/"_s + name;
}

} // namespace

const AddDialog::TextUrls &AddDialog::textUrls() const
{
    const QString text = m_urlEdit->toPlainText();
    if (text == m_textFor && !m_textFor.isNull())
        return m_text;
    m_textFor = text.isNull() ? u""_s : text;
    m_text = {};
    QSet<QString> seen;
    const auto add = [&](const QString &url, bool probe) {
        if (seen.contains(url))
            return;
        seen.insert(url);
        m_text.urls.append(url);
        if (!probe)
            m_text.unprobed.insert(url);
    };
    static const QRegularExpression space(u"\\s+"_s);
    QStringList notes;
    qint64 total = 0;
    const QStringList lines = text.split(u'\n');
    for (int line = 0; line < lines.size(); ++line) {
        for (const QString &token : lines.at(line).split(space, Qt::SkipEmptyParts)) {
            if (!startsWithWebScheme(token) || !UrlPattern::isPattern(token)) {
                for (const QString &url : AppSettings::urlsFromText(token))
                    add(url, true);
                continue;
            }
            const UrlPattern pattern = UrlPattern::parse(token);
            if (!pattern.isValid()) {
                if (m_text.error.isEmpty())
                    m_text.error = UrlPattern::describe(pattern.error(), line + 1);
                continue;
            }
            const qint64 count = pattern.count();
            if (count > UrlPattern::maxAddresses) {
                m_text.error = UrlPattern::tooManyMessage(count);
                continue;
            }
            total += count;
            if (total > UrlPattern::maxAddresses) {
                if (m_text.error.isEmpty())
                    m_text.error =
                        tr("These patterns make %1 addresses; at most %2 can be added at once.")
                            .arg(QLocale().toString(total),
                                 QLocale().toString(UrlPattern::maxAddresses));
                continue;
            }
            const QStringList made = pattern.expand(nullptr);
            for (qsizetype i = 0; i < made.size(); ++i)
                add(made.at(i), i < probedPerPattern);
            notes.append(tr("This pattern makes %Ln address(es): %1 … %2", nullptr, int(count))
                             .arg(shortAddress(made.first()), shortAddress(made.last())));
        }
    }
    if (!m_text.error.isEmpty()) {
        m_text.urls.clear();
        m_text.unprobed.clear();
    } else {
        m_text.note = notes.join(u'\n');
    }
    return m_text;
}

void AddDialog::setRequests(const QList<DownloadRequest> &requests, const QStringList &skipped)
{
    m_prepared.clear();
    QStringList urls;
    for (const DownloadRequest &r : requests) {
        const QString url = r.url.toString();
        m_prepared.insert(url, r);
        urls.append(url);
    }
    if (skipped.isEmpty()) {
        m_importNote->clear();
    } else {
        QStringList shown = skipped.mid(0, 3);
        if (skipped.size() > shown.size())
            shown.append(u"…"_s);
        m_importNote->setText(
            tr("%Ln entries skipped: %1", nullptr, int(skipped.size())).arg(shown.join(tr("; "))));
    }
    m_importNote->setVisible(!m_importNote->text().isEmpty());
    setUrlsText(urls.join(u'\n'));
}

void AddDialog::applyPrepared(DownloadRequest *request) const
{
    const auto found = m_prepared.constFind(request->url.toString());
    if (found == m_prepared.cend())
        return;
    const DownloadRequest &p = *found;
    if (!p.directory.isEmpty() && QFileInfo(p.directory).isDir())
        request->directory = QDir::cleanPath(p.directory);
    if (!p.fileName.isEmpty())
        request->fileName = p.fileName;
    if (!p.checksum.isEmpty())
        request->checksum = p.checksum;
    if (p.connections)
        request->connections = p.connections;
    if (p.rateLimit)
        request->rateLimit = p.rateLimit;
}

} // namespace ferry::ui
