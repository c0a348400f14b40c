#pragma once

#include <QJsonObject>
#include <QString>

namespace syncdesk {

// The result of an engine API call (createTicketFromConversation, syncUserData, ...): success, the id
// of the entity it is about, or why not. The kind tells the REST layer which HTTP status to send.
struct OperationResult
{
    enum class Failure { None, NotFound, Conflict, InvalidInput, Unavailable, Failed };

    bool success = false;
    qint64 entityId = 0;
    QString error;
    Failure failure = Failure::None;
    QJsonObject data; // both sides' ids and whatever else the caller needs

    static OperationResult ok(qint64 entityId, QJsonObject data = {})
    {
        return {true, entityId, QString(), Failure::None, std::move(data)};
    }
    static OperationResult fail(Failure failure, QString error)
    {
        return {false, 0, std::move(error), failure, QJsonObject()};
    }
};

} // namespace syncdesk
