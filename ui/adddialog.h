#pragma once

#include "api/downloadtypes.h"
#include "probelist.h"

#include <QDialog>
#include <QHash>
#include <QSet>
#include <QStringList>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace ferry {
class UrlProber;
}

namespace ferry::ui {

class AppSettings;
class RateLimitBox;

// Asks for one or more URLs and how to fetch them. While the user types, each address is probed
// (name, size, resume support, or the reason it will fail) so problems show before anything is
// queued. An address the server said it does not have or will not give (404, 410, 401, 403) is
// left out, and the dialog says so; one whose probe failed for a passing reason (a timeout, a
// server error, no answer yet) is added: the server may be back a minute later.
class AddDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddDialog)
public:
    // `prober` may be shared with other windows; only this dialog's tickets are looked at.
    AddDialog(UrlProber *prober, AppSettings *settings, QWidget *parent = nullptr);
    ~AddDialog() override;

    // Text handed in (clipboard, drop, command line) is selected, so typing replaces it.
    void setUrlsText(const QString &text);
    // The links of a page ("Download all links"), listed with a box each instead of the address
    // box: those of common download types are ticked, the others (pages, images) are not, and
    // a type and text filter narrows the list. Only ticked links are probed and added.
    void setLinks(const QList<ProbeList::Link> &links);
    // What a browser would have sent with each address (its cookies for that site, the page as
    // Referer, its User-Agent): sent with the probes and the downloads, kept in memory only,
    // and shown as `note` rather than in the editable fields. Headers typed in the Advanced
    // fields win over them.
    void setBrowserHeaders(std::function<HeaderList(const QUrl &)> headersFor, const QString &note);
    // Downloads prepared elsewhere (an imported list): their addresses fill the box, and each
    // keeps its own folder (where it exists), name, checksum, connections and limit where the
    // list gives them, over the dialog's fields. `skipped` names what the list held but cannot add.
    void setRequests(const QList<DownloadRequest> &requests, const QStringList &skipped);
    // One request per URL in the text, as the dialog stands now, but for those that failed
    // their probe for good.
    QList<DownloadRequest> requests() const;
    // "Show Contents…" of the one address in the box (a ZIP archive read remotely): the button
    // shows only when this is set, and hands the address with its headers to `open`.
    void setContentsOpener(std::function<void(const QUrl &url, const HeaderList &headers)> open);
    // True when accepted with "Start now", false for "Add to queue".
    bool startNow() const { return m_startNow; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildUi();
    QWidget *buildAdvanced();
    void probeNew();
    void onProbed(quint64 ticket, const ferry::ProbeInfo &info);
    void rebuildList();
    void suggestFolder();
    void fill(QLineEdit *edit, const QString &text); // a suggestion, not the user's choice
    void validate();
    void finish(bool startNow);
    void browse();
    QString folderPath() const;
    QStringList currentUrls() const;
    // The box's addresses with patterns expanded (adddialogpatterns.cpp); cached per text.
    struct TextUrls
    {
        QStringList urls;
        QSet<QString> unprobed; // made by a pattern beyond its first few: not probed
        QString note;           // "This pattern makes 120 addresses: …"
        QString error;          // a malformed pattern, or too many addresses
    };
    const TextUrls &textUrls() const;
    void applyPrepared(DownloadRequest *request) const;
    QStringList refusedUrls() const; // failed their probe for good; not added
    HeaderList requestHeaders(QString *error) const;
    HeaderList headersFor(const QString &url) const; // typed ones over the browser's
    QWidget *buildLinkBar();
    void onLinkToggled(const QString &url, bool checked);
    void applyLinkFilter();
    void setShownChecked(bool checked);
    bool linkShown(const ProbeList::Link &link) const;

    UrlProber *m_prober;
    AppSettings *m_settings;

    QPlainTextEdit *m_urlEdit = nullptr;
    QLabel *m_urlLabel = nullptr;
    QWidget *m_linkBar = nullptr;
    QComboBox *m_typeFilter = nullptr;
    QLineEdit *m_linkFilter = nullptr;
    QLabel *m_browserNote = nullptr;
    QLabel *m_urlHint = nullptr;
    ProbeList *m_probeList = nullptr;
    QLabel *m_refusedNote = nullptr;
    QLabel *m_patternNote = nullptr;
    QLabel *m_importNote = nullptr;
    QLineEdit *m_folderEdit = nullptr;
    QLabel *m_folderError = nullptr;
    QLineEdit *m_nameEdit = nullptr;
    QSpinBox *m_connectionsSpin = nullptr;
    RateLimitBox *m_limitBox = nullptr;
    QLabel *m_limitError = nullptr;
    QLineEdit *m_checksumEdit = nullptr;
    QLabel *m_checksumError = nullptr;
    QCheckBox *m_extractCheck = nullptr;
    QPlainTextEdit *m_headersEdit = nullptr;
    QLabel *m_headersError = nullptr;
    QLineEdit *m_cookieEdit = nullptr;
    QLineEdit *m_userEdit = nullptr;
    QLineEdit *m_passwordEdit = nullptr;
    QToolButton *m_advancedButton = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_queueButton = nullptr;
    QPushButton *m_contentsButton = nullptr;
    std::function<void(const QUrl &, const HeaderList &)> m_openContents;
    QTimer *m_debounce = nullptr;

    QHash<QString, ProbeInfo> m_results; // by URL text; kept across edits so nothing re-probes
    QHash<quint64, QString> m_pending;   // this dialog's tickets still out
    HeaderList m_probeHeaders;           // the headers the results above were probed with
    QString m_nameUrl;                   // the single URL the name field was filled for
    QList<ProbeList::Link> m_links;      // a page's links, when the dialog lists those
    QSet<QString> m_checked;             // the ticked ones among them
    QHash<QString, DownloadRequest> m_prepared; // by URL text, from setRequests()
    mutable QString m_textFor;           // the text m_text was made from
    mutable TextUrls m_text;
    bool m_linkMode = false;
    std::function<HeaderList(const QUrl &)> m_browserHeaders;
    bool m_nameEdited = false;
    bool m_folderEdited = false;
    bool m_filling = false;
    bool m_startNow = true;
};

} // namespace ferry::ui
