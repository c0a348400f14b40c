#include "analyzer/conversationreader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace syncdesk {

Result<LabelledConversation> ConversationReader::parseLine(const QByteArray &line)
{
    using R = Result<LabelledConversation>;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        return R::failure(
            QStringLiteral("not valid JSON (%1 at offset %2)").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return R::failure(QStringLiteral("not a JSON object"));
    const QJsonObject object = document.object();
    LabelledConversation conversation;
    const QJsonValue id = object.value(QLatin1String("id"));
    if (id.isString())
        conversation.id = id.toString();
    else if (id.isDouble())
        conversation.id = QString::number(qint64(id.toDouble()));
    else if (!id.isUndefined() && !id.isNull())
        return R::failure(QStringLiteral("\"id\" is neither a string nor a number"));
    const QJsonValue messages = object.value(QLatin1String("messages"));
    if (!messages.isArray())
        return R::failure(QStringLiteral("\"messages\" is missing or not an array"));
    int index = 0;
    for (const QJsonValue &value : messages.toArray()) {
        ++index;
        if (!value.isObject())
            return R::failure(QStringLiteral("message %1 is not an object").arg(index));
        const QJsonObject message = value.toObject();
        const auto role = AnalyzedMessage::roleFromString(message.value(QLatin1String("role")).toString());
        if (!role)
            return R::failure(
                QStringLiteral("message %1 has no known role (customer, assistant, agent, system)")
                    .arg(index));
        QJsonValue content = message.value(QLatin1String("content"));
        if (content.isUndefined())
            content = message.value(QLatin1String("text"));
        if (!content.isString() && !content.isNull() && !content.isUndefined())
            return R::failure(QStringLiteral("message %1 has a content that is not text").arg(index));
        conversation.messages.append({*role, content.toString(), QDateTime()});
    }
    conversation.labels = object.value(QLatin1String("labels")).toObject();
    // The blind sets name style and business beside the labels: read them as labels.style and
    // labels.group (a business's conversations stay in one cross-validation fold).
    if (!conversation.labels.contains(QLatin1String("style")) &&
        object.value(QLatin1String("style")).isString())
        conversation.labels.insert(QStringLiteral("style"), object.value(QLatin1String("style")));
    if (!conversation.labels.contains(QLatin1String("group")) &&
        object.value(QLatin1String("business")).isString())
        conversation.labels.insert(QStringLiteral("group"), object.value(QLatin1String("business")));
    const QJsonValue ticket = conversation.labels.value(QLatin1String("ticket"));
    if (ticket.isBool())
        conversation.ticket = ticket.toBool();
    else if (!ticket.isUndefined() && !ticket.isNull())
        return R::failure(QStringLiteral("labels.ticket is not true or false"));
    const QJsonValue category = conversation.labels.value(QLatin1String("category"));
    if (category.isString()) {
        conversation.category = Analysis::categoryFromName(category.toString());
        if (!conversation.category)
            return R::failure(
                QStringLiteral("labels.category '%1' is not a category").arg(category.toString()));
    }
    for (const QJsonValue &signal : conversation.labels.value(QLatin1String("signals")).toArray())
        conversation.expectedSignals << signal.toString();
    return R::success(conversation);
}

Result<ConversationReader::FileContent> ConversationReader::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<FileContent>::failure(
            QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    FileContent content;
    int number = 0;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        ++number;
        if (line.trimmed().isEmpty())
            continue;
        auto parsed = parseLine(line);
        if (parsed)
            content.conversations.append(std::move(parsed).value());
        else
            content.errors << QStringLiteral("line %1: %2").arg(number).arg(parsed.error());
    }
    return Result<FileContent>::success(content);
}

} // namespace syncdesk
