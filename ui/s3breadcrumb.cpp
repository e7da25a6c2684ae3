#include "s3breadcrumb.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace ferry::ui {

S3Breadcrumb::S3Breadcrumb(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"breadcrumb"_s);
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(0);
    m_layout->addStretch(1);
}

void S3Breadcrumb::setPath(const QString &bucket, const QString &prefix)
{
    while (m_layout->count() > 1) {
        QLayoutItem *item = m_layout->takeAt(0);
        delete item->widget();
        delete item;
    }
    m_segments.clear();
    m_prefixes.clear();
    if (bucket.isEmpty())
        return;
    m_segments.append(bucket);
    m_prefixes.append(QString());
    QString path;
    for (const QString &part : prefix.split(u'/', Qt::SkipEmptyParts)) {
        path += part + u'/';
        m_segments.append(part);
        m_prefixes.append(path);
    }
    for (int i = 0; i < m_segments.size(); ++i) {
        auto *button = new QToolButton(this);
        button->setObjectName(u"crumb%1"_s.arg(i));
        button->setText(m_segments.at(i));
        button->setAutoRaise(true);
        button->setToolTip(tr("Go to %1").arg(u"/"_s + m_prefixes.at(i)));
        // The last segment is where we are; it stays clickable as a quick refresh.
        if (i == m_segments.size() - 1) {
            QFont f = button->font();
            f.setBold(true);
            button->setFont(f);
        }
        connect(button, &QToolButton::clicked, this, [this, i] { activate(i); });
        m_layout->insertWidget(m_layout->count() - 1, button);
        m_layout->insertWidget(m_layout->count() - 1, new QLabel(u"/"_s, this));
    }
}

QStringList S3Breadcrumb::segments() const
{
    return m_segments;
}

void S3Breadcrumb::activate(int index)
{
    if (index >= 0 && index < m_prefixes.size())
        emit prefixActivated(m_prefixes.at(index));
}

} // namespace ferry::ui
