#include "streamreader.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>

#include <nats/nats.h>

namespace syncdesk::test {

namespace {

QString text(natsStatus status)
{
    const char *last = nats_GetLastError(nullptr);
    return QString::fromUtf8(last && *last ? last : natsStatus_GetText(status));
}

} // namespace

StreamReader::StreamReader(QString url)
    : m_url(std::move(url))
{
}

StreamReader::~StreamReader()
{
    if (m_jetStream)
        jsCtx_Destroy(m_jetStream);
    if (m_connection)
        natsConnection_Destroy(m_connection);
}

Status StreamReader::connect()
{
    natsStatus status = natsConnection_ConnectTo(&m_connection, m_url.toUtf8().constData());
    if (status == NATS_OK)
        status = natsConnection_JetStream(&m_jetStream, m_connection, nullptr);
    return status == NATS_OK ? Status::success()
                             : Status::failure(QStringLiteral("cannot reach JetStream at %1: %2").arg(m_url, text(status)));
}

Result<quint64> StreamReader::count(const QString &stream)
{
    jsStreamInfo *info = nullptr;
    jsErrCode code = jsErrCode(0);
    const natsStatus status = js_GetStreamInfo(&info, m_jetStream, stream.toUtf8().constData(), nullptr, &code);
    if (status == NATS_NOT_FOUND || code == JSStreamNotFoundErr)
        return Result<quint64>::success(0);
    if (status != NATS_OK)
        return Result<quint64>::failure(text(status));
    const quint64 messages = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return Result<quint64>::success(messages);
}

Result<StreamLimits> StreamReader::limits(const QString &stream)
{
    jsStreamInfo *info = nullptr;
    jsErrCode code = jsErrCode(0);
    const natsStatus status = js_GetStreamInfo(&info, m_jetStream, stream.toUtf8().constData(), nullptr, &code);
    if (status != NATS_OK)
        return Result<StreamLimits>::failure(text(status));
    constexpr qint64 nanoseconds = 1000000000;
    const StreamLimits limits{qint64(info->Config->MaxAge / nanoseconds), qint64(info->Config->Duplicates / nanoseconds)};
    jsStreamInfo_Destroy(info);
    return Result<StreamLimits>::success(limits);
}

Status StreamReader::createStream(const QString &stream, const QString &subjects, const StreamRules &rules)
{
    return defineStream(stream, subjects, rules, false);
}

Status StreamReader::updateStream(const QString &stream, const QString &subjects, const StreamRules &rules)
{
    return defineStream(stream, subjects, rules, true);
}

Status StreamReader::defineStream(const QString &stream, const QString &subjects, const StreamRules &rules, bool update)
{
    const QByteArray name = stream.toUtf8();
    const QByteArray subjectText = subjects.toUtf8();
    const char *subjectList[] = {subjectText.constData()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = name.constData();
    config.Subjects = subjectList;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Discard = js_DiscardNew;
    config.MaxMsgs = rules.maxMessages;
    config.MaxMsgSize = rules.maxMessageSize;
    jsStreamInfo *info = nullptr;
    jsErrCode code = jsErrCode(0);
    const natsStatus status = update ? js_UpdateStream(&info, m_jetStream, &config, nullptr, &code)
                                     : js_AddStream(&info, m_jetStream, &config, nullptr, &code);
    if (info)
        jsStreamInfo_Destroy(info);
    return status == NATS_OK ? Status::success()
                             : Status::failure(QStringLiteral("cannot define the stream %1: %2 (%3)").arg(stream, text(status)).arg(int(code)));
}

Status StreamReader::publish(const QString &subject, const QString &id, const QByteArray &data)
{
    natsMsg *msg = nullptr;
    natsStatus status = natsMsg_Create(&msg, subject.toUtf8().constData(), nullptr, data.constData(), int(data.size()));
    jsPubOptions options;
    jsPubOptions_Init(&options);
    const QByteArray msgId = id.toUtf8();
    options.MsgId = msgId.constData();
    jsPubAck *ack = nullptr;
    jsErrCode code = jsErrCode(0);
    if (status == NATS_OK)
        status = js_PublishMsg(&ack, m_jetStream, msg, &options, &code);
    if (ack)
        jsPubAck_Destroy(ack);
    natsMsg_Destroy(msg);
    return status == NATS_OK ? Status::success()
                             : Status::failure(QStringLiteral("cannot publish %1: %2 (%3)").arg(id, text(status)).arg(int(code)));
}

quint64 StreamReader::waitForCount(const QString &stream, quint64 expected, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    quint64 held = 0;
    for (;;) {
        if (auto counted = count(stream))
            held = counted.value();
        if (held >= expected || deadline.hasExpired())
            return held;
        QThread::msleep(50);
    }
}

Result<QList<StreamMessage>> StreamReader::readAll(const QString &stream, const QString &subjects)
{
    using Messages = Result<QList<StreamMessage>>;
    auto held = count(stream);
    if (!held)
        return Messages::failure(held.error());
    QList<StreamMessage> messages;
    if (held.value() == 0)
        return Messages::success(messages);
    jsSubOptions options;
    jsSubOptions_Init(&options);
    const QByteArray streamName = stream.toUtf8();
    options.Stream = streamName.constData();
    options.Ordered = true;
    natsSubscription *subscription = nullptr;
    natsStatus status = js_SubscribeSync(&subscription, m_jetStream, subjects.toUtf8().constData(), nullptr, &options, nullptr);
    if (status != NATS_OK)
        return Messages::failure(QStringLiteral("cannot read the stream %1: %2").arg(stream, text(status)));
    while (quint64(messages.size()) < held.value()) {
        natsMsg *msg = nullptr;
        status = natsSubscription_NextMsg(&msg, subscription, 10000);
        if (status != NATS_OK)
            break;
        StreamMessage message;
        message.subject = QString::fromUtf8(natsMsg_GetSubject(msg));
        const char *id = nullptr;
        if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id)
            message.id = QString::fromUtf8(id);
        message.data = QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
        message.document = QJsonDocument::fromJson(message.data).object();
        jsMsgMetaData *meta = nullptr;
        if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
            message.storedAtMs = meta->Timestamp / 1000000;
            jsMsgMetaData_Destroy(meta);
        }
        messages << message;
        natsMsg_Destroy(msg);
    }
    natsSubscription_Destroy(subscription);
    if (quint64(messages.size()) < held.value())
        return Messages::failure(QStringLiteral("read %1 of the %2 messages of %3: %4")
                                     .arg(messages.size())
                                     .arg(held.value())
                                     .arg(stream, text(status)));
    return Messages::success(messages);
}

} // namespace syncdesk::test
