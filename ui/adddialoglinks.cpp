// The add dialog's second way in: the links of a web page, or an address captured in a browser
// with the headers that browser would have sent.
#include "adddialog.h"

#include "categories.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

// Links of a page that are pages themselves (or their data), not files to keep.
bool isPageSuffix(const QString &suffix)
{
    static const QSet<QString> pages = {u"html"_s, u"htm"_s, u"xhtml"_s, u"shtml"_s, u"php"_s,
                                        u"asp"_s,  u"aspx"_s, u"jsp"_s,  u"cgi"_s,   u"xml"_s,
                                        u"json"_s, u"txt"_s,  u"md"_s};
    return pages.contains(suffix);
}

QString linkFileName(const ProbeList::Link &link)
{
    return QUrl(link.url).fileName();
}

// Ticked from the start: what people mean by "all the downloads on this page" — archives,
// programs, videos, music, documents — and not the site's own pages.
bool commonDownload(const ProbeList::Link &link)
{
    const QString name = linkFileName(link);
    const qsizetype dot = name.lastIndexOf(u'.');
    if (dot <= 0)
        return false;
    const QString suffix = name.mid(dot + 1).toLower();
    return !isPageSuffix(suffix) && categoryForFileName(name) != Category::Other;
}

constexpr int allTypes = -1;

} // namespace

QWidget *AddDialog::buildLinkBar()
{
    auto *bar = new QWidget(this);
    bar->setObjectName(u"linkBar"_s);
    m_typeFilter = new QComboBox(bar);
    m_typeFilter->setObjectName(u"typeFilter"_s);
    m_linkFilter = new QLineEdit(bar);
    m_linkFilter->setObjectName(u"linkFilter"_s);
    m_linkFilter->setPlaceholderText(tr("Filter by name or address"));
    m_linkFilter->setClearButtonEnabled(true);
    auto *tick = new QPushButton(tr("Tick &Shown"), bar);
    tick->setObjectName(u"tickShown"_s);
    tick->setAutoDefault(false);
    auto *untick = new QPushButton(tr("&Untick Shown"), bar);
    untick->setObjectName(u"untickShown"_s);
    untick->setAutoDefault(false);

    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_typeFilter);
    row->addWidget(m_linkFilter, 1);
    row->addWidget(tick);
    row->addWidget(untick);
    bar->hide();

    connect(m_typeFilter, &QComboBox::currentIndexChanged, this, &AddDialog::applyLinkFilter);
    connect(m_linkFilter, &QLineEdit::textChanged, this, &AddDialog::applyLinkFilter);
    connect(tick, &QPushButton::clicked, this, [this] { setShownChecked(true); });
    connect(untick, &QPushButton::clicked, this, [this] { setShownChecked(false); });
    return bar;
}

void AddDialog::setLinks(const QList<ProbeList::Link> &links)
{
    m_linkMode = true;
    m_links = links;
    m_checked.clear();
    QHash<Category, int> counts;
    for (const ProbeList::Link &link : links) {
        ++counts[categoryForFileName(linkFileName(link))];
        if (commonDownload(link))
            m_checked.insert(link.url);
    }
    m_urlLabel->setText(tr("%n link(s) found on the page; the ticked ones are added:", nullptr,
                           int(links.size())));
    m_urlLabel->setBuddy(m_probeList);
    m_urlEdit->hide();
    m_linkBar->show();

    m_typeFilter->blockSignals(true);
    m_typeFilter->clear();
    m_typeFilter->addItem(tr("All types (%1)").arg(links.size()), allTypes);
    for (const Category category : allCategories) {
        if (const int n = counts.value(category))
            m_typeFilter->addItem(categoryIcon(category),
                                  u"%1 (%2)"_s.arg(categoryName(category)).arg(n),
                                  int(category));
    }
    m_typeFilter->blockSignals(false);

    rebuildList();
    probeNew();
    m_probeList->setFocus();
}

void AddDialog::setBrowserHeaders(std::function<HeaderList(const QUrl &)> headersFor,
                                  const QString &note)
{
    m_browserHeaders = std::move(headersFor);
    m_browserNote->setText(note);
    m_browserNote->setVisible(!note.isEmpty());
    // Answers so far were asked without the browser's cookies; ask again with them.
    m_results.clear();
    m_pending.clear();
    probeNew();
}

HeaderList AddDialog::headersFor(const QString &url) const
{
    HeaderList headers = requestHeaders(nullptr);
    if (!m_browserHeaders)
        return headers;
    for (const auto &header : m_browserHeaders(QUrl(url))) {
        const bool typed = std::any_of(headers.cbegin(), headers.cend(), [&](const auto &h) {
            return h.first.compare(header.first, Qt::CaseInsensitive) == 0;
        });
        if (!typed)
            headers.append(header);
    }
    return headers;
}

void AddDialog::onLinkToggled(const QString &url, bool checked)
{
    if (checked) {
        m_checked.insert(url);
        if (const auto found = m_results.constFind(url); found != m_results.cend())
            m_probeList->showResult(url, *found);
        else
            probeNew();
    } else {
        m_checked.remove(url);
    }
    validate();
}

bool AddDialog::linkShown(const ProbeList::Link &link) const
{
    const int type = m_typeFilter->currentData().toInt();
    if (type != allTypes && int(categoryForFileName(linkFileName(link))) != type)
        return false;
    const QString text = m_linkFilter->text().trimmed();
    return text.isEmpty() || link.url.contains(text, Qt::CaseInsensitive) ||
           link.text.contains(text, Qt::CaseInsensitive);
}

void AddDialog::applyLinkFilter()
{
    if (!m_linkMode)
        return;
    for (int row = 0; row < m_links.size() && row < m_probeList->topLevelItemCount(); ++row)
        m_probeList->topLevelItem(row)->setHidden(!linkShown(m_links.at(row)));
}

void AddDialog::setShownChecked(bool checked)
{
    bool changed = false;
    for (const ProbeList::Link &link : std::as_const(m_links)) {
        if (!linkShown(link) || m_checked.contains(link.url) == checked)
            continue;
        changed = true;
        if (checked)
            m_checked.insert(link.url);
        else
            m_checked.remove(link.url);
    }
    if (!changed)
        return;
    rebuildList();
    probeNew();
}

} // namespace ferry::ui
