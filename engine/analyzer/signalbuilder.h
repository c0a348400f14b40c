#pragma once

#include "analyzer/conversationfeatures.h"
#include "analyzer/messagescan.h"

#include <vector>

namespace syncdesk {

// Turns the per-message scans of a conversation into the signal vector and its sentiment: who asked
// for what, whether the assistant failed, whether the customer's last word is still open.
class SignalBuilder
{
public:
    static void build(const std::vector<MessageScan> &scans, ConversationFeatures &features);

    // Share of content words two customer messages have in common (Jaccard).
    static double overlap(const std::vector<quint64> &a, const std::vector<quint64> &b);
};

} // namespace syncdesk
