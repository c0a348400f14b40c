#pragma once

#include "analyzer/conversationreader.h"

#include <random>

namespace syncdesk::tools {

// Training copies of conversations as help lines and chat logs show them: the customer's turns
// only, with greetings, identity-check answers, "ok"s and thanks around the request. A copy keeps
// its labels, so the model learns that those turns say nothing about the need (a long chat is not a
// reason for a ticket). The turns are SyncDesk's own list, kept apart from anything it is measured on.
class ChatPadding
{
public:
    // `conversation` with its customer's turns only, and padding turns before, between and after.
    static LabelledConversation padded(const LabelledConversation &conversation, std::mt19937 &random);
};

} // namespace syncdesk::tools
