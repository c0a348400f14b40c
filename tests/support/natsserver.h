#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace syncdesk::test {

// A private NATS server with JetStream for tests: `nats-server -js` on a free port of 127.0.0.1,
// its store in a folder of its own. The CTest fixture (`syncdesk-test-nats start`) runs one for the
// whole test run; a test that kills and restarts its broker starts one of its own.
class NatsServer
{
public:
    NatsServer() = default;
    ~NatsServer(); // stops a server this object started (never the fixture's)
    NatsServer(const NatsServer &) = delete;
    NatsServer &operator=(const NatsServer &) = delete;

    // Starts it with its store in `storeDir`; `port` 0 takes any free one. `extraArguments` follow
    // the defaults (a configuration file with -c, TLS options, ...).
    Status start(const QString &storeDir, quint16 port = 0, const QStringList &extraArguments = {});
    // SIGKILL, as a crash: what the store had written survives.
    Status kill();
    Status stop();
    // Again on the same port with the same store.
    Status restart();
    bool running() const;

    QString url() const { return QStringLiteral("nats://127.0.0.1:%1").arg(m_port); }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_pid; }
    QString log() const;

    // The fixture's server, described by the file named in SYNCDESK_NATS_STATE.
    static constexpr const char *stateVariable = "SYNCDESK_NATS_STATE";
    static Result<QString> fixtureUrl();
    Status writeState(const QString &stateFile) const;
    // Stops the server a state file describes and removes its store; nothing when there is none.
    static Status stopFromState(const QString &stateFile);
    // Started by the fixture: left running when this object goes.
    void detach() { m_owned = false; }

private:
    Status waitUntilGone(int timeoutMs) const;

    QString m_storeDir;
    QStringList m_extra;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    bool m_owned = true;
};

} // namespace syncdesk::test
