#pragma once

#include <QFrame>
#include <functional>

class QLabel;
class QPushButton;

namespace ferry::ui {

// A non-modal line above the list for news that needs no answer now (what was recovered after
// a crash) or offers one action (add the URL just copied). Never blocks the window.
class MessageBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBar)
public:
    explicit MessageBar(QWidget *parent = nullptr);
    void showMessage(const QString &text, const QString &actionText = {}, std::function<void()> action = {});
    QString text() const;

private:
    QLabel *m_label = nullptr;
    QPushButton *m_action = nullptr;
    std::function<void()> m_callback;
};

} // namespace ferry::ui
