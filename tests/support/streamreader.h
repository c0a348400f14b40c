#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

struct __natsConnection;
struct __jsCtx;

namespace syncdesk::test {

// One message as a consumer of the stream receives it.
struct StreamMessage
{
    QString subject;
    QString id;     // its Nats-Msg-Id header
    QByteArray data;
    QJsonObject document; // data parsed
    qint64 storedAtMs = 0; // when the stream stored it (epoch milliseconds, the broker's clock)
};

// What a stream keeps: how long, and how long it remembers message ids to drop re-sends.
struct StreamLimits
{
    qint64 maxAgeSeconds = 0; // 0: for ever
    qint64 duplicateWindowSeconds = 0;
};

// Limits an operator may give a stream SyncDesk publishes to (-1: none). A full stream refuses
// new messages (discard: new).
struct StreamRules
{
    qint64 maxMessages = -1;
    qint32 maxMessageSize = -1;
};

// A consumer of a JetStream stream for the tests' assertions, on the NATS C client: reads every
// message the stream holds with an ordered consumer, in the stream's order. It also plays the
// others around a stream: the operator who makes it with limits, another service publishing to it.
class StreamReader
{
public:
    explicit StreamReader(QString url);
    ~StreamReader();
    StreamReader(const StreamReader &) = delete;
    StreamReader &operator=(const StreamReader &) = delete;

    Status connect();
    // How many messages the stream holds (0 when it does not exist).
    Result<quint64> count(const QString &stream);
    Result<StreamLimits> limits(const QString &stream);
    // Every message of `stream` under `subjects` (e.g. "syncdesk.>"), oldest first.
    Result<QList<StreamMessage>> readAll(const QString &stream, const QString &subjects);
    // Makes `stream` for `subjects` with `rules` (file storage), or changes its rules.
    Status createStream(const QString &stream, const QString &subjects, const StreamRules &rules);
    Status updateStream(const QString &stream, const QString &subjects, const StreamRules &rules);
    // Another publisher's message, with its own id, acknowledged by the stream.
    Status publish(const QString &subject, const QString &id, const QByteArray &data);
    // Waits until the stream holds at least `expected` messages; returns how many it holds.
    quint64 waitForCount(const QString &stream, quint64 expected, int timeoutMs);

private:
    Status defineStream(const QString &stream, const QString &subjects, const StreamRules &rules, bool update);

    QString m_url;
    __natsConnection *m_connection = nullptr;
    __jsCtx *m_jetStream = nullptr;
};

} // namespace syncdesk::test
