#pragma once

#include "sync/operationresult.h"
#include "sync/batchprocessor.h"
#include "sync/conversationanalysishandler.h"
#include "sync/conversationtickets.h"
#include "sync/liveevent.h"

#include <QString>

#include <functional>
#include <memory>

namespace syncdesk {

class ConnectionProvider;

// The engine's C++ API for the things people ask for: sync a user now, make a ticket out of a
// conversation, link one, change a ticket's status with everything that follows. Blocking; each call
// is one transaction on the calling thread's connections (never call it on the GUI thread). Changes
// made here carry the origin tag, so they are applied to both sides now rather than captured.
class SyncOperations
{
public:
    SyncOperations(std::shared_ptr<ConnectionProvider> backend, std::shared_ptr<ConnectionProvider> dashboard,
                   std::function<SyncContext()> context);

    OperationResult syncUserData(qint64 userId, LiveEvents &live);
    OperationResult syncConversationToTicket(qint64 conversationId, LiveEvents &live);
    OperationResult createTicketFromConversation(qint64 conversationId, const TicketDraft &draft, const QString &actor,
                                                 LiveEvents &live);
    OperationResult linkConversationToTicket(qint64 conversationId, qint64 dashboardTicketId, const QString &actor,
                                             LiveEvents &live);
    OperationResult handleTicketStatusChange(qint64 dashboardTicketId, const QString &status, const QString &actor,
                                             LiveEvents &live);

    // The analysis of a conversation (stored in sync.analyses); does not create a ticket.
    OperationResult analyzeConversationForTicket(qint64 conversationId, LiveEvents &live);
    // Whether the conversation should become a ticket at `threshold`, with the analysis that says so.
    OperationResult shouldCreateTicketFromConversation(qint64 conversationId, double threshold, LiveEvents &live);
    void setAnalysis(std::shared_ptr<ConversationAnalysisHandler> analysis) { m_analysis = std::move(analysis); }

    static bool isTicketStatus(const QString &status);

private:
    OperationResult inTransaction(const QString &origin, LiveEvents &live,
                                  const std::function<OperationResult(SyncConnections &)> &body);

    std::shared_ptr<ConnectionProvider> m_backend;
    std::shared_ptr<ConnectionProvider> m_dashboard;
    std::function<SyncContext()> m_context;
    std::shared_ptr<ConversationAnalysisHandler> m_analysis;
};

} // namespace syncdesk
