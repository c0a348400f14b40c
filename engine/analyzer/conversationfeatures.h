#pragma once

#include "analyzer/lexicon.h"
#include "analyzer/signalcatalog.h"

#include <QString>

#include <array>
#include <vector>

namespace syncdesk {

// Everything FeatureExtractor reads out of a conversation: the model's inputs (hashed word and
// character n-grams of the customer's text, the signal vector) and what the analyzer needs to
// explain and summarise. Text positions refer to the messages passed to extract().
struct ConversationFeatures
{
    static constexpr int kHashBits = 18;
    static constexpr quint32 kBuckets = 1u << kHashBits;

    std::vector<quint32> wordBuckets;      // unigrams and bigrams of the customer's words
    std::vector<quint32> charBuckets;      // character 3- to 5-grams of the customer's words
    std::vector<quint32> assistantBuckets; // unigrams of the assistant's and agents' content words
    float wordScale = 0.0f;                // 1/sqrt(count): the text part has unit length
    float charScale = 0.0f;
    float assistantScale = 0.0f; // smaller: the assistant's words are weaker evidence
    // Where each customer turn's n-grams end in wordBuckets and charBuckets, so a turn (or a turn
    // and the one before) can be scored on its own: the request decides, not the greetings,
    // identity checks and "ok"s around it.
    struct Turn
    {
        quint32 wordEnd = 0;
        quint32 charEnd = 0;
        int message = 0; // index in the messages passed to extract()
    };
    std::vector<Turn> turns;
    // The first turn the strongest-turn window may take: the last in which the customer says the
    // matter is settled ("works now", "found it"). The problem told before it was solved in the chat,
    // so it must not decide the score; a problem raised after it still does.
    int openTurn = 0;
    std::array<float, SignalCatalog::kCount> signalValues{};

    double sentiment = 0.0;
    int messageCount = 0;
    int customerMessages = 0;
    int assistantMessages = 0;
    bool truncated = false;  // a message longer than the analysed prefix
    bool unreadable = false; // mostly control characters or replacement characters
    QString language = QStringLiteral("en");
    std::array<int, Lexicon::kGroupCount> customerGroups{}; // phrase hits in the customer's messages

    struct Span
    {
        int message = 0;
        int start = 0;
        int length = 0;
    };
    struct Sentence
    {
        Span span;
        float weight = 0.0f; // how much it says about the customer's need
        bool question = false;
    };
    std::vector<Sentence> sentences; // the customer's, in order
    struct Word
    {
        Span span;
        quint32 bucket = 0;
    };
    std::vector<Word> words;           // the customer's word unigrams, to name the words that moved the score
    std::vector<quint64> contentWords; // hashes of the customer's non-stopwords, sorted and unique
};

} // namespace syncdesk
