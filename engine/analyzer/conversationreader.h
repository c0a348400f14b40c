#pragma once

#include "analyzer/analysis.h"
#include "analyzer/analyzedmessage.h"
#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace syncdesk {

// One line of a conversations file: {"id": ..., "messages": [{"role": ..., "content": ...}],
// "labels": {"ticket": bool, "category": "...", "signals": [...]}}; extra fields are ignored.
struct LabelledConversation
{
    QString id;
    QList<AnalyzedMessage> messages;
    std::optional<bool> ticket;
    std::optional<TicketCategory> category;
    QStringList expectedSignals; // labels.signals: signals a reader expects the analyzer to report
    QJsonObject labels;          // all labels as written (e.g. "language", "result")
};

// Reads conversations in JSON Lines, the format of `syncdesk analyze` and of tests/data/conversations.
class ConversationReader
{
public:
    static Result<LabelledConversation> parseLine(const QByteArray &line);

    struct FileContent
    {
        QList<LabelledConversation> conversations;
        QStringList errors; // "line N: what is wrong", one per skipped line
    };
    // Fails only when the file cannot be read; bad lines are skipped and listed.
    static Result<FileContent> readFile(const QString &path);
};

} // namespace syncdesk
