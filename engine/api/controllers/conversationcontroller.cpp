#include "api/controllers/conversationcontroller.h"

#include "service/datasyncservice.h"
#include "sync/conversationtickets.h"

namespace syncdesk::api {

void ConversationController::addRoutes(Router &router)
{
    router.add({"POST", QStringLiteral("/api/sync/conversations/{conversation_id}/analyze"), QStringLiteral("conversations.analyze"),
                Permission::ActOnRecords, true, false, {}, [this](const ApiRequest &request) { return analyze(request); }});
    router.add({"POST", QStringLiteral("/api/sync/conversations/{conversation_id}/create-ticket"),
                QStringLiteral("conversations.create_ticket"), Permission::ActOnRecords, true, false, {},
                [this](const ApiRequest &request) { return createTicket(request); }});
    router.add({"POST", QStringLiteral("/api/sync/conversations/{conversation_id}/link-ticket/{ticket_id}"),
                QStringLiteral("conversations.link_ticket"), Permission::ActOnRecords, true, false, {},
                [this](const ApiRequest &request) { return linkTicket(request); }});
}

ApiResponse ConversationController::analyze(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody({QStringLiteral("threshold")});
    const auto threshold = json::number(body, QStringLiteral("threshold"), 0.0, 1.0);
    const qint64 conversation = request.id(QStringLiteral("conversation_id"));
    SyncOperations &operations = engine().operations();
    const OperationResult result = threshold ? operations.shouldCreateTicketFromConversation(conversation, *threshold)
                                             : operations.analyzeConversationForTicket(conversation);
    return respond(result);
}

ApiResponse ConversationController::createTicket(const ApiRequest &request) const
{
    const QJsonObject body = request.jsonBody(
        {QStringLiteral("subject"), QStringLiteral("description"), QStringLiteral("priority"), QStringLiteral("category")});
    TicketDraft draft;
    draft.subject = json::string(body, QStringLiteral("subject"), false, 500);
    draft.description = json::string(body, QStringLiteral("description"), false, 20000);
    draft.priority = json::string(body, QStringLiteral("priority"), false, 32);
    draft.category = json::string(body, QStringLiteral("category"), false, 64);
    if (!draft.priority.isEmpty() && !ConversationTickets::isPriority(draft.priority))
        throw ApiError::badRequest(QStringLiteral("'priority' must be one of low, normal, high, urgent"), QStringLiteral("invalid_body"));
    const OperationResult result = engine().operations().createTicketFromConversation(
        request.id(QStringLiteral("conversation_id")), draft, request.actor());
    if (!result.success && result.failure == OperationResult::Failure::Conflict)
        throw ApiError::conflict(QStringLiteral("%1; its ticket ids are in details").arg(result.error), result.data);
    return respond(result, 201);
}

ApiResponse ConversationController::linkTicket(const ApiRequest &request) const
{
    request.jsonBody({});
    const OperationResult result = engine().operations().linkConversationToTicket(
        request.id(QStringLiteral("conversation_id")), request.id(QStringLiteral("ticket_id")), request.actor());
    return respond(result);
}

} // namespace syncdesk::api
