#include "speedgraph.h"

#include "format.h"

#include <QPainter>
#include <QPainterPath>

namespace ferry::ui {

SpeedGraph::SpeedGraph(QWidget *parent) : QWidget(parent)
{
    setMinimumHeight(80);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void SpeedGraph::setSamples(const QList<qint64> &bytesPerSecond)
{
    m_samples = bytesPerSecond.mid(qMax<qsizetype>(0, bytesPerSecond.size() - capacity));
    update();
}

void SpeedGraph::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.base());
    const QRectF area = QRectF(rect()).adjusted(4, 18, -4, -4);

    // Light grid: quarters of the scale.
    p.setPen(QPen(pal.color(QPalette::Mid), 0, Qt::DotLine));
    for (int i = 1; i < 4; ++i) {
        const qreal y = area.top() + area.height() * i / 4;
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
    }

    qint64 peak = 1;
    for (qint64 v : std::as_const(m_samples))
        peak = qMax(peak, v);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(rect()).adjusted(6, 2, -6, 0), Qt::AlignLeft | Qt::AlignTop,
               tr("peak %1").arg(formatSpeed(peak == 1 ? 0 : peak)));
    if (m_samples.size() < 2)
        return;

    const qreal step = area.width() / (capacity - 1);
    const qreal x0 = area.right() - step * (m_samples.size() - 1);
    QPainterPath line;
    for (qsizetype i = 0; i < m_samples.size(); ++i) {
        const QPointF pt(x0 + step * i, area.bottom() - area.height() * qreal(m_samples[i]) / qreal(peak));
        i == 0 ? line.moveTo(pt) : line.lineTo(pt);
    }
    QPainterPath fill = line;
    fill.lineTo(area.right(), area.bottom());
    fill.lineTo(x0, area.bottom());
    fill.closeSubpath();
    QColor fillColor = pal.color(QPalette::Highlight);
    fillColor.setAlpha(70);
    p.fillPath(fill, fillColor);
    p.setPen(QPen(pal.color(QPalette::Highlight), 1.5));
    p.drawPath(line);
}

} // namespace ferry::ui
