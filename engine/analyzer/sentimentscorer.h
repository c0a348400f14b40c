#pragma once

#include "analyzer/lexicon.h"
#include "analyzer/tokenizer.h"

#include <QStringView>

#include <vector>

namespace syncdesk {

// Lexicon sentiment of one message with negation ("not happy", "never arrived"), intensifiers,
// capitals and exclamation marks, and damped when the anger is about a third party (the courier,
// the customer's bank) rather than about us.
class SentimentScorer
{
public:
    struct Input
    {
        QStringView text;
        const std::vector<Token> *tokens = nullptr;
        const std::vector<const Lexicon::WordInfo *> *infos = nullptr;
        const std::vector<int> *sentenceOf = nullptr;      // sentence index of each token
        const std::vector<quint8> *thirdParty = nullptr;   // per sentence: mentions a third party
        const std::vector<quint8> *secondPerson = nullptr; // per sentence: addresses us
        int frustrationPhrases = 0;
    };
    struct Output
    {
        float score = 0.0f; // -1..1
        bool thirdPartyAnger = false;
        bool unmetExpectation = false; // "never arrived", "hasn't been credited", "didn't work"
        int praise = 0;     // positive words that are not negated ("great", "love", "thanks", 👏)
        int complaints = 0; // negative words, including negated positive ones
    };

    static Output score(const Input &input);
    // Whether token `index` is negated by one of the `window` tokens before it in its sentence.
    static bool negated(const Input &input, int index, int window);
};

} // namespace syncdesk
