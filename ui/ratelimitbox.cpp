#include "ratelimitbox.h"

#include "format.h"
#include "probelist.h"

#include <QLineEdit>

#include <utility>

namespace ferry::ui {

namespace {

constexpr qint64 presets[] = {0, 256 * 1024, 1024 * 1024, 5 * 1024 * 1024, 10 * 1024 * 1024};

} // namespace

RateLimitBox::RateLimitBox(QWidget *parent) : QComboBox(parent)
{
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert); // a typed speed is a value, not a new preset
    for (qint64 bytes : presets)
        addItem(formatRateLimit(bytes), bytes);
    // Wide enough for "1023.99 KiB/s" without resizing as the text changes.
    setMinimumContentsLength(12);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    lineEdit()->setPlaceholderText(formatRateLimit(0));
    setToolTip(inputHint());
    display(0);

    connect(this, &QComboBox::editTextChanged, this, &RateLimitBox::onTextChanged);
    connect(lineEdit(), &QLineEdit::returnPressed, this, &RateLimitBox::commit);
    connect(this, &QComboBox::activated, this, [this](int index) {
        // The preset's own value, not its text read back.
        const qint64 bytes = itemData(index).toLongLong();
        display(bytes);
        if (bytes != std::exchange(m_value, bytes))
            emit bytesPerSecondChanged(bytes);
    });
}

QString RateLimitBox::inputHint()
{
    return tr("Pick a speed or type one, e.g. 500K, 2M or 1.5 MiB/s. A number alone counts "
              "KiB/s; empty or 0 means no limit.");
}

qint64 RateLimitBox::bytesPerSecond() const
{
    // Typed but not yet settled (the dialog's button was pressed straight away) still counts;
    // the text shown for the value itself may round, so the value stands for it.
    if (currentText() == m_shown || !isValid())
        return m_value;
    return parseRateLimit(currentText()).value_or(m_value);
}

void RateLimitBox::setBytesPerSecond(qint64 bytesPerSecond)
{
    m_value = qMax<qint64>(0, bytesPerSecond);
    display(m_value);
}

void RateLimitBox::display(qint64 bytesPerSecond)
{
    m_shown = formatRateLimit(bytesPerSecond);
    setCurrentIndex(findData(bytesPerSecond)); // -1 for a speed that is no preset
    setEditText(m_shown);
}

void RateLimitBox::onTextChanged(const QString &text)
{
    QString error;
    if (text != m_shown)
        parseRateLimit(text, &error); // sets it only for text that is not a speed
    if (error == m_error)
        return;
    const bool wasValid = isValid();
    m_error = error;
    QPalette pal = lineEdit()->palette();
    pal.setColor(QPalette::Text,
                 isValid() ? palette().color(QPalette::Text) : ProbeList::errorColor());
    lineEdit()->setPalette(pal);
    lineEdit()->setToolTip(m_error);
    if (wasValid != isValid())
        emit validityChanged(isValid());
}

void RateLimitBox::commit()
{
    if (!isValid() || currentText() == m_shown)
        return;
    const qint64 bytes = bytesPerSecond();
    display(bytes); // the value back in its units: "5m" becomes "5 MiB/s"
    if (bytes != std::exchange(m_value, bytes))
        emit bytesPerSecondChanged(bytes);
}

void RateLimitBox::focusOutEvent(QFocusEvent *event)
{
    QComboBox::focusOutEvent(event);
    commit();
}

} // namespace ferry::ui
