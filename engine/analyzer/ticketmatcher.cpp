#include "analyzer/ticketmatcher.h"

#include <algorithm>
#include <tuple>

namespace syncdesk {

std::optional<TicketMatcher::Match>
TicketMatcher::match(const QList<OpenTicket> &tickets, const ConversationFeatures &features,
                     TicketCategory category, const QList<ExtractedEntity> &entities, const Lexicon &lexicon)
{
    std::optional<Match> best;
    std::tuple<bool, bool, double, QDateTime, qint64> bestKey;
    std::vector<Token> tokens;
    for (const OpenTicket &ticket : tickets) {
        bool sharedEntity = false;
        for (const ExtractedEntity &entity : entities) {
            if (entity.type != QLatin1String("amount") && !entity.value.isEmpty() &&
                ticket.subject.contains(entity.value, Qt::CaseInsensitive))
                sharedEntity = true;
        }
        tokens.clear();
        Tokenizer::tokenize(ticket.subject, tokens);
        std::vector<quint64> words;
        for (const Token &token : tokens) {
            const Lexicon::WordInfo *info = lexicon.find(token.hash);
            if (token.letters >= 3 && !(info && (info->flags & Lexicon::EnglishStopword)))
                words.push_back(token.hash);
        }
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
        std::size_t shared = 0;
        for (quint64 word : words) {
            if (std::binary_search(features.contentWords.begin(), features.contentWords.end(), word))
                ++shared;
        }
        // Containment: how much of the ticket's subject the conversation talks about.
        const double containment = words.empty() ? 0.0 : double(shared) / double(words.size());
        const bool sameCategory = ticket.category == Analysis::categoryName(category);
        const bool matches = sharedEntity || (sameCategory && shared >= 1 && containment >= 0.34) ||
                             (shared >= 2 && containment >= 0.6);
        if (!matches)
            continue;
        const auto key =
            std::make_tuple(sharedEntity, sameCategory, containment, ticket.createdAt, ticket.id);
        if (!best || key > bestKey) {
            bestKey = key;
            QString reason =
                sharedEntity
                    ? QStringLiteral("shares an order number, e-mail or error code with open ticket #%1")
                    : QStringLiteral("same subject as open ticket #%1");
            best = Match{ticket.id, reason.arg(ticket.id)};
        }
    }
    return best;
}

} // namespace syncdesk
