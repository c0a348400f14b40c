#pragma once

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace syncdesk::test {

// `syncdesk --headless` run as an operator runs it, against a test database, with the REST API on a
// free port; the tests talk to it over real sockets and watch its memory and its log.
class SyncDeskService
{
public:
    SyncDeskService(const QString &databaseUrl, const QMap<QString, QString> &environment, const QStringList &extraArguments = {});
    ~SyncDeskService();

    // Waits for the API's "listening on" line; false (with the log for a message) when it did not come.
    bool waitUntilServing(int timeoutMs = 60000);
    bool waitForLog(const QString &text, int timeoutMs = 30000);
    // Sends `signal` and waits for the exit; the exit code or -1.
    int stop(int signal, int timeoutMs = 30000);
    bool finish(int timeoutMs = 30000);

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    int exitCode() const;
    // Resident memory of the process in kB (VmRSS).
    qint64 residentKb() const;
    // Open file descriptors of the process.
    int openFiles() const;
    QString log();

    static QString binary();

private:
    QTemporaryDir m_home;
    QProcess m_process;
    QByteArray m_err;
    quint16 m_port = 0;
};

} // namespace syncdesk::test
