#pragma once

#include "sync/batchprocessor.h"
#include "sync/conversationanalysishandler.h"
#include "sync/conversationtickets.h"
#include "sync/liveevent.h"
#include "sync/operationresult.h"

#include <QString>

#include <functional>
#include <memory>

namespace syncdesk {

class ConnectionProvider;

// The engine's C++ API for the things people ask for: sync a user now, make a ticket out of a
// conversation, link one, change a ticket's status with everything that follows. Blocking; each call
// is one transaction on the calling thread's connections (never call it on the GUI thread). Changes
// made here carry the origin tag, so they are applied to both sides now rather than captured; what
// they did is announced to `announce` once committed (the caller need not pass anything on).
class SyncOperations
{
public:
    SyncOperations(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                   std::function<SyncContext()> context, LiveEventSink announce);

    OperationResult syncUserData(qint64 userId);
    OperationResult syncConversationToTicket(qint64 conversationId);
    OperationResult createTicketFromConversation(qint64 conversationId, const TicketDraft &draft, const QString &actor);
    OperationResult linkConversationToTicket(qint64 conversationId, qint64 dashboardTicketId, const QString &actor);
    OperationResult handleTicketStatusChange(qint64 dashboardTicketId, const QString &status, const QString &actor);

    // The analysis of a conversation (stored in sync.analyses); does not create a ticket.
    OperationResult analyzeConversationForTicket(qint64 conversationId);
    // Whether the conversation should become a ticket at `threshold`, with the analysis that says so.
    OperationResult shouldCreateTicketFromConversation(qint64 conversationId, double threshold);
    void setAnalysis(std::shared_ptr<ConversationAnalysisHandler> analysis) { m_analysis = std::move(analysis); }

    static bool isTicketStatus(const QString &status);

private:
    // Runs `body` as one operation (OperationTransaction) on this thread's connections; `body` works
    // through the handler context of a processor made for it, on behalf of `actor`.
    OperationResult inTransaction(const QString &origin, const QString &actor,
                                  const std::function<OperationResult(HandlerContext &)> &body);

    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    std::function<SyncContext()> m_context;
    LiveEventSink m_announce;
    std::shared_ptr<ConversationAnalysisHandler> m_analysis;
};

} // namespace syncdesk
