#include "browserpage.h"

#include "api/browserhosts.h"
#include "appsettings.h"
#include "probelist.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

enum Column { BrowserColumn, HelperColumn, ExtensionColumn };

QString helperText(const BrowserHosts::Status &status)
{
    switch (status.registration) {
    case BrowserHosts::Registration::User:
        return BrowserPage::tr("Registered for this user");
    case BrowserHosts::Registration::System:
        return BrowserPage::tr("Registered for all users");
    case BrowserHosts::Registration::BrokenPath:
        return BrowserPage::tr("Registered, but %1 is missing").arg(status.programPath);
    case BrowserHosts::Registration::Missing:
        break;
    }
    return BrowserPage::tr("Not registered");
}

QString contactText(const BrowserHosts::Contact &contact)
{
    if (!contact.last.isValid())
        return BrowserPage::tr("Not connected yet");
    const QString when = QLocale().toString(contact.last.toLocalTime(), QLocale::ShortFormat);
    return BrowserPage::tr("Last connected %1").arg(when);
}

} // namespace

BrowserPage::BrowserPage(AppSettings *settings, const QString &stateDir, const QString &hostProgram,
                         QWidget *parent)
    : QWidget(parent), m_settings(settings), m_stateDir(stateDir), m_hostProgram(hostProgram)
{
    m_startCheck = new QCheckBox(tr("&Start downloads caught in the browser without asking"), this);
    m_startCheck->setObjectName(u"startCapturedCheck"_s);
    m_startCheck->setToolTip(tr("Otherwise the add dialog opens first, to choose the folder, "
                                "the name and the connections."));

    m_table = new QTreeWidget(this);
    m_table->setObjectName(u"browserTable"_s);
    m_table->setHeaderLabels({tr("Browser"), tr("Ferry's helper"), tr("Extension")});
    m_table->setRootIsDecorated(false);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->header()->setStretchLastSection(true);
    // Wide enough for "Registered for this user" and a date side by side.
    m_table->setMinimumWidth(fontMetrics().averageCharWidth() * 80);

    auto *registerButton = new QPushButton(tr("&Register for This User"), this);
    registerButton->setObjectName(u"registerHostButton"_s);
    registerButton->setAutoDefault(false);
    registerButton->setToolTip(tr("Lets the browsers of this user start %1.")
                                   .arg(QDir::toNativeSeparators(m_hostProgram)));
    registerButton->setEnabled(QFileInfo(m_hostProgram).isExecutable());
    m_registerResult = new QLabel(this);
    m_registerResult->setObjectName(u"registerResult"_s);
    m_registerResult->setWordWrap(true);
    m_registerResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_registerResult->hide();

    m_howTo = new QLabel(this);
    m_howTo->setObjectName(u"extensionHowTo"_s);
    m_howTo->setWordWrap(true);
    m_howTo->setTextFormat(Qt::RichText);
    m_howTo->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const QString chromium = extensionFolder(u"chromium"_s);
    const QString firefox = extensionFolder(u"firefox"_s);
    const auto folder = [](const QString &path) {
        return path.isEmpty() ? tr("(not installed)")
                              : u"<code>%1</code>"_s.arg(QDir::toNativeSeparators(path).toHtmlEscaped());
    };
    m_howTo->setText(
        tr("<b>Adding the extension</b><br>"
           "Chromium, Chrome, Brave, Edge, Vivaldi: open <code>chrome://extensions</code>, turn "
           "on Developer mode, click “Load unpacked” and choose %1.<br>"
           "Firefox: open <code>about:debugging#/runtime/this-firefox</code>, click “Load "
           "Temporary Add-on…” and choose <code>manifest.json</code> in %2 (Firefox forgets it "
           "when it closes).<br>"
           "Downloads Ferry cannot fetch as the browser would (private windows, forms, "
           "<code>blob:</code> links) stay in the browser, and so does everything while Ferry "
           "does not answer.")
            .arg(folder(chromium), folder(firefox)));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_startCheck);
    layout->addWidget(m_table, 1);
    layout->addWidget(registerButton, 0, Qt::AlignLeft);
    layout->addWidget(m_registerResult);
    layout->addWidget(m_howTo);

    connect(registerButton, &QPushButton::clicked, this, &BrowserPage::registerHost);
    refresh();
}

void BrowserPage::load()
{
    m_startCheck->setChecked(m_settings->startCapturedWithoutAsking());
    refresh();
}

void BrowserPage::save()
{
    m_settings->setStartCapturedWithoutAsking(m_startCheck->isChecked());
}

void BrowserPage::refresh()
{
    m_table->clear();
    QList<BrowserHosts::Browser> shown;
    for (const BrowserHosts::Browser &browser : BrowserHosts::browsers()) {
        if (BrowserHosts::found(browser))
            shown.append(browser);
    }
    const bool none = shown.isEmpty();
    if (none)
        shown = BrowserHosts::browsers(); // say where things would go, rather than nothing
    for (const BrowserHosts::Browser &browser : std::as_const(shown)) {
        const BrowserHosts::Status status = BrowserHosts::status(browser);
        auto *item = new QTreeWidgetItem(m_table);
        item->setText(BrowserColumn, none ? tr("%1 (not found)").arg(browser.name) : browser.name);
        item->setText(HelperColumn, helperText(status));
        item->setToolTip(HelperColumn, QDir::toNativeSeparators(status.manifestPath.isEmpty()
                                                                    ? browser.userManifestDir
                                                                    : status.manifestPath));
        if (status.registration == BrowserHosts::Registration::Missing ||
            status.registration == BrowserHosts::Registration::BrokenPath)
            item->setForeground(HelperColumn, ProbeList::errorColor());
        const BrowserHosts::Contact contact = BrowserHosts::contact(m_stateDir, browser.family);
        item->setText(ExtensionColumn, contactText(contact));
        if (!contact.extensionVersion.isEmpty())
            item->setToolTip(ExtensionColumn, tr("Extension version %1").arg(contact.extensionVersion));
    }
}

void BrowserPage::registerHost()
{
    QStringList written;
    QString error;
    if (BrowserHosts::registerForUser(m_hostProgram, &written, &error))
        m_registerResult->setText(tr("Registered for %n browser(s). Restart a browser that was "
                                     "open for it to find Ferry.",
                                     nullptr, int(written.size())));
    else
        m_registerResult->setText(tr("Could not register: %1").arg(error));
    m_registerResult->show();
    refresh();
}

QString BrowserPage::defaultHostProgram()
{
    return QCoreApplication::applicationDirPath() + u"/ferry-browser-host"_s;
}

QString BrowserPage::extensionFolder(const QString &family)
{
    const QString app = QCoreApplication::applicationDirPath();
    const QStringList candidates{app + u"/../share/ferry/browser/"_s + family,
                                 app + u"/../browser/"_s + family};
    for (const QString &candidate : candidates) {
        if (QFileInfo(candidate + u"/manifest.json"_s).isFile())
            return QDir::cleanPath(candidate);
    }
    return {};
}

} // namespace ferry::ui
