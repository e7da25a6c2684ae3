#include "adddialog.h"

#include "api/urlprober.h"
#include "appsettings.h"
#include "categories.h"
#include "engine/checksum.h"
#include "probelist.h"
#include "ratelimitbox.h"
#include "requestheaders.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

constexpr int debounceMs = 400; // long enough not to probe half-typed addresses

// Object names let tests and accessibility tools find each field.
template <typename T> T *named(T *widget, const QString &name)
{
    widget->setObjectName(name);
    return widget;
}

QLabel *errorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = named(new QLabel(parent), objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText, ProbeList::errorColor());
    label->setPalette(pal);
    label->hide();
    return label;
}

void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

} // namespace

AddDialog::AddDialog(UrlProber *prober, AppSettings *settings, QWidget *parent)
    : QDialog(parent), m_prober(prober), m_settings(settings)
{
    setWindowTitle(tr("Add Downloads"));
    // Wide enough for a URL, a file name, its size and an error message side by side.
    resize(720, 560);
    m_debounce = new QTimer(this); // before buildUi(): its connections restart it
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(debounceMs);
    connect(m_debounce, &QTimer::timeout, this, &AddDialog::probeNew);
    buildUi();
    m_urlEdit->setFocus(); // typing or pasting a URL is the first thing to do here

    if (m_prober)
        connect(m_prober, &UrlProber::finished, this, &AddDialog::onProbed);

    const QString last = m_settings->lastFolder();
    fill(m_folderEdit,
         QDir::toNativeSeparators(last.isEmpty() ? m_settings->downloadFolder() : last));
    m_connectionsSpin->setValue(m_settings->connectionsPerDownload());
    m_extractCheck->setChecked(m_settings->extractArchives());
    validate();
}

AddDialog::~AddDialog() = default;

