#pragma once

#include <QList>
#include <QWidget>

namespace ferry::ui {

// Throughput of the last minutes as a filled line, newest on the right. Fed one sample per
// second by its owner; draws only from the palette so it follows light and dark themes.
class SpeedGraph final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SpeedGraph)
public:
    explicit SpeedGraph(QWidget *parent = nullptr);
    void setSamples(const QList<qint64> &bytesPerSecond);
    QSize sizeHint() const override { return {400, 120}; }

    static constexpr int capacity = 300; // five minutes at one sample per second

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<qint64> m_samples;
};

} // namespace ferry::ui
