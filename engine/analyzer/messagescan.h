#pragma once

#include "analyzer/analyzedmessage.h"
#include "analyzer/lexicon.h"

#include <array>
#include <vector>

namespace syncdesk {

// What one pass over one message found; SignalBuilder turns the scans of a conversation into signals.
struct MessageScan
{
    AnalyzedMessage::Role role = AnalyzedMessage::Role::Customer;
    int tokenCount = 0;
    std::array<quint8, Lexicon::kGroupCount> groups{}; // phrase hits that are not negated, capped at 255
    float sentiment = 0.0f;                            // -1..1
    int capsWords = 0;
    int punctuationRuns = 0; // "!!", "??", "?!"
    int insults = 0;
    bool question = false;
    bool asksWhy = false; // "why was I charged", "why is my account blocked": something happened
    bool unmetExpectation = false;
    // Praise next to a complaint in one message: "great job, third outage this week 👏", "thanks a
    // lot 🙄". Mostly sarcasm in tweets; now and then relief ("lost my card but the app froze it").
    bool praiseWithProblem = false;
    bool thirdPartyAnger = false;
    bool accountReference = false;
    // An informational phrase comes before any request in the message: "what's your refund policy",
    // "how much is the cancellation fee" ask about a topic, they do not request it.
    bool informationalLead = false;
    // A "but" after the customer said it is settled: "that worked, but now my invoices are gone".
    bool contrastAfterSettling = false;
    std::vector<quint64> contentWords; // sorted, unique; customer messages only

    bool has(Lexicon::Group group) const { return groups[group] > 0; }
};

} // namespace syncdesk