void AddDialog::buildUi()
{
    m_urlEdit = named(new QPlainTextEdit(this), u"urlEdit"_s);
    m_urlEdit->setPlaceholderText(tr("https://example.com/file.iso"));
    m_urlEdit->setTabChangesFocus(true);
    m_urlEdit->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_urlEdit->setMaximumHeight(fontMetrics().lineSpacing() * 6);
    m_urlEdit->installEventFilter(this); // Enter: see eventFilter()
    m_urlHint = errorLabel(u"urlError"_s, this);

    m_probeList = named(new ProbeList(this), u"probeList"_s);
    connect(m_probeList, &ProbeList::checkToggled, this, &AddDialog::onLinkToggled);
    m_linkBar = buildLinkBar();
    m_browserNote = named(new QLabel(this), u"browserNote"_s);
    m_browserNote->setWordWrap(true);
    m_browserNote->hide();
    m_refusedNote = errorLabel(u"refusedNote"_s, this);
    m_patternNote = named(new QLabel(this), u"patternNote"_s);
    m_patternNote->setWordWrap(true);
    m_patternNote->hide();
    m_importNote = named(new QLabel(this), u"importNote"_s);
    m_importNote->setWordWrap(true);
    m_importNote->hide();

    m_folderEdit = named(new QLineEdit(this), u"folderEdit"_s);
    auto *browseButton = named(new QPushButton(tr("Browse…"), this), u"browseButton"_s);
    browseButton->setAutoDefault(false);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folderEdit, 1);
    folderRow->addWidget(browseButton);
    m_folderError = errorLabel(u"folderError"_s, this);

    m_nameEdit = named(new QLineEdit(this), u"nameEdit"_s);

    m_connectionsSpin = named(new QSpinBox(this), u"connectionsSpin"_s);
    m_connectionsSpin->setRange(1, 32);

    m_limitBox = named(new RateLimitBox(this), u"limitBox"_s);
    m_limitError = errorLabel(u"limitError"_s, this);

    m_checksumEdit = named(new QLineEdit(this), u"checksumEdit"_s);
    m_checksumEdit->setPlaceholderText(tr("Optional, e.g. sha256=…"));
    m_checksumError = errorLabel(u"checksumError"_s, this);

    m_extractCheck =
        named(new QCheckBox(tr("E&xtract ZIP archives when complete"), this), u"extractCheck"_s);
    m_extractCheck->setToolTip(tr("A download that is a ZIP archive is unpacked into a new "
                                  "folder named after it; other files stay as they are."));

    auto *form = new QFormLayout;
    // A row whose field is a layout gets no buddy from QFormLayout; without one the "&" would
    // show literally instead of making Alt+T jump to the folder.
    auto *folderLabel = new QLabel(tr("Save &to:"), this);
    folderLabel->setBuddy(m_folderEdit);
    form->addRow(folderLabel, folderRow);
    form->addRow(QString(), m_folderError);
    form->addRow(tr("File &name:"), m_nameEdit);
    form->addRow(tr("&Connections:"), m_connectionsSpin);
    form->addRow(tr("Speed &limit:"), m_limitBox);
    form->addRow(QString(), m_limitError);
    form->addRow(tr("C&hecksum:"), m_checksumEdit);
    form->addRow(QString(), m_checksumError);
    form->addRow(QString(), m_extractCheck);

    auto *advancedButton = m_advancedButton = named(new QToolButton(this), u"advancedButton"_s);
    advancedButton->setText(tr("&Advanced"));
    advancedButton->setCheckable(true);
    advancedButton->setArrowType(Qt::RightArrow);
    advancedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedButton->setAutoRaise(true);
    QWidget *advanced = buildAdvanced();
    connect(advancedButton, &QToolButton::toggled, this, [advancedButton, advanced](bool on) {
        advancedButton->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        advanced->setVisible(on);
    });

    auto *buttons = new QDialogButtonBox(this);
    m_startButton =
        named(buttons->addButton(tr("&Start Now"), QDialogButtonBox::AcceptRole), u"startButton"_s);
    m_startButton->setDefault(true);
    m_queueButton = named(buttons->addButton(tr("Add to &Queue"), QDialogButtonBox::AcceptRole),
                          u"queueButton"_s);
    m_queueButton->setAutoDefault(false);
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setAutoDefault(false);
    m_contentsButton = named(buttons->addButton(tr("Show Cont&ents…"), QDialogButtonBox::ActionRole),
                             u"contentsButton"_s);
    m_contentsButton->setAutoDefault(false);
    m_contentsButton->setToolTip(tr("Lists the files inside a ZIP archive, to download only some of them"));
    m_contentsButton->hide();
    connect(m_contentsButton, &QPushButton::clicked, this, [this] {
        const QStringList urls = currentUrls();
        if (urls.size() != 1 || !m_openContents)
            return;
        QString error;
        requestHeaders(&error);
        if (!error.isEmpty())
            return; // the headers' own error shows under them
        m_openContents(QUrl(urls.first()), headersFor(urls.first()));
    });

    auto *layout = new QVBoxLayout(this);
    auto *urlLabel = m_urlLabel = new QLabel(tr("&URLs, one per line:"), this);
    urlLabel->setBuddy(m_urlEdit);
    layout->addWidget(urlLabel);
    layout->addWidget(m_urlEdit);
    layout->addWidget(m_linkBar);
    layout->addWidget(m_urlHint);
    layout->addWidget(m_patternNote);
    layout->addWidget(m_importNote);
    layout->addWidget(m_browserNote);
    layout->addWidget(m_probeList, 1);
    layout->addWidget(m_refusedNote);
    layout->addLayout(form);
    layout->addWidget(advancedButton, 0, Qt::AlignLeft);
    layout->addWidget(advanced);
    layout->addWidget(buttons);

    // The text edits take Tab as focus change, so the whole dialog is reachable by keyboard in
    // reading order; Enter in any line edit triggers the default "Start now".
    QWidget *order[] = {m_urlEdit,      m_probeList,       m_folderEdit,  browseButton,
                        m_nameEdit,     m_connectionsSpin, m_limitBox,    m_checksumEdit,
                        m_extractCheck, advancedButton, m_headersEdit,     m_cookieEdit,  m_userEdit,
                        m_passwordEdit, m_startButton,     m_queueButton, cancel};
    for (size_t i = 1; i < std::size(order); ++i)
        setTabOrder(order[i - 1], order[i]);

    connect(m_urlEdit, &QPlainTextEdit::textChanged, this, [this] {
        validate();
        m_debounce->start();
    });
    connect(browseButton, &QPushButton::clicked, this, &AddDialog::browse);
    // Any change not made by fill() is the user's (or the caller's) choice and is kept.
    connect(m_folderEdit, &QLineEdit::textChanged, this, [this] {
        m_folderEdited = m_folderEdited || !m_filling;
        validate();
    });
    connect(m_nameEdit, &QLineEdit::textChanged, this,
            [this] { m_nameEdited = m_nameEdited || !m_filling; });
    connect(m_checksumEdit, &QLineEdit::textChanged, this, &AddDialog::validate);
    connect(m_limitBox, &RateLimitBox::validityChanged, this, &AddDialog::validate);
    connect(m_startButton, &QPushButton::clicked, this, [this] { finish(true); });
    connect(m_queueButton, &QPushButton::clicked, this, [this] { finish(false); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QWidget *AddDialog::buildAdvanced()
{
    auto *panel = named(new QWidget(this), u"advancedPanel"_s);
    panel->hide();

    m_headersEdit = named(new QPlainTextEdit(panel), u"headersEdit"_s);
    m_headersEdit->setPlaceholderText(tr("Referer: https://example.com/\nUser-Agent: …"));
    m_headersEdit->setTabChangesFocus(true);
    m_headersEdit->setMaximumHeight(fontMetrics().lineSpacing() * 5);
    m_headersError = errorLabel(u"headersError"_s, panel);
    m_cookieEdit = named(new QLineEdit(panel), u"cookieEdit"_s);
    m_cookieEdit->setPlaceholderText(tr("name=value; other=value"));
    m_userEdit = named(new QLineEdit(panel), u"userEdit"_s);
    m_passwordEdit = named(new QLineEdit(panel), u"passwordEdit"_s);
    m_passwordEdit->setEchoMode(QLineEdit::Password);

    auto *form = new QFormLayout(panel);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("&Headers, one “Name: value” per line:"), m_headersEdit);
    form->addRow(QString(), m_headersError);
    form->addRow(tr("C&ookies:"), m_cookieEdit);
    form->addRow(tr("User na&me:"), m_userEdit);
    form->addRow(tr("&Password:"), m_passwordEdit);

    // A 401 probed without credentials should be retried once they are typed in.
    const auto headersChanged = [this] {
        validate();
        m_debounce->start();
    };
    connect(m_headersEdit, &QPlainTextEdit::textChanged, this, headersChanged);
    connect(m_cookieEdit, &QLineEdit::textChanged, this, headersChanged);
    connect(m_userEdit, &QLineEdit::textChanged, this, headersChanged);
    connect(m_passwordEdit, &QLineEdit::textChanged, this, headersChanged);
    return panel;
}

void AddDialog::setUrlsText(const QString &text)
{
    m_urlEdit->setPlainText(text);
    // Offered, not chosen: the first key typed replaces it (another address), Enter takes it.
    m_urlEdit->selectAll();
    // Text handed in (paste, clipboard, command line) is complete: no reason to wait.
    m_debounce->stop();
    probeNew();
}

QStringList AddDialog::currentUrls() const
{
    if (!m_linkMode)
        return textUrls().urls;
    QStringList urls;
    for (const ProbeList::Link &link : m_links) {
        if (m_checked.contains(link.url))
            urls.append(link.url);
    }
    return urls;
}

QStringList AddDialog::refusedUrls() const
{
    QStringList refused;
    for (const QString &url : currentUrls()) {
        if (ProbeList::failedForGood(m_results.value(url)))
            refused.append(url);
    }
    return refused;
}

HeaderList AddDialog::requestHeaders(QString *error) const
{
    QStringList problems;
    const HeaderList headers =
        RequestHeaders::fromFields({m_headersEdit->toPlainText(), m_cookieEdit->text(),
                                    m_userEdit->text(), m_passwordEdit->text()},
                                   &problems);
    if (error)
        *error = problems.join(u'\n');
    return headers;
}

void AddDialog::probeNew()
{
    QString headerError;
    const HeaderList headers = requestHeaders(&headerError);
    if (headerError.isEmpty() && headers != m_probeHeaders) {
        // Failures may have been for want of these headers (401, 403): ask again. Successes
        // stand; and answers still out were asked with the old headers, so they are dropped.
        m_probeHeaders = headers;
        m_results.removeIf(
            [](QHash<QString, ProbeInfo>::iterator it) { return !it.value().error.isEmpty(); });
        m_pending.clear();
    }
    const QList<QString> pending = m_pending.values();
    for (const QString &url : currentUrls()) {
        if (m_prober && !m_results.contains(url) && !pending.contains(url) && !textUrls().unprobed.contains(url))
            m_pending.insert(m_prober->probe(QUrl(url), headersFor(url)), url);
    }
    if (m_linkMode) {
        // The list stays as it is (ticks, scroll position); only the rows asked again change.
        for (const QString &url : currentUrls()) {
            if (!m_results.contains(url))
                m_probeList->showChecking(url);
        }
        suggestFolder();
    } else {
        rebuildList();
    }
    validate(); // failures dropped above no longer hold the buttons back
}

void AddDialog::onProbed(quint64 ticket, const ProbeInfo &info)
{
    const QString url = m_pending.take(ticket);
    if (url.isEmpty())
        return; // someone else's probe, or one asked with outdated headers
    m_results.insert(url, info);
    m_probeList->showResult(url, info);
    if (url == m_nameUrl && !m_nameEdited && info.error.isEmpty())
        fill(m_nameEdit, info.fileName);
    suggestFolder();
    validate(); // a failure for good takes the address out
}

void AddDialog::rebuildList()
{
    if (m_linkMode) {
        m_probeList->showLinks(m_links, m_checked, m_results, m_prober != nullptr);
        applyLinkFilter();
    } else {
        m_probeList->showUrls(currentUrls(), m_results, m_prober != nullptr, textUrls().unprobed);
    }
    suggestFolder();
}

void AddDialog::suggestFolder()
{
    // Until the user picks a folder, follow the first file the servers named: its category's
    // folder when one is configured, otherwise where the user saved last time.
    if (m_folderEdited)
        return;
    for (const QString &url : currentUrls()) {
        const ProbeInfo info = m_results.value(url);
        if (info.fileName.isEmpty() || !info.error.isEmpty())
            continue;
        QString folder = m_settings->categoryFolder(categoryForFileName(info.fileName));
        if (folder.isEmpty())
            folder = m_settings->lastFolder();
        if (folder.isEmpty())
            folder = m_settings->folderFor(info.fileName);
        fill(m_folderEdit, QDir::toNativeSeparators(folder));
        return;
    }
}

void AddDialog::setContentsOpener(std::function<void(const QUrl &, const HeaderList &)> open)
{
    m_openContents = std::move(open);
    m_contentsButton->setVisible(bool(m_openContents));
}

void AddDialog::fill(QLineEdit *edit, const QString &text)
{
    const bool outer = std::exchange(m_filling, true); // fills can nest through validate()
    edit->setText(text);
    m_filling = outer;
}

void AddDialog::validate()
{
    const QStringList urls = currentUrls();
    const bool hasText = !m_urlEdit->toPlainText().trimmed().isEmpty();
    if (m_linkMode)
        showError(m_urlHint, urls.isEmpty() ? tr("Tick the links to download.") : QString());
    else if (!textUrls().error.isEmpty())
        showError(m_urlHint, textUrls().error);
    else
        showError(m_urlHint,
                  hasText && urls.isEmpty() ? tr("No http or https address found.") : QString());
    m_patternNote->setText(m_linkMode ? QString() : textUrls().note);
    m_patternNote->setVisible(!m_patternNote->text().isEmpty());

    // A file name and a checksum describe one file; with several URLs each keeps its own name.
    const bool single = urls.size() == 1;
    m_contentsButton->setEnabled(single && !m_linkMode);
    m_nameEdit->setEnabled(single);
    m_checksumEdit->setEnabled(single);
    m_nameEdit->setPlaceholderText(single ? tr("As the server names it")
                                          : tr("Only for a single download"));
    if (!single) {
        m_nameUrl.clear();
        fill(m_nameEdit, QString());
    } else if (urls.first() != m_nameUrl) {
        m_nameUrl = urls.first();
        m_nameEdited = false;
        const ProbeInfo info = m_results.value(m_nameUrl);
        fill(m_nameEdit, info.error.isEmpty() ? info.fileName : QString());
    }

    QString checksumError;
    const QString spec = m_checksumEdit->text().trimmed();
    if (single && !spec.isEmpty() && !parseChecksumSpec(spec, &checksumError) &&
        checksumError.isEmpty())
        checksumError = tr("This checksum is not valid.");
    showError(m_checksumError, checksumError);

    QString headerError;
    requestHeaders(&headerError);
    showError(m_headersError, headerError);
    if (!headerError.isEmpty()) // never block the buttons for a reason that is folded away
        m_advancedButton->setChecked(true);

    showError(m_limitError, m_limitBox->errorText());

    // The rows in red say why each one failed; this says what it means for the buttons.
    const qsizetype refused = refusedUrls().size();
    QString refusedNote;
    if (refused > 0 && refused == urls.size())
        refusedNote = tr("Nothing to add: the server does not have the address or refuses it "
                         "(shown in red).",
                         nullptr, int(refused));
    else if (refused > 0)
        refusedNote = tr("%n address(es) will not be added: the server does not have them or "
                         "refuses them (shown in red). The others will.",
                         nullptr, int(refused));
    showError(m_refusedNote, refusedNote);

    const bool ok = !urls.isEmpty() && refused < urls.size() && checksumError.isEmpty() &&
                    (m_linkMode || textUrls().error.isEmpty()) &&
                    headerError.isEmpty() && m_limitBox->isValid() && !folderPath().isEmpty();
    m_startButton->setEnabled(ok);
    m_queueButton->setEnabled(ok);
    // A disabled button is where the eye goes first; it says why too.
    const QString why = refused == urls.size() ? refusedNote : QString();
    m_startButton->setToolTip(why);
    m_queueButton->setToolTip(why);
    showError(m_folderError, QString());
}

bool AddDialog::eventFilter(QObject *watched, QEvent *event)
{
    // Enter starts, as in a one-line field, while the box holds a single address; Shift+Enter
    // begins a list, and within a list Enter adds lines. Ctrl+Enter starts in any case.
    if (watched == m_urlEdit && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const Qt::KeyboardModifiers modifiers = key->modifiers() & ~Qt::KeypadModifier;
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (modifiers == Qt::ShiftModifier) {
                // A new line, not the soft line break QPlainTextEdit makes of Shift+Enter.
                m_urlEdit->insertPlainText(u"\n"_s);
                return true;
            }
            const bool singleLine = m_urlEdit->document()->blockCount() == 1;
            if (modifiers == Qt::ControlModifier || (modifiers == Qt::NoModifier && singleLine)) {
                finish(true);
                return true;
            }
        }
    }
    return QDialog::eventFilter(watched, event);
}

