#include "downloadpropertiesdialog.h"

#include "format.h"
#include "ratelimitbox.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

DownloadPropertiesDialog::DownloadPropertiesDialog(const DownloadSnapshot &download, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"downloadPropertiesDialog"_s);
    setWindowTitle(tr("Properties of %1").arg(download.fileName.isEmpty() ? download.url.fileName() : download.fileName));
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto fact = [this, form](const QString &caption, const QString &text) {
        auto *l = new QLabel(text, this);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setWordWrap(true);
        form->addRow(caption, l);
    };
    fact(tr("URL:"), download.source.isEmpty() ? download.url.toString(QUrl::RemovePassword) : download.source);
    fact(tr("Folder:"), QDir::toNativeSeparators(download.directory));
    fact(tr("Size:"), formatSize(download.total));
    switch (download.extract) {
    case ExtractState::None:
        break;
    case ExtractState::Waiting:
        fact(tr("Extract:"), tr("When complete, if it is a ZIP archive"));
        break;
    case ExtractState::Running:
        fact(tr("Extract:"), tr("Extracting now"));
        break;
    case ExtractState::Done:
    case ExtractState::Failed:
    case ExtractState::NotArchive:
        fact(tr("Extract:"), download.message);
        break;
    }

    m_limit = new RateLimitBox(this);
    m_limit->setObjectName(u"propertiesLimit"_s);
    m_limit->setBytesPerSecond(download.rateLimit);
    m_limit->setToolTip(tr("Speed limit for this download alone") + u'\n' + RateLimitBox::inputHint());
    form->addRow(tr("Speed &limit:"), m_limit);

    m_connections = new QSpinBox(this);
    m_connections->setObjectName(u"propertiesConnections"_s);
    m_connections->setRange(1, 32);
    m_connections->setValue(qBound(1, download.maxConnections, 32));
    m_connections->setToolTip(tr("The most connections this download opens to its server (1–32). A running "
                                 "download adds or closes connections within a second."));
    if (download.kind == TransferKind::Download)
        form->addRow(tr("&Connections:"), m_connections);
    else
        m_connections->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Text that is no speed changes nothing; OK waits until it is one again.
    connect(m_limit, &RateLimitBox::validityChanged, m_buttons->button(QDialogButtonBox::Ok), &QWidget::setEnabled);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(m_buttons);
    resize(qMax(sizeHint().width(), 460), sizeHint().height());
}

qint64 DownloadPropertiesDialog::rateLimit() const
{
    return m_limit->bytesPerSecond();
}

int DownloadPropertiesDialog::connections() const
{
    return m_connections->value();
}

bool DownloadPropertiesDialog::hasConnections() const
{
    return !m_connections->isHidden();
}

} // namespace ferry::ui
