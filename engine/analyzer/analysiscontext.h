#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace syncdesk {

// An open ticket of the same customer, so the analyzer can suggest linking instead of creating.
struct OpenTicket
{
    qint64 id = 0;
    QString subject;
    QString category; // one of the analyzer's category names, or empty when unknown
    QDateTime createdAt;
};

// What the caller knows beyond the messages: the customer's open tickets and the decision threshold.
struct AnalysisContext
{
    double threshold = 0.7;  // SYNC_AUTO_TICKET_THRESHOLD: create/link at or above it
    double reviewBand = 0.2; // needs_review in [threshold - reviewBand, threshold)
    QList<OpenTicket> openTickets;
};

} // namespace syncdesk