QString AddDialog::folderPath() const
{
    return QDir::cleanPath(QDir::fromNativeSeparators(m_folderEdit->text().trimmed()));
}

void AddDialog::browse()
{
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Save Downloads To"), m_folderEdit->text());
    if (folder.isEmpty())
        return;
    m_folderEdit->setText(QDir::toNativeSeparators(folder));
}

void AddDialog::finish(bool startNow)
{
    validate();
    if (!m_startButton->isEnabled())
        return;
    const QString folder = folderPath();
    // The engine wants an existing folder; typing a new one here is a normal way to make it.
    if (!QDir().mkpath(folder)) {
        showError(m_folderError,
                  tr("The folder %1 could not be created.").arg(QDir::toNativeSeparators(folder)));
        return;
    }
    m_settings->setLastFolder(folder);
    m_startNow = startNow;
    accept();
}

QList<DownloadRequest> AddDialog::requests() const
{
    const QStringList urls = currentUrls();
    const QStringList refusedList = refusedUrls();
    const QSet<QString> refused(refusedList.cbegin(), refusedList.cend());
    QList<DownloadRequest> list;
    for (const QString &url : urls) {
        if (refused.contains(url))
            continue;
        DownloadRequest r;
        r.url = QUrl(url);
        r.directory = folderPath();
        // What the probe found rides along, so that the row shows it before its download starts.
        const ProbeInfo probed = m_results.value(url);
        if (probed.error.isEmpty() && probed.url.isValid()) {
            r.probedName = probed.fileName;
            r.probedSize = probed.size;
            r.probedResumable = probed.resumable;
        }
        if (urls.size() == 1) {
            r.fileName = m_nameEdit->text().trimmed();
            r.checksum = m_checksumEdit->text().trimmed();
            // The probe's name filled in, not one the user chose: the server may still correct it.
            if (!r.probedName.isEmpty() && r.fileName == r.probedName)
                r.fileName.clear();
        }
        r.connections = m_connectionsSpin->value();
        r.rateLimit = m_limitBox->bytesPerSecond();
        r.headers = headersFor(url);
        r.startPaused = false;
        r.extractArchive = m_extractCheck->isChecked();
        r.trashArchive = m_extractCheck->isChecked() && m_settings->trashExtractedArchives();
        applyPrepared(&r);
        list.append(r);
    }
    return list;
}

} // namespace ferry::ui
