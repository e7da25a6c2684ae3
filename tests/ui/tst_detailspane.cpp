// The details pane: rows that are never cut, connection columns that never wrap, dates in the
// user's language and time zone.
#include "detailspane.h"

#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

#include <ctime>

using namespace Qt::StringLiterals;
using namespace ferry;
using ferry::ui::DetailsPane;

class TestDetailsPane final : public QObject
{
    Q_OBJECT

private:
    struct ScopedLocale
    {
        explicit ScopedLocale(const QLocale &locale) { QLocale::setDefault(locale); }
        ~ScopedLocale() { QLocale::setDefault(QLocale::c()); }
    };

    static DownloadSnapshot snapshot(DownloadId id = 1)
    {
        DownloadSnapshot s;
        s.id = id;
        s.url = QUrl(
            u"https://mirror.example.org/debian/dists/bookworm/main/installer-amd64/current/images/netboot/debian-installer.iso"_s);
        s.fileName = u"debian-installer.iso"_s;
        s.directory = u"/home/user/Downloads"_s;
        s.total = qint64(4) << 30;
        s.done = qint64(1) << 30;
        s.state = DownloadState::Downloading;
        s.resumable = true;
        s.etag = "\"6b12b6c0-3000000\"";
        s.lastModified = u"Fri, 04 Dec 2026 12:49:04 GMT"_s;
        s.message = u"Retrying in 4 s: the server closed the connection after 1,234,567 bytes of "
                    u"the range it promised, "
                    "which happens when it restarts."_s;
        // Ranges in the billions, done of a large segment: the widest cells the pane shows.
        for (int i = 0; i < 8; ++i) {
            const qint64 length = qint64(512) << 20;
            s.segments.append(
                {i * length, (i + 1) * length, length / 3, i % 2 == 0, qint64(3) << 20});
        }
        return s;
    }

    static QLabel *label(DetailsPane &pane, const char *name)
    {
        return pane.findChild<QLabel *>(QString::fromLatin1(name));
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLocale::setDefault(QLocale::c());
        // A zone far from UTC, so that a date left in GMT shows.
        qputenv("TZ", "Asia/Shanghai");
        tzset();
    }

