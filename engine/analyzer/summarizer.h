#pragma once

#include "analyzer/analysis.h"
#include "analyzer/analyzedmessage.h"
#include "analyzer/conversationfeatures.h"

#include <QList>

namespace syncdesk {

// A ticket subject and a short extractive summary, both made of the customer's own sentences (the
// ones that say what they need), so nothing is invented.
class Summarizer
{
public:
    static constexpr int kSubjectChars = 80;
    static constexpr int kSummaryChars = 300;

    static QString subject(const QList<AnalyzedMessage> &messages, const ConversationFeatures &features,
                           TicketCategory category, const QList<ExtractedEntity> &entities);
    static QString summary(const QList<AnalyzedMessage> &messages, const ConversationFeatures &features);

    // Collapses white space and cuts at a word boundary with an ellipsis.
    static QString shorten(QStringView text, int maxChars);
};

} // namespace syncdesk
