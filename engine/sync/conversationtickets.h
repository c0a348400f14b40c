#pragma once

#include "sync/eventhandler.h"
#include "sync/operationresult.h"

#include <QSqlDatabase>
#include <QString>

namespace syncdesk {

// What a new ticket made from a conversation should say; empty parts are derived from the conversation.
struct TicketDraft
{
    QString subject;
    QString description;
    QString priority; // low, normal, high, urgent
    QString category;
};

// Making a ticket out of an AI conversation, and linking a conversation to an existing ticket, inside
// the caller's open transaction (with the origin tag set): used by the engine API and by automatic
// ticketing after an analysis. Both sides and the links are written at once; the customer's
// counterpart is reconciled first through the context's `reconcileNow`. The context's actor is who
// asked (empty: the API).
class ConversationTickets
{
public:
    static OperationResult create(HandlerContext &context, qint64 conversationId, const TicketDraft &draft);
    static OperationResult link(HandlerContext &context, qint64 conversationId, qint64 dashboardTicketId);
    static bool isPriority(const QString &priority);
    // Locks the conversations (in id order) for the rest of the transaction. Read them in a later
    // statement: one that waits for FOR UPDATE re-reads only the locked rows, so its joins would miss
    // the ticket or analysis whoever held the lock committed meanwhile.
    static Status lock(QSqlDatabase &backend, const QList<qint64> &conversationIds);
};

} // namespace syncdesk
