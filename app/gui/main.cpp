#include "browserwiring.h"
#include "singleinstance.h"

#include "api/downloadmanager.h"
#include "api/secretvault.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "mainwindow.h"
#include "s3wiring.h"
#include "schedule/clock.h"
#include "schedule/logind.h"
#include "schedule/scheduler.h"
#include "schedule/whendone.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QLocale>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QProcess>
#include <QSettings>
#include <QTranslator>

#include <cstdio>
#include <string_view>

using namespace Qt::StringLiterals;

namespace {

// Connections live on their own threads; the application-wide proxy is what each of their
// network managers picks up.
void applyProxy(const ferry::ui::AppSettings &settings, const QString &password)
{
    using Type = ferry::ui::AppSettings::ProxyType;
    switch (settings.proxyType()) {
    case Type::System:
        QNetworkProxyFactory::setUseSystemConfiguration(true);
        return;
    case Type::None:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy::NoProxy);
        return;
    case Type::Http:
    case Type::Socks5:
        QNetworkProxyFactory::setUseSystemConfiguration(false);
        QNetworkProxy::setApplicationProxy(QNetworkProxy(settings.proxyType() == Type::Http ? QNetworkProxy::HttpProxy : QNetworkProxy::Socks5Proxy,
                                                         settings.proxyHost(), quint16(settings.proxyPort()), settings.proxyUser(), password));
        return;
    }
}

// The language setting lives in the state folder, which --state-dir can move. This first,
// silent look at the arguments finds it so that the translators are in place before the real
// parser builds its (translated) --help text; errors are left to the real parser.
QString stateDirArgument(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption option(u"state-dir"_s, QString(), u"DIR"_s);
    parser.addOption(option);
    parser.parse(arguments);
    return parser.value(option);
}

// Installs Ferry's translation and, when the system has it, Qt's own (standard buttons and
// dialogs), both in the language the settings choose. The translators are parented to the
// application so they live as long as it.
void installTranslators(QApplication &app, const ferry::ui::AppSettings &settings)
{
    const QString language = settings.language();
    const QLocale locale = ferry::ui::AppSettings::localeFor(language);
    // A chosen language also sets the number and date formats, so that Chinese text does not
    // come with, say, German decimal commas; "system" leaves the system's formats alone.
    if (language != u"system")
        QLocale::setDefault(locale);
    for (QTranslator *translator : ferry::ui::AppSettings::loadTranslators(locale, &app))
        QApplication::installTranslator(translator);
}

