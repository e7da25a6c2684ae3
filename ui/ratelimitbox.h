#pragma once

#include <QComboBox>

namespace ferry::ui {

// A speed limit to pick from presets or to type the way ferry-cli --limit takes it ("500K",
// "2M", "1.5 MiB/s"; a number alone counts KiB/s). It shows its value back in units
// ("5 MiB/s", "No limit"). Text that is not a speed is shown in the error colour, with the
// reason as tooltip, and changes nothing. GUI thread only.
class RateLimitBox final : public QComboBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RateLimitBox)
public:
    explicit RateLimitBox(QWidget *parent = nullptr);

    // What the box says now: the typed speed while it is valid, else the last valid one.
    // 0 = no limit.
    qint64 bytesPerSecond() const;
    void setBytesPerSecond(qint64 bytesPerSecond); // shows it; emits nothing
    bool isValid() const { return m_error.isEmpty(); }
    QString errorText() const { return m_error; } // why the text is not a speed; empty if it is
    // How to type a speed, for tooltips of boxes with a purpose of their own.
    static QString inputHint();

signals:
    // The user settled on a new speed: picked a preset, pressed Enter or left the box.
    void bytesPerSecondChanged(qint64 bytesPerSecond);
    void validityChanged(bool valid);

protected:
    void focusOutEvent(QFocusEvent *event) override;

private:
    void onTextChanged(const QString &text);
    void commit();
    void display(qint64 bytesPerSecond);

    qint64 m_value = 0; // the last speed settled on
    QString m_shown;    // the text display() wrote for it; reading it back may round
    QString m_error;
};

} // namespace ferry::ui
