#include "s3propertiesdialog.h"

#include "format.h"

#include "s3/s3client.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3PropertiesDialog::S3PropertiesDialog(s3::Client *client, const QString &bucket,
                                       const QString &key, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"s3PropertiesDialog"_s);
    setWindowTitle(tr("Properties of %1").arg(key.section(u'/', -1)));
    auto *form = new QFormLayout;
    auto label = [this, form](const QString &caption, const QString &name) {
        auto *l = new QLabel(tr("Loading…"), this);
        l->setObjectName(name);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(caption, l);
        return l;
    };
    auto *uri = new QLabel(s3::Client::s3Uri(bucket, key), this);
    uri->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Object:"), uri);
    m_size = label(tr("Size:"), u"size"_s);
    m_etag = label(tr("ETag:"), u"etag"_s);
    m_modified = label(tr("Last modified:"), u"modified"_s);
    m_type = label(tr("Content type:"), u"contentType"_s);
    m_class = label(tr("Storage class:"), u"storageClass"_s);

    m_metadata = new QTableWidget(0, 2, this);
    m_metadata->setObjectName(u"metadata"_s);
    m_metadata->setHorizontalHeaderLabels({tr("Metadata"), tr("Value")});
    m_metadata->horizontalHeader()->setStretchLastSection(true);
    m_metadata->verticalHeader()->hide();
    m_metadata->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_error = new QLabel(this);
    m_error->setObjectName(u"propertiesError"_s);
    m_error->setWordWrap(true);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_metadata, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(520, 420);

    if (!client) {
        m_error->setText(tr("The account of this object is no longer open."));
        m_error->show();
        return;
    }
    s3::Reply *reply = client->headObject(bucket, key);
    connect(reply, &s3::Reply::finished, this, [this, reply] {
        if (reply->error.isError()) {
            m_error->setText(reply->error.message);
            m_error->show();
            for (QLabel *l : {m_size, m_etag, m_modified, m_type, m_class})
                l->setText(u"–"_s);
        } else {
            showInfo(reply->info);
        }
        m_loaded = true;
        emit loaded();
    });
}

QString S3PropertiesDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void S3PropertiesDialog::showInfo(const s3::ObjectInfo &info)
{
    m_info = info;
    m_size->setText(
        info.size < 0
            ? u"–"_s
            : tr("%1 (%2 bytes)").arg(formatSize(info.size), QLocale().toString(info.size)));
    m_etag->setText(QString::fromLatin1(info.etag));
    m_modified->setText(formatDateTime(info.lastModified));
    m_type->setText(info.contentType.isEmpty() ? u"–"_s : info.contentType);
    // S3 leaves the header out for the default class.
    m_class->setText(info.storageClass.isEmpty() ? u"STANDARD"_s : info.storageClass);
    m_metadata->setRowCount(int(info.metadata.size()));
    for (int i = 0; i < info.metadata.size(); ++i) {
        m_metadata->setItem(i, 0, new QTableWidgetItem(info.metadata.at(i).first));
        m_metadata->setItem(i, 1, new QTableWidgetItem(info.metadata.at(i).second));
    }
}

} // namespace ferry::ui