// --version is answered before QApplication exists: QApplication aborts when it cannot reach a
// display, and the version must print over ssh and in packaging checks. Same output as
// QCommandLineParser's version option.
bool versionRequested(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--")
            return false;
        if (arg == "--state-dir")
            ++i; // its value, whatever it looks like
        else if (arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

// The window's whole life, from taking over the single instance to the end of the event loop.
// When it returns, everything it made is gone: the database is closed, every download's lock
// released and the single-instance socket removed, so a restarted Ferry neither hands its
// start over to this process nor finds downloads it still holds. `restart` says whether the
// user asked for a restart (after changing the language).
int runWindow(QApplication &app, const QCommandLineParser &parser, const QString &stateDir,
              ferry::ui::AppSettings &settings, QSettings &store, bool *restart)
{
    ferry::app::SingleInstance instance(stateDir);
    if (instance.handOver(parser.positionalArguments()))
        return 0;
    if (!instance.listen())
        std::fprintf(stderr, "ferry: could not listen on %s; other launches and the browser extension cannot reach this window\n",
                     qPrintable(instance.serverName()));

    applyProxy(settings, {});

    ferry::EngineSettings engine;
    engine.maxConcurrentDownloads = settings.maxConcurrentDownloads();
    engine.connectionsPerHost = settings.connectionsPerHost();
    engine.globalRateLimit = settings.globalRateLimit();
    ferry::DownloadManager manager(stateDir, engine);
    // Asked in the background: a locked keychain may first ask the user for its password, and
    // only the downloads that wait for their headers wait for it.
    manager.setSecretVault(std::make_unique<ferry::SecretVault>(ferry::SecretVault::systemKeychain(30'000)));
    ferry::app::S3Wiring s3(&manager, stateDir + u"/settings.ini"_s);
    QString error;
    if (!manager.open(settings.resumeAtStart(), &error)) {
        std::fprintf(stderr, "ferry: %s\n", qPrintable(error));
        return 3;
    }
    ferry::UrlProber prober;
    // The scheduled queue and "when done" read one clock; the schedule is kept in the window's
    // settings file. Made before the window, which points at them, so that they outlive it.
    ferry::SystemClock clock;
    ferry::Scheduler scheduler(&manager, &clock, &store);
    ferry::Logind logind;
    ferry::WhenDone whenDone(&manager, &logind, &clock);
    ferry::ui::MainWindow window(&manager, &prober, &settings);
    window.setScheduler(&scheduler);
    window.setWhenDone(&whenDone, &logind);
    QObject::connect(&window, &ferry::ui::MainWindow::settingsChanged, &scheduler,
                     [&settings, &scheduler] { scheduler.setBaseRateLimit(settings.globalRateLimit()); });
    s3.attach(&window, &settings);
    // Said once, when a download's headers could not be kept (or looked up) in the keychain.
    QObject::connect(manager.secretVault(), &ferry::SecretVault::unavailable, &window,
                     [&window] { window.showNotice(ferry::SecretVault::unavailableMessage()); });
    QObject::connect(&window, &ferry::ui::MainWindow::settingsChanged, &app,
                     [&settings](const QString &password) { applyProxy(settings, password); });
    QObject::connect(&instance, &ferry::app::SingleInstance::urlsReceived, &window, &ferry::ui::MainWindow::offerUrls);
    ferry::app::connectBrowser(&instance, &window);
    instance.setReady(); // what waited for the window while it was being built comes in now
    QObject::connect(&app, &QApplication::aboutToQuit, &window, &ferry::ui::MainWindow::setQuitting);
    QObject::connect(&window, &ferry::ui::MainWindow::restartRequested, &app, [&window, restart] {
        *restart = true;
        window.setQuitting();
        QApplication::quit();
    });
    window.show();

    const QList<ferry::DownloadId> recovered = manager.recovered();
    if (!recovered.isEmpty()) {
        const int count = int(recovered.size());
        window.showNotice(settings.resumeAtStart()
                              ? QApplication::translate("main", "Ferry was not closed properly. It recovered %n unfinished download(s), which resume now.", nullptr, count)
                              : QApplication::translate("main", "Ferry was not closed properly. It recovered %n unfinished download(s), which wait in the queue.", nullptr, count));
    }
    if (!parser.positionalArguments().isEmpty())
        QMetaObject::invokeMethod(&window, [&] { window.offerUrls(parser.positionalArguments()); }, Qt::QueuedConnection);
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    if (versionRequested(argc, argv)) {
        std::printf("ferry %s\n", FERRY_VERSION);
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"ferry"_s);
    QApplication::setApplicationDisplayName(u"Ferry"_s);
    QApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    // Matches the installed io.github.ferry.Ferry.desktop, so Wayland shells find the icon.
    QApplication::setDesktopFileName(u"io.github.ferry.Ferry"_s);
    QApplication::setQuitOnLastWindowClosed(false);

    const QString stateDirArg = stateDirArgument(app.arguments());
    const QString stateDir = stateDirArg.isEmpty() ? ferry::DownloadManager::defaultStateDir()
                                                   : QDir(stateDirArg).absolutePath();
    QDir().mkpath(stateDir);
    QSettings qsettings(stateDir + u"/settings.ini"_s, QSettings::IniFormat);
    ferry::ui::AppSettings settings(&qsettings);
    installTranslators(app, settings);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Ferry, a segmented, resumable download manager."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption stateDirOption(u"state-dir"_s, QApplication::translate("main", "Where downloads and settings are kept."), u"DIR"_s);
    parser.addOption(stateDirOption);
    parser.addPositionalArgument(u"urls"_s, QApplication::translate("main", "URLs to download."), u"[URL...]"_s);
    parser.process(app);

    bool restart = false;
    const int status = runWindow(app, parser, stateDir, settings, qsettings, &restart);
    if (restart && status == 0) {
        // The same state folder, not the URLs of the first start: those were offered then.
        QStringList arguments;
        if (parser.isSet(stateDirOption))
            arguments << u"--state-dir"_s << stateDir;
        if (!QProcess::startDetached(QApplication::applicationFilePath(), arguments))
            std::fprintf(stderr, "ferry: could not start %s again\n", qPrintable(QApplication::applicationFilePath()));
    }
    return status;
}
