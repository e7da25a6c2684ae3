#include "singleinstance.h"

#include "api/downloadmanager.h"
#include "api/urlprober.h"
#include "appsettings.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QSettings>

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

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"ferry"_s);
    QApplication::setApplicationDisplayName(u"Ferry"_s);
    QApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    QApplication::setDesktopFileName(u"ferry"_s);
    QApplication::setQuitOnLastWindowClosed(false);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Ferry, a segmented, resumable download manager."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption stateDirOption(u"state-dir"_s, QApplication::translate("main", "Where downloads and settings are kept."), u"DIR"_s);
    parser.addOption(stateDirOption);
    parser.addPositionalArgument(u"urls"_s, QApplication::translate("main", "URLs to download."), u"[URL...]"_s);
    parser.process(app);

    const QString stateDir = parser.isSet(stateDirOption) ? QDir(parser.value(stateDirOption)).absolutePath()
                                                          : ferry::DownloadManager::defaultStateDir();
    ferry::app::SingleInstance instance(stateDir);
    if (instance.handOver(parser.positionalArguments()))
        return 0;
    instance.listen();

    QDir().mkpath(stateDir);
    QSettings qsettings(stateDir + u"/settings.ini"_s, QSettings::IniFormat);
    ferry::ui::AppSettings settings(&qsettings);
    applyProxy(settings, {});

    ferry::EngineSettings engine;
    engine.maxConcurrentDownloads = settings.maxConcurrentDownloads();
    engine.connectionsPerHost = settings.connectionsPerHost();
    engine.globalRateLimit = settings.globalRateLimit();
    ferry::DownloadManager manager(stateDir, engine);
    QString error;
    if (!manager.open(settings.resumeAtStart(), &error)) {
        std::fprintf(stderr, "ferry: %s\n", qPrintable(error));
        return 3;
    }
    ferry::UrlProber prober;
    ferry::ui::MainWindow window(&manager, &prober, &settings);
    QObject::connect(&window, &ferry::ui::MainWindow::settingsChanged, &app,
                     [&settings](const QString &password) { applyProxy(settings, password); });
    QObject::connect(&instance, &ferry::app::SingleInstance::urlsReceived, &window, &ferry::ui::MainWindow::offerUrls);
    QObject::connect(&app, &QApplication::aboutToQuit, &window, &ferry::ui::MainWindow::setQuitting);
    window.show();

    const QList<ferry::DownloadId> recovered = manager.recovered();
    if (!recovered.isEmpty()) {
        window.showNotice(settings.resumeAtStart()
                              ? QApplication::translate("main", "Ferry was not closed properly. Unfinished downloads recovered: %1. They resume now.").arg(recovered.size())
                              : QApplication::translate("main", "Ferry was not closed properly. Unfinished downloads recovered: %1. They wait in the queue.").arg(recovered.size()));
    }
    if (!parser.positionalArguments().isEmpty())
        QMetaObject::invokeMethod(&window, [&] { window.offerUrls(parser.positionalArguments()); }, Qt::QueuedConnection);
    return app.exec();
}
