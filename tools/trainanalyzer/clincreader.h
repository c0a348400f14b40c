#pragma once

#include "analyzer/conversationreader.h"
#include "core/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace syncdesk::tools {

// Reads CLINC150 (shared/data/clinc150: `text,intent,domain`) as one-turn conversations, labelled
// with SyncDesk's reading of its 150 intents (tests/data/README.md has the table). Most of them are
// questions and commands an assistant answers itself: the hard negatives next to the Bitext rows.
class ClincReader
{
public:
    static Result<QList<LabelledConversation>> read(const QString &path);

    // Whether an intent means the customer needs a person or an action on their money or booking.
    static bool needsTicket(const QString &intent);
    // The category where one of SyncDesk's seven clearly applies; none for assistant chores
    // (alarms, music, recipes, car maintenance, ...).
    static std::optional<TicketCategory> category(const QString &intent);
};

} // namespace syncdesk::tools
