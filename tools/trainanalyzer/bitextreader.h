#pragma once

#include "analyzer/conversationreader.h"
#include "core/result.h"

#include <QList>
#include <QString>

namespace syncdesk::tools {

// Reads the Bitext customer-support intent CSV (shared/data/bitext-intent) as one-turn
// conversations, labelled with SyncDesk's reading of its intents (see the README there).
class BitextReader
{
public:
    static Result<QList<LabelledConversation>> read(const QString &path);

    // Whether an intent needs a person or an action on the account, order or money.
    static bool needsTicket(const QString &intent);
    static TicketCategory category(const QString &datasetCategory, const QString &intent);
    // One CSV record split into fields (RFC 4180 quoting).
    static QStringList splitRecord(const QString &line);
};

} // namespace syncdesk::tools
