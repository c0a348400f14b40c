#include "sync/relayjournal.h"

#include "database/sql.h"

#include <QJsonDocument>

namespace syncdesk {

namespace {

// The entity an event is about, as the subject names it. Kinds about one entity say so in their
// payload; the others are about a ticket or a conversation by their nature.
QByteArray entityOf(const LiveEvent &event)
{
    QString entity;
    if (event.kind == LiveEventKind::TicketStatus || event.kind == LiveEventKind::TicketCreated)
        entity = QStringLiteral("ticket");
    else if (event.kind == LiveEventKind::ConversationLinked || event.kind == LiveEventKind::Analysis)
        entity = QStringLiteral("conversation");
    else
        entity = event.payload.value(QLatin1String("entity")).toString();
    QByteArray token = entity.toLatin1();
    // A subject token: no dots, spaces or wildcards.
    const bool plain = !token.isEmpty() && std::all_of(token.cbegin(), token.cend(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    return plain ? token : QByteArrayLiteral("unknown");
}

} // namespace

void RelayJournal::setOnRecorded(std::function<void()> wake)
{
    std::lock_guard locker(m_wakeMutex);
    m_wake = std::move(wake);
}

bool RelayJournal::relayed(const QString &kind)
{
    return kind != LiveEventKind::EventFailed && kind != LiveEventKind::TaskFinished;
}

QByteArray RelayJournal::subjectOf(const LiveEvent &event)
{
    return entityOf(event) + '.' + event.kind.toLatin1();
}

QByteArray RelayJournal::lines(const LiveEvents &events, int &count)
{
    count = 0;
    QByteArray out;
    for (const LiveEvent &event : events) {
        if (!relayed(event.kind))
            continue;
        const QByteArray entity = entityOf(event);
        const QByteArray kind = event.kind.toLatin1();
        // Written out rather than through a wrapping QJsonObject: the four keys are plain tokens and
        // a time, and only the payload needs a JSON writer (the engine's CPU per change counts).
        out += entity;
        out += '.';
        out += kind;
        out += "\t{\"at\":\"";
        out += event.at.toUTC().toString(Qt::ISODateWithMs).toLatin1();
        out += "\",\"entity\":\"";
        out += entity;
        out += "\",\"kind\":\"";
        out += kind;
        out += "\",\"payload\":";
        out += QJsonDocument(event.payload).toJson(QJsonDocument::Compact);
        out += "}\n";
        ++count;
    }
    return out;
}

Result<bool> RelayJournal::record(QSqlDatabase &db, const LiveEvents &events) const
{
    if (!recording() || events.isEmpty())
        return Result<bool>::success(false);
    int count = 0;
    const QByteArray text = lines(events, count);
    if (count == 0)
        return Result<bool>::success(false);
    // Sent as a libpq parameter: a batch's events are hundreds of kilobytes, which escaping them
    // into the statement's text would copy three times over.
    if (Status written = sql::execTexts(db, "INSERT INTO sync.relay_batches (event_count, events) VALUES ($1::integer, $2)",
                                        {QByteArray::number(count), text});
        !written)
        return Result<bool>::failure(QStringLiteral("recording events for the relay: %1").arg(written.error()));
    return Result<bool>::success(true);
}

void RelayJournal::committed() const
{
    std::lock_guard locker(m_wakeMutex);
    if (m_wake)
        m_wake();
}

} // namespace syncdesk
