// ferry-browser-host: the program a browser starts for the Ferry extension (native messaging).
// It reads one message from stdin, checks it, hands downloads to the window over the window's
// single-instance socket, writes one answer to stdout and ends. stdout carries nothing but
// answer frames; diagnostics go to stderr and never contain cookies.

#include "windowlink.h"

#include "api/browserhosts.h"
#include "api/browsermessage.h"
#include "api/downloadmanager.h"
#include "common/instancename.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>

#include <csignal>
#include <cstdio>
#include <unistd.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// Everything the host does for one message, starting the window included, must end well
// before the extension stops waiting (10 s at least, see browser/extension/rules.js) and lets
// the browser download the file itself: an answer after that would make two downloads of it.
constexpr int budgetMs = 7000;

int registerHost()
{
    QStringList written;
    QString error;
    const bool ok = ferry::BrowserHosts::registerForUser(QCoreApplication::applicationFilePath(), &written, &error);
    for (const QString &path : std::as_const(written))
        std::printf("wrote %s\n", qPrintable(path));
    if (!ok)
        std::fprintf(stderr, "ferry-browser-host: %s\n", qPrintable(error));
    return ok ? 0 : 1;
}

int unregisterHost()
{
    for (const QString &path : ferry::BrowserHosts::unregisterForUser())
        std::printf("removed %s\n", qPrintable(path));
    return 0;
}

struct Options
{
    QString stateDir;    // absolute
    bool stateDirGiven = false;
    QString window;      // the window program to start, empty for the default
    bool noStart = false;
};

QJsonObject failure(const QString &error)
{
    return QJsonObject{{u"ok"_s, false}, {u"error"_s, error}};
}

QJsonObject handOver(const Options &options, const ferry::BrowserMessage &message)
{
    using ferry::browserhost::WindowLink;
    const QDeadlineTimer deadline(budgetMs);
    WindowLink link(ferry::app::instanceServerName(options.stateDir));
    if (!link.connectNow()) {
        if (options.noStart)
            return failure(u"Ferry is not running."_s);
        const QString program = options.window.isEmpty() ? WindowLink::findWindowProgram(QCoreApplication::applicationDirPath())
                                                         : options.window;
        if (program.isEmpty())
            return failure(u"The Ferry program was not found."_s);
        QStringList arguments;
        if (options.stateDirGiven)
            arguments << u"--state-dir"_s << options.stateDir;
        QString error;
        if (!link.startAndConnect(program, arguments, int(deadline.remainingTime()), &error))
            return failure(error);
    }
    return link.exchange(message.toJson(), int(qMax<qint64>(1, deadline.remainingTime())));
}

// The browser side of one run: one frame in, one frame out.
int serveBrowser(const Options &options)
{
    // Unbuffered, so that reading the frame never asks stdin for a byte beyond it: the browser
    // keeps the pipe open while it waits for the answer.
    QFile in;
    QFile out;
    if (!in.open(STDIN_FILENO, QIODevice::ReadOnly | QIODevice::Unbuffered) ||
        !out.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        std::fprintf(stderr, "ferry-browser-host: cannot open stdin or stdout\n");
        return 1;
    }
    const auto answer = [&out](const QJsonObject &reply) {
        out.write(ferry::BrowserFrame::frame(reply));
        out.flush();
        return reply.value(u"ok"_s).toBool() ? 0 : 1;
    };

    QString error;
    const auto body = ferry::BrowserFrame::readFrame(in, &error);
    const auto message = body ? ferry::BrowserMessage::parse(*body, &error) : std::nullopt;
    if (!message) {
        std::fprintf(stderr, "ferry-browser-host: %s\n", qPrintable(error));
        return answer(failure(error));
    }
    // When and with which extension version each browser last talked to the host, for the
    // window's Browser settings; nothing of the message itself is kept.
    if (QDir().mkpath(options.stateDir))
        ferry::BrowserHosts::recordContact(options.stateDir, message->browser, message->extensionVersion);

    if (message->type == ferry::BrowserMessage::Type::Hello) {
        // Only a look: the popup asks often and must not start or raise the window.
        ferry::browserhost::WindowLink link(ferry::app::instanceServerName(options.stateDir));
        return answer(QJsonObject{{u"ok"_s, true},
                                  {u"ferryVersion"_s, QStringLiteral(FERRY_VERSION)},
                                  {u"running"_s, link.connectNow()}});
    }
    const QJsonObject reply = handOver(options, *message);
    if (!reply.value(u"ok"_s).toBool())
        std::fprintf(stderr, "ferry-browser-host: %s\n", qPrintable(reply.value(u"error"_s).toString()));
    return answer(reply);
}

} // namespace

int main(int argc, char *argv[])
{
    // A browser that has gone away closes the pipe; writing the answer must fail, not kill.
    std::signal(SIGPIPE, SIG_IGN);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"ferry-browser-host"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Connects the Ferry browser extension to Ferry. Browsers start it; "
                                     "people use it only to register it for their own account."_s);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption(u"version"_s, u"Displays version information."_s);
    const QCommandLineOption stateDirOption(u"state-dir"_s, u"The state folder of the Ferry window to hand downloads to."_s, u"DIR"_s);
    const QCommandLineOption windowOption(u"window"_s, u"The Ferry program to start when no window runs."_s, u"PATH"_s);
    const QCommandLineOption noStartOption(u"no-start"_s, u"Never start Ferry; refuse downloads when no window runs."_s);
    const QCommandLineOption registerOption(u"register"_s, u"Writes the host manifests of Chromium, Chrome, Brave, Edge, Vivaldi and Firefox for this user."_s);
    const QCommandLineOption unregisterOption(u"unregister"_s, u"Removes the manifests --register wrote."_s);
    parser.addOptions({versionOption, stateDirOption, windowOption, noStartOption, registerOption, unregisterOption});
    parser.addPositionalArgument(u"browser-arguments"_s, u"What the browser passes (its extension's origin, or the manifest path and add-on id); ignored."_s,
                                 u"[ARGUMENTS...]"_s);
    // Browsers add arguments of their own; only a malformed option of ours is an error.
    if (!parser.parse(app.arguments()) && parser.unknownOptionNames().isEmpty()) {
        std::fprintf(stderr, "ferry-browser-host: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(helpOption)) {
        std::printf("%s", qPrintable(parser.helpText()));
        return 0;
    }
    if (parser.isSet(versionOption)) {
        std::printf("ferry-browser-host %s\n", FERRY_VERSION);
        return 0;
    }
    if (parser.isSet(registerOption))
        return registerHost();
    if (parser.isSet(unregisterOption))
        return unregisterHost();

    Options options;
    options.stateDirGiven = parser.isSet(stateDirOption);
    options.stateDir = options.stateDirGiven ? QDir(parser.value(stateDirOption)).absolutePath()
                                             : ferry::DownloadManager::defaultStateDir();
    options.window = parser.value(windowOption);
    options.noStart = parser.isSet(noStartOption);
    return serveBrowser(options);
}
