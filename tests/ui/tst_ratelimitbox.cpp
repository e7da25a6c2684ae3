// Speed limits as people type them: the text parser shared with ferry-cli --limit, the text
// the boxes show back, and the preset box of the add dialog and the status bar.
#include "engine/ratetext.h"
#include "format.h"
#include "ratelimitbox.h"

#include <QAbstractItemView>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ferry;
using namespace ferry::ui;

namespace {

constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 GiB = 1024 * MiB;

} // namespace

class TestRateLimitBox final : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes"); // -1: not a speed
        QTest::newRow("5M") << u"5M"_s << 5 * MiB;
        QTest::newRow("512k") << u"512k"_s << 512 * KiB;
        QTest::newRow("1.5 MiB/s") << u"1.5 MiB/s"_s << qint64(1.5 * MiB);
        QTest::newRow("2 GB") << u"2 GB"_s << 2 * GiB;
        QTest::newRow("10mb/s") << u"10mb/s"_s << 10 * MiB;
        QTest::newRow("256KiB") << u"256KiB"_s << 256 * KiB;
        QTest::newRow("spaces") << u"  7 m  "_s << 7 * MiB;
        QTest::newRow("plain number is KiB/s") << u"100"_s << 100 * KiB;
        QTest::newRow("plain decimal") << u"0.5"_s << qint64(512);
        QTest::newRow("bytes") << u"800 B/s"_s << qint64(800);
        QTest::newRow("0") << u"0"_s << qint64(0);
        QTest::newRow("empty") << QString() << qint64(0);
        QTest::newRow("blank") << u"   "_s << qint64(0);
        QTest::newRow("no limit text") << u"No limit"_s << qint64(0);
        QTest::newRow("abc") << u"abc"_s << qint64(-1);
        QTest::newRow("negative") << u"-5M"_s << qint64(-1);
        QTest::newRow("unknown unit") << u"5T"_s << qint64(-1);
        QTest::newRow("two numbers") << u"5 5"_s << qint64(-1);
        QTest::newRow("huge") << u"99999999999G"_s << qint64(-1);
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        QString error;
        const std::optional<qint64> parsed = parseRateLimit(text, &error);
        if (bytes < 0) {
            QVERIFY(!parsed);
            QVERIFY2(error.contains(text.trimmed()) && error.contains(u"not a speed"_s),
                     qPrintable(error));
        } else {
            QVERIFY2(parsed, qPrintable(error));
            QCOMPARE(*parsed, bytes);
            QVERIFY(error.isEmpty());
        }
    }

    // ferry-cli --limit counts a bare number in bytes; the units are the same.
    void cliUnits_bareNumberInBytes()
    {
        QCOMPARE(parseRateText(u"800000"_s), qint64(800000));
        QCOMPARE(parseRateText(u"2M"_s), 2 * MiB);
        QCOMPARE(parseRateText(u"1.5m"_s), qint64(1.5 * MiB));
        QCOMPARE(parseRateText(u"500K"_s), 500 * KiB);
        QCOMPARE(parseRateText(u"100"_s, KiB), 100 * KiB);
        QCOMPARE(parseRateText(u"x"_s), qint64(-1));
    }

    void format_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << qint64(0) << u"No limit"_s;
        QTest::newRow("5 MiB") << 5 * MiB << u"5 MiB/s"_s;
        QTest::newRow("1.5 MiB") << qint64(1.5 * MiB) << u"1.5 MiB/s"_s;
        QTest::newRow("512 KiB") << 512 * KiB << u"512 KiB/s"_s;
        QTest::newRow("1000 KiB") << 1000 * KiB << u"1000 KiB/s"_s;
        QTest::newRow("2 GiB") << 2 * GiB << u"2 GiB/s"_s;
        QTest::newRow("bytes") << qint64(800) << u"800 B/s"_s;
        QTest::newRow("rounded") << 1500 * KiB << u"1.46 MiB/s"_s;
    }

    void format()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(formatRateLimit(bytes), text);
    }

    void shownText_readsBack()
    {
        for (qint64 bytes : {qint64(0), qint64(1), 256 * KiB, 3 * MiB + 512 * KiB, 7 * GiB})
            QCOMPARE(parseRateLimit(formatRateLimit(bytes)), std::optional<qint64>(bytes));
    }

    void presets_pickedFromTheList()
    {
        RateLimitBox box;
        box.show();
        QVERIFY(QTest::qWaitForWindowExposed(&box));
        QStringList texts;
        for (int i = 0; i < box.count(); ++i)
            texts.append(box.itemText(i));
        QCOMPARE(texts, (QStringList{u"No limit"_s, u"256 KiB/s"_s, u"1 MiB/s"_s, u"5 MiB/s"_s,
                                     u"10 MiB/s"_s}));
        QCOMPARE(box.currentText(), u"No limit"_s);

        QSignalSpy changed(&box, &RateLimitBox::bytesPerSecondChanged);
        box.showPopup();
        QAbstractItemView *view = box.view();
        QTRY_VERIFY(view->isVisible());
        const QModelIndex five = view->model()->index(3, 0);
        view->scrollTo(five);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(five).center());
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toLongLong(), 5 * MiB);
        QCOMPARE(box.bytesPerSecond(), 5 * MiB);
        QCOMPARE(box.currentText(), u"5 MiB/s"_s);
    }

    void typedSpeed_settlesOnEnter_andShowsBackInUnits()
    {
        RateLimitBox box;
        QSignalSpy changed(&box, &RateLimitBox::bytesPerSecondChanged);
        box.lineEdit()->selectAll();
        QTest::keyClicks(box.lineEdit(), u"5m"_s);
        QCOMPARE(box.bytesPerSecond(), 5 * MiB); // counts before it is settled
        QCOMPARE(changed.size(), 0);
        QTest::keyClick(box.lineEdit(), Qt::Key_Return);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toLongLong(), 5 * MiB);
        QCOMPARE(box.currentText(), u"5 MiB/s"_s);
        QCOMPARE(box.currentIndex(), 3); // the preset it matches

        box.lineEdit()->selectAll();
        QTest::keyClicks(box.lineEdit(), u"300"_s);
        QTest::keyClick(box.lineEdit(), Qt::Key_Return);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(box.bytesPerSecond(), 300 * KiB);
        QCOMPARE(box.currentText(), u"300 KiB/s"_s);
        QCOMPARE(box.currentIndex(), -1);

        box.lineEdit()->clear();
        QTest::keyClick(box.lineEdit(), Qt::Key_Return);
        QCOMPARE(changed.size(), 3);
        QCOMPARE(box.bytesPerSecond(), qint64(0));
        QCOMPARE(box.currentText(), u"No limit"_s);
    }

    void invalidText_saysWhy_andChangesNothing()
    {
        RateLimitBox box;
        box.setBytesPerSecond(MiB);
        QSignalSpy changed(&box, &RateLimitBox::bytesPerSecondChanged);
        QSignalSpy validity(&box, &RateLimitBox::validityChanged);
        box.lineEdit()->selectAll();
        QTest::keyClicks(box.lineEdit(), u"abc"_s);
        QVERIFY(!box.isValid());
        QCOMPARE(validity.size(), 1);
        QVERIFY2(box.errorText().contains(u"“abc” is not a speed"_s), qPrintable(box.errorText()));
        QCOMPARE(box.lineEdit()->toolTip(), box.errorText());
        QTest::keyClick(box.lineEdit(), Qt::Key_Return);
        QCOMPARE(changed.size(), 0);
        QCOMPARE(box.bytesPerSecond(), MiB);
        QCOMPARE(box.currentText(), u"abc"_s); // left for the user to correct

        QTest::keyClick(box.lineEdit(), Qt::Key_Backspace);
        QTest::keyClick(box.lineEdit(), Qt::Key_Backspace);
        QTest::keyClick(box.lineEdit(), Qt::Key_Backspace);
        QVERIFY(box.isValid());
        QCOMPARE(validity.size(), 2);
        QVERIFY(box.errorText().isEmpty());
    }

    void leavingTheBox_settlesTheSpeed_butNeverRoundsIt()
    {
        QWidget window;
        auto *box = new RateLimitBox(&window);
        auto *other = new QLineEdit(&window);
        auto *layout = new QHBoxLayout(&window);
        layout->addWidget(box);
        layout->addWidget(other);
        box->setBytesPerSecond(1500 * KiB);
        QCOMPARE(box->currentText(), u"1.46 MiB/s"_s);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy changed(box, &RateLimitBox::bytesPerSecondChanged);

        box->setFocus();
        QTRY_VERIFY(box->hasFocus());
        other->setFocus();
        QTRY_VERIFY(other->hasFocus());
        QCOMPARE(changed.size(), 0); // the shown text is the value's, not a new speed
        QCOMPARE(box->bytesPerSecond(), 1500 * KiB);

        box->setFocus();
        QTRY_VERIFY(box->hasFocus());
        box->lineEdit()->selectAll();
        QTest::keyClicks(box->lineEdit(), u"512k"_s);
        other->setFocus();
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toLongLong(), 512 * KiB);
        QCOMPARE(box->currentText(), u"512 KiB/s"_s);
    }
};

QTEST_MAIN(TestRateLimitBox)
#include "tst_ratelimitbox.moc"
