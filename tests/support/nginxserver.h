#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace ferry::test {

// The real nginx binary serving a directory on 127.0.0.1, for tests that need a production
// HTTP stack (sendfile, kernel pacing, its own Range and keep-alive handling) rather than our
// own server. Runs as a single foreground process whose config, pid file, logs and temp paths
// all live in a private prefix directory. Not thread-safe: use from the thread that created it.
class NginxServer final
{
public:
    explicit NginxServer(const QString &rootDir); // serves rootDir at "/"
    ~NginxServer();                               // stops nginx (terminate, then kill) and waits
    NginxServer(const NginxServer &) = delete;
    NginxServer &operator=(const NginxServer &) = delete;

    static QString binaryPath(); // /usr/sbin/nginx, or empty when it is not installed

    // Call before start(). "/slow/" serves rootDir with `limit_rate` per connection (e.g. "20m").
    // nginx lets about one second's worth through at once before pacing, so the throttle only
    // shows on bodies several times larger than the rate.
    void setLimitRate(const QString &bytesPerSecondSpec);
    // Call before start(). "/mixed/" serves rootDir where each connection gets one of these
    // limit_rate values, chosen by its client port: rates[variableRateIndex(port)].
    void setVariableRates(const QStringList &rates);
    int variableRateIndex(quint16 clientPort) const; // ((port % 100) / 2) % n; -1 without rates

    // Writes the config, launches nginx and waits up to 10 s until the port accepts connections.
    bool start(QString *error = nullptr);
    void stop();
    bool isRunning() const;

    quint16 port() const;
    QUrl url(const QString &path) const; // http://127.0.0.1:PORT/path
    QString prefixDir() const;           // config, logs and temp dirs
    QString errorLog() const;            // content of the error log so far

private:
    QByteArray config() const;
    bool launchOnce(QString *error);

    QString m_rootDir;
    QTemporaryDir m_prefix;
    QString m_limitRate = QStringLiteral("1m");
    QStringList m_variableRates;
    quint16 m_port = 0;
    QProcess m_process;
};

} // namespace ferry::test