    // The pane often gets little height below the list; a row gets the height its text
    // needs, and the rows scroll instead.
    void generalRows_areNeverCut_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("roomy") << QSize(900, 400);
        QTest::newRow("low") << QSize(700, 120);
        QTest::newRow("narrow and low") << QSize(360, 150);
    }

    void generalRows_areNeverCut()
    {
        QFETCH(QSize, size);
        DetailsPane pane;
        pane.resize(size);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.showDownload(snapshot(), {}, {});
        QLabel *validators = label(pane, "detailsValidators");
        QVERIFY(validators);

        QVERIFY(validators->text().contains(u'\n')); // two lines: ETag and Last-Modified
        // What a label needs at its width: a wrapping one's sizeHint() is for a width of its
        // own choosing, so its height for the width it has is what counts.
        const auto needed = [](const QLabel *l) {
            return l->hasHeightForWidth() ? l->heightForWidth(l->width()) : l->sizeHint().height();
        };
        QTRY_VERIFY2(validators->height() >= 2 * validators->fontMetrics().lineSpacing() &&
                         needed(validators) <= validators->height(),
                     qPrintable(u"%1 <= %2"_s.arg(needed(validators)).arg(validators->height())));
        for (QLabel *l : pane.widget(0)->findChildren<QLabel *>()) {
            if (!l->text().isEmpty())
                QVERIFY2(needed(l) <= l->height(),
                         qPrintable(u"“%1” needs %2 px, has %3"_s.arg(l->text()).arg(needed(l)).arg(
                             l->height())));
        }
    }

    // Below a list that the window favours 3:1, as in the main window, the usual rows are
    // shown whole without scrolling; only a pane made lower than that scrolls.
    void inASplitter_theUsualRowsNeedNoScrolling()
    {
        QSplitter splitter(Qt::Vertical);
        auto *list = new QWidget;
        splitter.addWidget(list);
        auto *pane = new DetailsPane;
        splitter.addWidget(pane);
        splitter.setStretchFactor(0, 3);
        splitter.setStretchFactor(1, 1);
        pane->hide(); // until something is selected, as in the window
        splitter.resize(900, 560);
        splitter.show();
        QVERIFY(QTest::qWaitForWindowExposed(&splitter));
        DownloadSnapshot s = snapshot();
        s.message.clear();
        pane->show();
        pane->showDownload(s, {}, {});
        auto *rows = pane->findChild<QScrollArea *>(u"detailsGeneral"_s);
        QVERIFY(rows);
        QLabel *status = label(*pane, "detailsMessage");
        QTRY_VERIFY2(!rows->verticalScrollBar()->isVisible() && status->isVisible() &&
                         rows->viewport()->rect().contains(
                             status->geometry().translated(rows->widget()->pos())),
                     qPrintable(u"pane %1 px high"_s.arg(pane->height())));
        QVERIFY(list->height() > pane->height());
    }

    void connectionColumns_fitRangeAndDone_withStateLast()
    {
        DetailsPane pane;
        pane.resize(520, 220);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        auto *table = pane.findChild<QTableWidget *>(u"detailsConnections"_s);
        QVERIFY(table);
        pane.setCurrentWidget(table);
        pane.showDownload(snapshot(), {}, {});
        QCOMPARE(table->columnCount(), 4);
        QVERIFY(!table->wordWrap());
        const QHeaderView *header = table->horizontalHeader();
        QCOMPARE(table->horizontalHeaderItem(header->logicalIndex(3))->text(), u"State"_s);
        QVERIFY(header->stretchLastSection());
        // Every cell's text fits its column: nothing wraps, nothing is elided.
        const QFontMetrics fm(table->font());
        for (int row = 0; row < table->rowCount(); ++row) {
            for (int c = 0; c < 3; ++c) {
                const QString text = table->item(row, c)->text();
                QVERIFY2(fm.horizontalAdvance(text) < table->columnWidth(c),
                         qPrintable(u"“%1” (%2 px) in %3 px"_s.arg(text)
                                        .arg(fm.horizontalAdvance(text))
                                        .arg(table->columnWidth(c))));
            }
        }
        QCOMPARE(table->item(0, 0)->text(), u"0 – 536870911"_s);
        QVERIFY(table->item(7, 0)->text().startsWith(u"3758096384"_s));
        // Range and Done keep their width when speeds change...
        const int range = table->columnWidth(0), done = table->columnWidth(1);
        DownloadSnapshot slower = snapshot();
        for (SegmentSnapshot &seg : slower.segments)
            seg.speed = 10;
        pane.showDownload(slower, {}, {});
        QCOMPARE(table->columnWidth(0), range);
        QCOMPARE(table->columnWidth(1), done);
        // ...and a small download gets columns of its own.
        DownloadSnapshot small = snapshot(2);
        small.segments = {{0, 1000, 10, true, 100}};
        pane.showDownload(small, {}, {});
        QVERIFY2(table->columnWidth(0) < range, qPrintable(QString::number(table->columnWidth(0))));
    }

    void lastModified_isShownInTheUsersLanguageAndTime_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::addColumn<QString>("expected");
        // Shanghai is 8 hours ahead of GMT.
        QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedStates)
                                 << u"Friday, December 4, 2026 8:49:04"_s;
        QTest::newRow("Chinese") << QLocale(QLocale::Chinese, QLocale::SimplifiedHanScript,
                                            QLocale::China)
                                 << u"2026年12月4日星期五"_s;
        QTest::newRow("German") << QLocale(QLocale::German, QLocale::Germany)
                                << u"Freitag, 4. Dezember 2026 20:49:04"_s;
    }

    void lastModified_isShownInTheUsersLanguageAndTime()
    {
        QFETCH(QLocale, locale);
        QFETCH(QString, expected);
        ScopedLocale scoped(locale);
        DetailsPane pane;
        pane.showDownload(snapshot(), {}, {});
        const QString text = label(pane, "detailsValidators")->text();
        QVERIFY2(text.contains(expected), qPrintable(text));
        QVERIFY2(!text.contains(u"GMT"_s) && !text.contains(u"Fri,"_s), qPrintable(text));
        QVERIFY2(text.contains(u"\"6b12b6c0-3000000\""_s), qPrintable(text));
    }

    void lastModified_thatIsNoHttpDate_isShownAsItCame()
    {
        DownloadSnapshot s = snapshot();
        s.lastModified = u"Friday, 04-Dec-26 12:49:04 GMT"_s; // the obsolete RFC 850 form
        DetailsPane pane;
        pane.showDownload(s, {}, {});
        QVERIFY(label(pane, "detailsValidators")
                    ->text()
                    .endsWith(u"Last-Modified Friday, 04-Dec-26 12:49:04 GMT"_s));
    }

    // A '&' in a label is a mnemonic only with a buddy to go to; otherwise it shows.
    void labels_showNoStrayAmpersand()
    {
        DetailsPane pane;
        pane.showDownload(snapshot(), {}, {});
        for (QLabel *l : pane.findChildren<QLabel *>()) {
            if (!l->buddy())
                QVERIFY2(!l->text().remove(u"&&"_s).contains(u'&'), qPrintable(l->text()));
        }
    }
};

QTEST_MAIN(TestDetailsPane)
#include "tst_detailspane.moc"
