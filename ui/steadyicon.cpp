#include "steadyicon.h"

#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>

namespace ferry::ui {

namespace {

// Light in any colour scheme: the icons' colours are made for a light background.
constexpr QColor kTile(255, 255, 255, 235);

class SteadyIconEngine final : public QIconEngine
{
public:
    explicit SteadyIconEngine(const QIcon &icon) : m_icon(icon) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State state) override
    {
        if (mode == QIcon::Selected)
            paintTile(painter, QRectF(rect));
        m_icon.paint(painter, rect, Qt::AlignCenter, steady(mode), state);
    }
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return tiled(m_icon.pixmap(size, steady(mode), state), mode);
    }
    QPixmap scaledPixmap(const QSize &size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override
    {
        return tiled(m_icon.pixmap(size / scale, scale, steady(mode), state), mode);
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
    static QIcon::Mode steady(QIcon::Mode mode)
    {
        return mode == QIcon::Selected ? QIcon::Normal : mode;
    }

    static void paintTile(QPainter *painter, const QRectF &rect)
    {
        const qreal radius = std::max<qreal>(2.0, rect.width() / 6.0);
        QPainterPath tile;
        tile.addRoundedRect(rect, radius, radius);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->fillPath(tile, kTile);
        painter->restore();
    }

    static QPixmap tiled(QPixmap pixmap, QIcon::Mode mode)
    {
        if (mode != QIcon::Selected || pixmap.isNull())
            return pixmap;
        QPixmap out(pixmap.size());
        out.setDevicePixelRatio(pixmap.devicePixelRatio());
        out.fill(Qt::transparent);
        QPainter painter(&out);
        paintTile(&painter, QRectF(QPointF(0, 0), pixmap.deviceIndependentSize()));
        painter.drawPixmap(0, 0, pixmap);
        return out;
    }

    QIcon m_icon;
};

} // namespace

QIcon steadyIcon(const QIcon &icon)
{
    return icon.isNull() ? icon : QIcon(new SteadyIconEngine(icon));
}

} // namespace ferry::ui
