#pragma once

#include "analyzer/analysis.h"
#include "sync/batchprocessor.h"
#include "sync/eventhandler.h"

#include <functional>
#include <memory>

namespace syncdesk {

class ConversationAnalyzer;

struct AutoTicketing
{
    double threshold = 0.7;     // SYNC_AUTO_TICKET_THRESHOLD
    bool createTickets = true;  // false: recommend only
    int debounceMs = 3000;      // a conversation still being typed is analysed again at most this often
};

// New and changed AI conversations (and their new messages) are analysed, the result stored in
// sync.analyses, and at or above the threshold the engine creates the ticket on both sides, or links
// the customer's matching open ticket, and marks the conversation escalated. A conversation that keeps
// receiving messages is analysed again after a short pause rather than at every message: the later
// analysis is queued in the outbox itself.
class ConversationAnalysisHandler final : public EventHandler
{
public:
    ConversationAnalysisHandler(std::shared_ptr<const ConversationAnalyzer> analyzer,
                                std::function<SyncContext()> context, AutoTicketing settings);

    QString name() const override { return QStringLiteral("conversation-analysis"); }
    QList<QPair<QString, QString>> subscriptions() const override
    {
        return {{QStringLiteral("conversation"), QStringLiteral("insert")},
                {QStringLiteral("conversation"), QStringLiteral("update")},
                {QStringLiteral("message"), QStringLiteral("insert")},
                {QStringLiteral("message"), QStringLiteral("update")}};
    }
    Status handle(HandlerContext &context, const QList<ReconciledRecord> &records, const OutboxEvents &events) override;

    // Analyses one conversation now (inside the caller's transaction), stores and returns the
    // analysis; with `act`, creates or links the ticket as automatic ticketing would.
    Result<Analysis> analyzeNow(HandlerContext &context, qint64 conversationId, bool act, double threshold);

private:
    struct Conversation;
    Result<QList<Conversation>> load(SyncConnections &db, const QList<qint64> &conversationIds);
    Result<Analysis> analyzeAndStore(HandlerContext &context, const Conversation &conversation, double threshold);
    Status act(HandlerContext &context, const Conversation &conversation, const Analysis &analysis);

    std::shared_ptr<const ConversationAnalyzer> m_analyzer;
    std::function<SyncContext()> m_context;
    AutoTicketing m_settings;
};

} // namespace syncdesk
