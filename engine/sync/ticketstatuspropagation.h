#pragma once

#include "sync/eventhandler.h"

namespace syncdesk {

// When a ticket's status changes on either side (or through the engine API), the customer's AI
// conversations follow (resolved -> resolved, closed -> closed, reopened -> escalated), the helpdesk
// gets an activity row saying who changed what, and the product a notification for the customer.
class TicketStatusPropagation final : public EventHandler
{
public:
    QString name() const override { return QStringLiteral("ticket-status-propagation"); }
    QList<QPair<QString, QString>> subscriptions() const override
    {
        return {{QStringLiteral("ticket"), QStringLiteral("update")}};
    }
    Status handle(HandlerContext &context, const QList<ReconciledRecord> &records, const OutboxEvents &events) override;

    // The conversation status a ticket status change leads to, or empty for none.
    static QString conversationStatusFor(const QString &oldStatus, const QString &newStatus);
};

} // namespace syncdesk
