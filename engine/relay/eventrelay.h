#pragma once

#include "config/relaysettings.h"
#include "relay/natspublisher.h"
#include "relay/relayqueue.h"
#include "relay/relaystatus.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace syncdesk {

class ConnectionProvider;

// Publishes the journal's events (sync.relay_batches) to NATS JetStream, exactly once and in
// order per record. Lives on a thread of its own; the sync engine never waits for it.
//
// One relay publishes per database: the one whose session holds the advisory lock; the others
// report the lag and take over when it goes. A round: the oldest visible batches are noted as in
// flight, published asynchronously with their events' ids as Nats-Msg-Id, and deleted (the position
// moves) only once the broker has acknowledged them. A round goes as a chain (each message expects
// its predecessor as the stream's last, the broker answers each batch's last message only), which
// costs the broker and the relay far less than an answer per message; a round whose chain the
// answers do not prove is looked up in the stream and its rest sent message by message. A round
// that ends without every answer is taken up again after a reconnect: the newest message of ours
// the stream holds says how far it got, and the duplicate window drops any re-send the look-up
// missed. While the broker is away the relay backs off (0.5 s doubling to 30 s) and the events wait
// in PostgreSQL.
class EventRelay : public QObject
{
    Q_OBJECT

public:
    EventRelay(RelaySettings settings, std::shared_ptr<ConnectionProvider> connections, QObject *parent = nullptr);
    ~EventRelay() override;

    // On the relay's thread.
    void start();
    void stop();
    // From any thread, before stop(): ends a round that waits for the broker at once.
    void interrupt();
    // From any thread: events were recorded.
    void wake();

    // Events per round, at most (about: whole batches).
    static constexpr int roundEvents = 20000;

Q_SIGNALS:
    void statusChanged(const syncdesk::RelayStatus &status);

private:
    enum class Round { Empty, Published, Failed };

    void drain();
    bool lead(RelayQueue &queue);
    bool connectBroker();
    Round publishRound(RelayQueue &queue);
    QList<RelayMessage> messagesOf(const QList<RelayQueue::Batch> &batches, QList<qsizetype> &ends) const;
    void backOff(const QString &problem, bool disconnect);
    void refreshLag(RelayQueue &queue, bool now);
    void schedule(int ms);
    void emitStatus();

    RelaySettings m_settings;
    std::shared_ptr<ConnectionProvider> m_connections;
    std::unique_ptr<NatsPublisher> m_publisher;
    QTimer *m_timer = nullptr;
    QDeadlineTimer m_backoffUntil;
    int m_failures = 0;
    int m_leaderPid = 0;   // the session that holds the lock (a reconnect loses it)
    bool m_recover = true; // a round in flight whose fate is to be looked up in the stream
    QDeadlineTimer m_chainFrom; // rounds go chained once it expired (default: expired)
    std::atomic_bool m_running{false};
    QByteArray m_source;
    QElapsedTimer m_lagRefreshed;
    RelayStatus m_status;
    std::atomic_bool m_wakeQueued{false};
};

} // namespace syncdesk
