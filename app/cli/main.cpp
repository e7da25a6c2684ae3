#include "clirunner.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] auto n = ::write(signalPipe[1], &c, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferry"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));

    QString error;
    const auto options = ferry::cli::parseCommandLine(app.arguments(), &error);
    if (!options) {
        std::fprintf(stderr, "ferry-cli: %s\n", qPrintable(error));
        return ferry::cli::Usage;
    }

    ferry::cli::CliRunner runner(*options);
    // Ctrl+C and SIGTERM pause cleanly (progress saved); signals reach the event loop through a
    // socket pair because almost nothing is safe inside a signal handler.
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe);
    QSocketNotifier notifier(signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &runner, [&] {
        char c;
        [[maybe_unused]] auto n = ::read(signalPipe[0], &c, 1);
        runner.interrupt();
    });
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    QObject::connect(&runner, &ferry::cli::CliRunner::done, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    const int immediate = runner.start();
    if (immediate >= 0)
        return immediate;
    return app.exec();
}
