#pragma once

#include "analyzer/analysis.h"
#include "analyzer/analysiscontext.h"
#include "analyzer/conversationfeatures.h"
#include "analyzer/lexicon.h"

#include <optional>

namespace syncdesk {

// Decides whether a conversation is about one of the customer's open tickets: a shared order
// number, e-mail or error code, or enough of the ticket's subject words, preferably in the same
// category.
class TicketMatcher
{
public:
    struct Match
    {
        qint64 ticketId = 0;
        QString reason;
    };

    static std::optional<Match> match(const QList<OpenTicket> &tickets, const ConversationFeatures &features,
                                      TicketCategory category, const QList<ExtractedEntity> &entities,
                                      const Lexicon &lexicon);
};

} // namespace syncdesk
