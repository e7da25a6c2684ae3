#include "steadyicon.h"

#include <QIconEngine>
#include <QPainter>

namespace ferry::ui {

namespace {

class SteadyIconEngine final : public QIconEngine
{
public:
    explicit SteadyIconEngine(const QIcon &icon) : m_icon(icon) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        m_icon.paint(painter, rect, Qt::AlignCenter, steady(mode), state);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return m_icon.pixmap(size, steady(mode), state);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        return m_icon.pixmap(size / scale, scale, steady(mode), state);
    }
    QSize actualSize(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return m_icon.actualSize(size, steady(mode), state);
    }
    QList<QSize> availableSizes(QIcon::Mode mode, QIcon::State state) override
    {
        return m_icon.availableSizes(steady(mode), state);
    }
    QIconEngine *clone() const override { return new SteadyIconEngine(m_icon); }
    QString key() const override { return QStringLiteral("ferry-steady"); }

private:
    static QIcon::Mode steady(QIcon::Mode mode) { return mode == QIcon::Selected ? QIcon::Normal : mode; }

    QIcon m_icon;
};

} // namespace

QIcon steadyIcon(const QIcon &icon)
{
    return icon.isNull() ? icon : QIcon(new SteadyIconEngine(icon));
}

} // namespace ferry::ui
