#include "relay/natspublisher.h"

#include "core/logging.h"

#include <QDeadlineTimer>
#include <QUrl>

#include <nats/nats.h>

#include <algorithm>

namespace syncdesk {

namespace {

constexpr const char *kMsgIdHeader = "Nats-Msg-Id";
constexpr const char *kExpectedLastIdHeader = "Nats-Expected-Last-Msg-Id";
constexpr const char *kExpectedStreamHeader = "Nats-Expected-Stream";

QString statusText(natsStatus status)
{
    // The client keeps a more precise message (the server's words) for the failing call.
    const char *last = nats_GetLastError(nullptr);
    return QString::fromUtf8(last && *last ? last : natsStatus_GetText(status));
}

QString jetStreamText(natsStatus status, jsErrCode code)
{
    QString text = statusText(status);
    if (code != 0)
        text += QStringLiteral(" (JetStream error %1)").arg(int(code));
    return text;
}

// Messages of a round wait in the client for at most this long while the connection is gone.
constexpr int kCompletionStepMs = 50;

} // namespace

NatsPublisher::NatsPublisher(RelaySettings settings)
    : m_settings(std::move(settings))
{
}

NatsPublisher::~NatsPublisher()
{
    disconnect();
}

bool NatsPublisher::connected() const
{
    return m_connection && natsConnection_Status(m_connection) == NATS_CONN_STATUS_CONNECTED;
}

void NatsPublisher::disconnect()
{
    if (m_jetStream) {
        // Acknowledgements that may still come belong to no round any more.
        natsMsgList pending{};
        if (js_PublishAsyncGetPendingList(&pending, m_jetStream) == NATS_OK)
            natsMsgList_Destroy(&pending);
        jsCtx_Destroy(m_jetStream);
        m_jetStream = nullptr;
    }
    if (m_connection) {
        natsConnection_Destroy(m_connection); // closes it first
        m_connection = nullptr;
    }
}

Status NatsPublisher::connect()
{
    disconnect();
    natsOptions *options = nullptr;
    natsStatus status = natsOptions_Create(&options);
    const QByteArray servers = m_settings.url.toUtf8();
    if (status == NATS_OK)
        status = natsOptions_SetURL(options, servers.constData());
    if (status == NATS_OK)
        status = natsOptions_SetName(options, "syncdesk-relay");
    if (status == NATS_OK)
        status = natsOptions_SetTimeout(options, 3000);
    // The relay reconnects itself (see the class comment).
    if (status == NATS_OK)
        status = natsOptions_SetAllowReconnect(options, false);
    if (status == NATS_OK)
        status = natsOptions_SetPingInterval(options, 2000);
    if (status == NATS_OK)
        status = natsOptions_SetMaxPingsOut(options, 3);
    if (status == NATS_OK && m_settings.url.contains(QLatin1String("tls://")))
        status = natsOptions_SetSecure(options, true);
    const QByteArray ca = m_settings.tlsCaFile.toLocal8Bit();
    if (status == NATS_OK && !ca.isEmpty())
        status = natsOptions_LoadCATrustedCertificates(options, ca.constData());
    const QByteArray credentials = m_settings.credentialsFile.toLocal8Bit();
    if (status == NATS_OK && !credentials.isEmpty())
        status = natsOptions_SetUserCredentialsFromFiles(options, credentials.constData(), nullptr);
    const QByteArray nkey = m_settings.nkey.toLatin1();
    const QByteArray seed = m_settings.nkeySeedFile.toLocal8Bit();
    if (status == NATS_OK && !nkey.isEmpty())
        status = natsOptions_SetNKeyFromSeed(options, nkey.constData(), seed.constData());
    if (status != NATS_OK) {
        const QString error = statusText(status);
        natsOptions_Destroy(options);
        return Status::failure(QStringLiteral("cannot set up the NATS connection: %1").arg(error));
    }
    status = natsConnection_Connect(&m_connection, options);
    natsOptions_Destroy(options);
    if (status != NATS_OK) {
        m_connection = nullptr;
        return Status::failure(QStringLiteral("cannot connect to NATS at %1: %2").arg(m_settings.displayUrl(), statusText(status)));
    }

    jsOptions jetStreamOptions;
    jsOptions_Init(&jetStreamOptions);
    jetStreamOptions.Wait = 5000;
    jetStreamOptions.PublishAsync.MaxPending = 65536;
    jetStreamOptions.PublishAsync.AckHandler = &NatsPublisher::onAck;
    jetStreamOptions.PublishAsync.AckHandlerClosure = this;
    status = natsConnection_JetStream(&m_jetStream, m_connection, &jetStreamOptions);
    if (status != NATS_OK) {
        const QString error = statusText(status);
        disconnect();
        return Status::failure(QStringLiteral("NATS at %1 offers no JetStream: %2").arg(m_settings.displayUrl(), error));
    }

    const QByteArray stream = m_settings.stream.toUtf8();
    jsStreamInfo *info = nullptr;
    jsErrCode code = jsErrCode(0);
    status = js_GetStreamInfo(&info, m_jetStream, stream.constData(), nullptr, &code);
    if (status == NATS_NOT_FOUND || code == JSStreamNotFoundErr) {
        const QByteArray subjects = m_settings.subjectPrefix.toUtf8() + ".>";
        const char *subjectList[] = {subjects.constData()};
        jsStreamConfig config;
        jsStreamConfig_Init(&config);
        config.Name = stream.constData();
        config.Subjects = subjectList;
        config.SubjectsLen = 1;
        config.Storage = js_FileStorage;
        config.MaxAge = int64_t(m_settings.streamMaxAgeDays) * 86400LL * 1000000000LL;
        config.Duplicates = int64_t(m_settings.duplicateWindowSeconds) * 1000000000LL;
        code = jsErrCode(0);
        status = js_AddStream(&info, m_jetStream, &config, nullptr, &code);
        if (status == NATS_OK)
            qCInfo(lcRelay).noquote() << "created the JetStream stream" << m_settings.stream << "for" << subjects;
    }
    if (info)
        jsStreamInfo_Destroy(info);
    if (status != NATS_OK) {
        const QString error = jetStreamText(status, code);
        disconnect();
        return Status::failure(QStringLiteral("cannot find or create the JetStream stream %1: %2").arg(m_settings.stream, error));
    }
    return Status::success();
}

void NatsPublisher::onAck(jsCtx *, natsMsg *msg, jsPubAck *ack, jsPubAckErr *error, void *closure)
{
    static_cast<NatsPublisher *>(closure)->acknowledged(msg, ack, error);
    natsMsg_Destroy(msg);
}

void NatsPublisher::acknowledged(natsMsg *msg, const jsPubAck *ack, const jsPubAckErr *error)
{
    const char *id = nullptr;
    if (natsMsgHeader_Get(msg, kMsgIdHeader, &id) != NATS_OK || !id)
        return;
    std::lock_guard locker(m_mutex);
    const auto found = m_pending.constFind(QByteArray(id));
    if (found == m_pending.cend())
        return; // a round that already ended
    // A duplicate was stored before, perhaps without its predecessors: it proves no chain (the
    // broker looks for duplicates before it checks the expected last id).
    const bool unproven = m_chained && !error && ack && ack->Duplicate;
    if (error || unproven) {
        if (m_firstError.isEmpty()) {
            const QString why = unproven ? QStringLiteral("a duplicate of a message stored before")
                                         : QString::fromUtf8(error->ErrText ? error->ErrText : natsStatus_GetText(error->Err));
            m_firstError = QStringLiteral("message %1 on %2: %3").arg(QString::fromLatin1(id), QString::fromUtf8(natsMsg_GetSubject(msg)), why);
            // A timeout is no answer; anything else is the broker's refusal.
            m_refused = unproven || error->Err != NATS_TIMEOUT;
        }
    } else {
        m_acked[*found] = true;
    }
    m_pending.erase(found);
    m_outstanding.fetch_sub(1);
}

PublishOutcome NatsPublisher::publish(const QList<RelayMessage> &messages, int timeoutMs)
{
    return send(messages, {}, timeoutMs);
}

// Why a stored checkpoint proves every message before it (nats-server 2.9, stream.go,
// processJetStreamMsg, all under the stream's lock): a message carrying Nats-Expected-Last-Msg-Id X
// is stored only when the id of the stream's last stored message is X (the server keeps it as
// lmsgId: set when a message is stored, put back when storing fails, rebuilt from the store after a
// restart). So message i stored means message i-1 was the stream's last, hence stored, and so on down
// to the first, which names the stream. Our ids are unique, so no other message can stand in for a
// link. Two things the proof must not lean on: a duplicate is answered before the expected id is
// looked at, so a duplicate answer proves nothing (it counts as a broken chain); and counting
// sequence numbers would not do, since a refused link of ours and another publisher's message in
// the same round cancel out. The chain costs the broker one header compare per message instead of
// an answer per message; links are sent without a reply subject, so the broker answers nothing for
// them. It also means the stream holds a prefix of a broken round, never a gap.
PublishOutcome NatsPublisher::publishChained(const QList<RelayMessage> &messages, const QList<qsizetype> &checkpoints, int timeoutMs)
{
    Q_ASSERT(!checkpoints.isEmpty() && checkpoints.constLast() == messages.size() - 1);
    return send(messages, checkpoints, timeoutMs);
}

PublishOutcome NatsPublisher::send(const QList<RelayMessage> &messages, const QList<qsizetype> &checkpoints, int timeoutMs)
{
    PublishOutcome outcome;
    if (!connected()) {
        outcome.error = QStringLiteral("not connected to NATS");
        return outcome;
    }
    const bool chained = !checkpoints.isEmpty();
    // The messages the broker answers: every one, or the chain's checkpoints.
    const auto answered = [&](qsizetype n) { return chained ? checkpoints.at(n) : n; };
    const qsizetype answers = chained ? checkpoints.size() : messages.size();
    {
        std::lock_guard locker(m_mutex);
        m_chained = chained;
        m_pending.clear();
        m_pending.reserve(answers);
        for (qsizetype n = 0; n < answers; ++n)
            m_pending.insert(messages.at(answered(n)).id, answered(n));
        m_acked = QList<bool>(messages.size(), false);
        m_firstError.clear();
        m_refused = false;
        m_outstanding.store(int(answers));
    }
    const QByteArray stream = m_settings.stream.toUtf8();
    QString sendError;
    qsizetype nextAnswered = 0; // index into checkpoints
    for (qsizetype i = 0; i < messages.size() && sendError.isEmpty(); ++i) {
        const RelayMessage &message = messages.at(i);
        natsMsg *msg = nullptr;
        natsStatus status = m_aborted.load() ? NATS_ILLEGAL_STATE
                                             : natsMsg_Create(&msg, message.subject.constData(), nullptr,
                                                              message.body.constData(), int(message.body.size()));
        const bool answer = !chained || (nextAnswered < checkpoints.size() && checkpoints.at(nextAnswered) == i);
        // In a chain the first message names the stream, each later one its predecessor: a message
        // stored anywhere else, or after another publisher's, breaks the chain at once.
        const char *expectedLastId = chained && i > 0 ? messages.at(i - 1).id.constData() : nullptr;
        const char *expectedStream = !chained || i == 0 ? stream.constData() : nullptr;
        if (status == NATS_OK && answer) {
            ++nextAnswered;
            jsPubOptions options;
            jsPubOptions_Init(&options);
            options.MsgId = message.id.constData();
            options.ExpectLastMsgId = expectedLastId;
            options.ExpectStream = expectedStream;
            status = js_PublishMsgAsync(m_jetStream, &msg, &options);
        } else if (status == NATS_OK) {
            // A link without a reply subject: the broker stores it and answers nothing.
            status = natsMsgHeader_Set(msg, kMsgIdHeader, message.id.constData());
            if (status == NATS_OK && expectedLastId)
                status = natsMsgHeader_Set(msg, kExpectedLastIdHeader, expectedLastId);
            if (status == NATS_OK && expectedStream)
                status = natsMsgHeader_Set(msg, kExpectedStreamHeader, expectedStream);
            if (status == NATS_OK)
                status = natsConnection_PublishMsg(m_connection, msg);
        }
        natsMsg_Destroy(msg); // no-op when the client took it
        if (status == NATS_OK)
            continue;
        sendError = m_aborted.load() ? QStringLiteral("the relay is stopping")
                                     : QStringLiteral("publishing %1: %2").arg(QString::fromLatin1(message.id), statusText(status));
        // What was not sent will not be acknowledged.
        std::lock_guard locker(m_mutex);
        for (qsizetype unsent = i; unsent < messages.size(); ++unsent) {
            if (m_pending.remove(messages.at(unsent).id))
                m_outstanding.fetch_sub(1);
        }
    }
    // Waits in short steps, so a connection that breaks ends the wait instead of the timeout.
    const QDeadlineTimer deadline(timeoutMs);
    while (m_outstanding.load() > 0 && !deadline.hasExpired() && connected() && !m_aborted.load()) {
        jsPubOptions wait;
        jsPubOptions_Init(&wait);
        wait.MaxWait = std::min<qint64>(kCompletionStepMs, std::max<qint64>(1, deadline.remainingTime()));
        js_PublishAsyncComplete(m_jetStream, &wait);
    }
    {
        // Whatever is still unanswered is given up: its acknowledgement, should it come, finds no round.
        natsMsgList pending{};
        if (js_PublishAsyncGetPendingList(&pending, m_jetStream) == NATS_OK)
            natsMsgList_Destroy(&pending);
        std::lock_guard locker(m_mutex);
        if (chained) {
            // A stored checkpoint proves every message before it.
            for (qsizetype n = answers - 1; n >= 0 && outcome.acknowledged == 0; --n) {
                if (m_acked.at(checkpoints.at(n)))
                    outcome.acknowledged = checkpoints.at(n) + 1;
            }
        } else {
            while (outcome.acknowledged < m_acked.size() && m_acked.at(outcome.acknowledged))
                ++outcome.acknowledged;
        }
        if (outcome.acknowledged < messages.size()) {
            outcome.refused = m_refused;
            outcome.chainBroken = chained && m_refused;
            outcome.error = !m_firstError.isEmpty() ? m_firstError
                            : !sendError.isEmpty()   ? sendError
                            : connected() ? QStringLiteral("no acknowledgement from NATS within %1 ms").arg(timeoutMs)
                                          : QStringLiteral("the connection to NATS at %1 was lost").arg(m_settings.displayUrl());
        }
        m_pending.clear();
        m_outstanding.store(0);
    }
    return outcome;
}

Result<QByteArray> NatsPublisher::newestId(const QByteArray &idPrefix, int lookBack)
{
    if (!connected())
        return Result<QByteArray>::failure(QStringLiteral("not connected to NATS"));
    const QByteArray stream = m_settings.stream.toUtf8();
    jsStreamInfo *info = nullptr;
    jsErrCode code = jsErrCode(0);
    natsStatus status = js_GetStreamInfo(&info, m_jetStream, stream.constData(), nullptr, &code);
    if (status != NATS_OK)
        return Result<QByteArray>::failure(QStringLiteral("reading the stream %1: %2").arg(m_settings.stream, jetStreamText(status, code)));
    const uint64_t first = info->State.FirstSeq;
    const uint64_t last = info->State.LastSeq;
    jsStreamInfo_Destroy(info);
    // Newest first: the stream is SyncDesk's, so its last message is normally the one.
    for (uint64_t sequence = last; sequence >= first && sequence > 0 && last - sequence < uint64_t(lookBack); --sequence) {
        natsMsg *msg = nullptr;
        code = jsErrCode(0);
        status = js_GetMsg(&msg, m_jetStream, stream.constData(), sequence, nullptr, &code);
        if (status == NATS_NOT_FOUND || code == JSNoMessageFoundErr)
            continue; // deleted
        if (status != NATS_OK)
            return Result<QByteArray>::failure(QStringLiteral("reading message %1 of %2: %3")
                                                   .arg(sequence)
                                                   .arg(m_settings.stream, jetStreamText(status, code)));
        const char *id = nullptr;
        QByteArray found;
        if (natsMsgHeader_Get(msg, kMsgIdHeader, &id) == NATS_OK && id && QByteArray(id).startsWith(idPrefix))
            found = QByteArray(id);
        natsMsg_Destroy(msg);
        if (!found.isEmpty())
            return Result<QByteArray>::success(found);
    }
    return Result<QByteArray>::success(QByteArray());
}

} // namespace syncdesk
