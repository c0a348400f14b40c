#pragma once

#include "config/relaysettings.h"
#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <atomic>
#include <mutex>

struct __natsConnection;
struct __jsCtx;
struct __natsMsg;
struct jsPubAck;
struct jsPubAckErr;

namespace syncdesk {

// One message for JetStream: its subject, its id (sent as Nats-Msg-Id, so the stream drops a
// re-send within its duplicate window) and its body.
struct RelayMessage
{
    QByteArray subject;
    QByteArray id;
    QByteArray body;
};

// How a round of publishing ended.
struct PublishOutcome
{
    // How many messages from the start of the round the broker acknowledged. The broker stores what
    // one connection sends in order, so these are stored; nothing after the first gap is known to be.
    // In a chained round: up to the last checkpoint the broker stored.
    qsizetype acknowledged = 0;
    // The broker answered with an error (a refusal: no stream for the subject, a limit), as opposed
    // to no answer (connection lost, timeout), after which the round's fate is looked up.
    bool refused = false;
    // A chained round whose answers did not prove the chain (a link refused, a message of another
    // publisher in between, a duplicate): how far the stream got is to be looked up.
    bool chainBroken = false;
    QString error; // empty when every message was acknowledged
};

// SyncDesk's side of a NATS connection with JetStream, on the NATS C client: connects with the
// configured credentials and TLS, creates the stream when missing, publishes rounds of messages
// asynchronously and waits for their acknowledgements. Not thread-safe: the relay's thread uses it.
// The client does not reconnect by itself: the relay reconnects, with backoff, and then finds out
// what of an interrupted round the stream holds (a message lost in a broken connection must not be
// overtaken by a later one buffered for the next).
class NatsPublisher
{
public:
    explicit NatsPublisher(RelaySettings settings);
    ~NatsPublisher();
    NatsPublisher(const NatsPublisher &) = delete;
    NatsPublisher &operator=(const NatsPublisher &) = delete;

    // Connects and makes sure the stream exists (creating it with the configured retention).
    Status connect();
    void disconnect();
    bool connected() const;

    // Publishes `messages` in order, asynchronously, each with an acknowledgement, and waits at
    // most `timeoutMs` for them.
    PublishOutcome publish(const QList<RelayMessage> &messages, int timeoutMs);

    // Publishes `messages` in order as a chain: each message after the first carries its
    // predecessor's id as Nats-Expected-Last-Msg-Id, so the stream stores it only right after its
    // predecessor; the first carries Nats-Expected-Stream. Only the messages at `checkpoints`
    // (ascending indices, the last message among them) are sent with a reply subject: the broker
    // answers those alone, and a stored checkpoint proves every message before it stored (see
    // docs/events.md, "Exactly once into the stream"). A duplicate answer proves nothing.
    PublishOutcome publishChained(const QList<RelayMessage> &messages, const QList<qsizetype> &checkpoints, int timeoutMs);

    // The id of the newest message in the stream under the subject prefix whose id starts with
    // `idPrefix` (looking back at most `lookBack` messages), or an empty array when there is none.
    Result<QByteArray> newestId(const QByteArray &idPrefix, int lookBack = 256);

    // From any thread: a publish() waiting for acknowledgements gives up now.
    void abort() { m_aborted.store(true); }

    const RelaySettings &settings() const { return m_settings; }

private:
    // Sends the round; `checkpoints` empty: every message with its acknowledgement.
    PublishOutcome send(const QList<RelayMessage> &messages, const QList<qsizetype> &checkpoints, int timeoutMs);
    static void onAck(__jsCtx *js, __natsMsg *msg, jsPubAck *ack, jsPubAckErr *error, void *closure);
    void acknowledged(__natsMsg *msg, const jsPubAck *ack, const jsPubAckErr *error);

    RelaySettings m_settings;
    __natsConnection *m_connection = nullptr;
    __jsCtx *m_jetStream = nullptr;

    // The round in flight, filled in by the client's thread through onAck.
    std::mutex m_mutex;
    QHash<QByteArray, qsizetype> m_pending; // id -> index in the round
    QList<bool> m_acked;
    bool m_chained = false;
    QString m_firstError;
    bool m_refused = false;
    std::atomic_int m_outstanding{0};
    std::atomic_bool m_aborted{false};
};

} // namespace syncdesk
