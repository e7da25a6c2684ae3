// ferry-e2e-dragsource FILE...: shows a small window at the bottom left of the screen whose label
// starts a drag of FILE... as text/uri-list when pressed and moved, like a file manager does.
// Prints the drop action the target chose ("drop action: 1" is a copy) and keeps running until it
// is closed: the target asks the source for the data only after the drop.
#include <QApplication>
#include <QDrag>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QMouseEvent>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

class DragLabel final : public QLabel
{
public:
    explicit DragLabel(QList<QUrl> urls) : m_urls(std::move(urls))
    {
        setText(u"Drag %1 file(s) from here"_s.arg(m_urls.size()));
        setAlignment(Qt::AlignCenter);
        setFrameStyle(QFrame::Box);
        setWindowTitle(u"Ferry drag source"_s);
    }

protected:
    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton)
            m_pressAt = event->position().toPoint();
    }

    void mouseMoveEvent(QMouseEvent *event) override
    {
        if (!(event->buttons() & Qt::LeftButton) ||
            (event->position().toPoint() - m_pressAt).manhattanLength() < QApplication::startDragDistance())
            return;
        auto *mime = new QMimeData;
        mime->setUrls(m_urls);
        auto *drag = new QDrag(this);
        drag->setMimeData(mime);
        const Qt::DropAction action = drag->exec(Qt::CopyAction);
        std::printf("drop action: %d\n", int(action));
        std::fflush(stdout);
    }

private:
    QList<QUrl> m_urls;
    QPoint m_pressAt;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QList<QUrl> urls;
    for (const QString &path : QApplication::arguments().mid(1))
        urls.append(QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()));
    if (urls.isEmpty()) {
        std::fprintf(stderr, "usage: ferry-e2e-dragsource FILE...\n");
        return 2;
    }
    DragLabel label(std::move(urls));
    // No window manager places it: the script knows where to press.
    label.setGeometry(20, 680, 240, 80);
    label.show();
    return app.exec();
}
