#pragma once

#include "analyzer/analyzedmessage.h"
#include "analyzer/conversationfeatures.h"
#include "analyzer/lexicon.h"
#include "analyzer/messagescan.h"

#include <QList>

namespace syncdesk {

// Reads a conversation once: tokens, lexicon hits, sentiment, hashed n-grams of the customer's words
// and the signal vector. Used by the analyzer at run time and by the training tool, so both see
// exactly the same features.
class FeatureExtractor
{
public:
    // Longer messages are analysed up to this many characters (a megabyte of pasted log is not
    // more informative than its start).
    static constexpr int kMaxAnalysedChars = 20000;
    // Very long conversations: the first few and the most recent messages.
    static constexpr int kMaxAnalysedMessages = 200;
    static constexpr int kHeadMessages = 10;

    explicit FeatureExtractor(const Lexicon &lexicon);

    void extract(const QList<AnalyzedMessage> &messages, ConversationFeatures &features) const;

    static quint32 bucketOf(quint64 hash);

private:
    void scanMessage(int index, const AnalyzedMessage &message, ConversationFeatures &features,
                     MessageScan &scan) const;
    void addTextFeatures(int index, QStringView text, const std::vector<Token> &tokens,
                         const std::vector<const Lexicon::WordInfo *> &infos,
                         ConversationFeatures &features) const;

    const Lexicon &m_lexicon;
};

} // namespace syncdesk
