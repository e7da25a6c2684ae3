#include "changeaddressdialog.h"

#include "requestheaders.h"

#include "api/downloadmanager.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

namespace {

bool isWebAddress(const QUrl &url)
{
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == u"http"_s || url.scheme() == u"https"_s);
}

} // namespace

ChangeAddressDialog::ChangeAddressDialog(DownloadManager *manager, const DownloadSnapshot &download,
                                         QWidget *parent)
    : QDialog(parent), m_manager(manager), m_id(download.id), m_current(download.url)
{
    setObjectName(u"changeAddressDialog"_s);
    setWindowTitle(
        tr("Change Address of %1")
            .arg(download.fileName.isEmpty() ? download.url.fileName() : download.fileName));
    auto *intro = new QLabel(
        tr("When a link has expired, give a fresh one for the same file: what is already "
           "downloaded is kept. The new address must serve the same size, and the same "
           "file where the server can tell; else a few pieces are compared."),
        this);
    intro->setWordWrap(true);

    auto *current = new QLineEdit(download.url.toString(QUrl::RemovePassword), this);
    current->setObjectName(u"currentAddress"_s);
    current->setReadOnly(true); // selectable and copyable, not editable
    current->setCursorPosition(0);

    m_address = new QLineEdit(this);
    m_address->setObjectName(u"newAddress"_s);
    m_address->setPlaceholderText(tr("https://…"));
    // A fresh link was most likely just copied from the browser.
    const QString clipboard = QApplication::clipboard()->text().trimmed();
    if (isWebAddress(QUrl(clipboard, QUrl::StrictMode)) && QUrl(clipboard) != download.url) {
        m_address->setText(clipboard);
        m_address->selectAll();
    }

    m_cookie = new QLineEdit(this);
    m_cookie->setObjectName(u"cookie"_s);
    m_cookie->setPlaceholderText(tr("optional: name=value; name2=value2"));
    m_cookie->setToolTip(
        tr("Sent only to the new address's server, and kept only while Ferry runs."));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Current address:"), current);
    form->addRow(tr("&New address:"), m_address);
    form->addRow(tr("Coo&kie:"), m_cookie);

    m_status = new QLabel(this);
    m_status->setObjectName(u"status"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Change Address"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ChangeAddressDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addStretch();
    layout->addWidget(m_buttons);
    m_address->setFocus();
    resize(qMax(sizeHint().width(), 560), sizeHint().height());
}

QString ChangeAddressDialog::problemWith(const QString &text, const QUrl &current)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter the new address.");
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!isWebAddress(url))
        return tr("Not a web address: only http:// and https:// addresses can be downloaded.");
    if (url.adjusted(QUrl::RemoveUserInfo) == current.adjusted(QUrl::RemoveUserInfo))
        return tr("This is the download's current address.");
    return {};
}

void ChangeAddressDialog::submit()
{
    const QString problem = problemWith(m_address->text(), m_current);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        m_status->show();
        m_address->setFocus();
        return;
    }
    QStringList problems;
    HeaderFields fields;
    fields.cookie = m_cookie->text();
    const HeaderList headers = RequestHeaders::fromFields(fields, &problems);
    if (!problems.isEmpty()) {
        m_status->setText(problems.join(u'\n'));
        m_status->show();
        return;
    }
    setBusy(true);
    m_status->setText(tr("Checking the new address…"));
    m_status->show();
    QPointer<ChangeAddressDialog> self(this);
    m_manager->changeAddress(
        m_id, QUrl(m_address->text().trimmed()), headers, [self](bool ok, const QString &message) {
            if (!self)
                return; // closed meanwhile; a change that was found right still takes effect
            if (ok) {
                self->accept();
                return;
            }
            self->setBusy(false);
            self->m_status->setText(message);
        });
}

void ChangeAddressDialog::setBusy(bool busy)
{
    m_address->setReadOnly(busy);
    m_cookie->setReadOnly(busy);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!busy);
}

} // namespace ferry::ui
