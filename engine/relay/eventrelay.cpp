#include "relay/eventrelay.h"

#include "core/logging.h"
#include "database/connectionprovider.h"
#include "database/sql.h"

#include <QRandomGenerator>

#include <libpq-fe.h>

namespace syncdesk {

namespace {

// A follower looks whether the lock came free, and a leader for batches another instance recorded.
constexpr int kPollMs = 1000;
// How long a round waits for the broker's acknowledgements.
constexpr int kAckTimeoutMs = 10000;
// A drain yields to the thread's events (stop, status) after this long.
constexpr int kSliceMs = 250;
constexpr int kLagRefreshMs = 500;
// After a chain broke (a stream shared with another publisher), rounds are acknowledged message by
// message for this long.
constexpr int kEachMessageAfterBrokenChainMs = 10000;

} // namespace

EventRelay::EventRelay(RelaySettings settings, std::shared_ptr<ConnectionProvider> connections, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_connections(std::move(connections))
    , m_publisher(std::make_unique<NatsPublisher>(m_settings))
{
    m_status.configured = !m_settings.url.trimmed().isEmpty();
    m_status.enabled = m_settings.active();
    m_status.server = m_settings.displayUrl();
    m_status.stream = m_settings.stream;
}

EventRelay::~EventRelay() = default;

void EventRelay::start()
{
    m_running = true;
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &EventRelay::drain);
    qCInfo(lcRelay).noquote() << "relaying events to" << m_status.server << "stream" << m_settings.stream << "on"
                              << m_settings.subjectPrefix + QStringLiteral(".<entity>.<kind>");
    schedule(0);
}

void EventRelay::interrupt()
{
    m_running.store(false);
    m_publisher->abort();
}

void EventRelay::stop()
{
    m_running.store(false);
    if (m_timer)
        m_timer->stop();
    m_publisher->disconnect();
    if (m_leaderPid != 0) {
        if (auto db = m_connections->database())
            RelayQueue(db.value()).resign();
        m_leaderPid = 0;
    }
    m_status.connected = false;
    m_status.leader = false;
    emitStatus();
}

void EventRelay::wake()
{
    // Every committed batch calls this; one queued call at a time is enough.
    if (m_wakeQueued.exchange(true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this]() {
            m_wakeQueued.store(false);
            if (m_running && m_backoffUntil.hasExpired())
                schedule(0);
        },
        Qt::QueuedConnection);
}

void EventRelay::schedule(int ms)
{
    if (!m_timer->isActive() || m_timer->remainingTime() > ms)
        m_timer->start(ms);
}

void EventRelay::drain()
{
    if (!m_running)
        return;
    auto db = m_connections->database();
    if (!db) {
        m_leaderPid = 0;
        m_status.leader = false;
        backOff(db.error(), false);
        return;
    }
    RelayQueue queue(db.value());
    if (!lead(queue)) {
        refreshLag(queue, false);
        schedule(kPollMs);
        return;
    }
    if (!m_publisher->connected() && !connectBroker()) {
        refreshLag(queue, true);
        return;
    }
    QElapsedTimer slice;
    slice.start();
    for (;;) {
        const Round round = publishRound(queue);
        if (round == Round::Failed) {
            refreshLag(queue, true);
            return;
        }
        if (round == Round::Empty)
            break;
        if (slice.elapsed() > kSliceMs) {
            refreshLag(queue, false);
            schedule(0);
            return;
        }
    }
    if (!m_status.problem.isEmpty())
        qCInfo(lcRelay) << "events reach the broker again";
    m_failures = 0;
    m_status.problem.clear();
    refreshLag(queue, true);
    schedule(kPollMs);
}

bool EventRelay::lead(RelayQueue &queue)
{
    auto db = m_connections->database();
    const int pid = db ? PQbackendPID(sql::pgConnection(db.value())) : 0;
    if (m_leaderPid != 0 && pid == m_leaderPid)
        return true;
    // A new session (a reconnect) holds no lock, whatever the old one held.
    m_leaderPid = 0;
    auto locked = queue.lead();
    if (!locked)
        m_status.problem = locked.error();
    if (!locked || !locked.value()) {
        if (m_status.leader)
            qCInfo(lcRelay) << "another SyncDesk publishes this database's events now";
        m_status.leader = false;
        m_status.connected = false;
        m_publisher->disconnect();
        return false;
    }
    auto source = queue.source();
    if (!source) {
        queue.resign();
        return false;
    }
    m_source = source.value();
    m_leaderPid = pid;
    m_status.leader = true;
    m_recover = true; // whoever published before may have left a round in flight
    qCInfo(lcRelay).noquote() << "this SyncDesk publishes the events of its database (message ids" << m_source + "-...)";
    return true;
}

bool EventRelay::connectBroker()
{
    if (Status connected = m_publisher->connect(); !connected) {
        m_status.connected = false;
        backOff(connected.error(), false);
        return false;
    }
    qCInfo(lcRelay).noquote() << "connected to NATS at" << m_status.server;
    m_status.connected = true;
    m_recover = true; // a round cut short by the old connection may be partly in the stream
    emitStatus();
    return true;
}

QList<RelayMessage> EventRelay::messagesOf(const QList<RelayQueue::Batch> &batches, QList<qsizetype> &ends) const
{
    QList<RelayMessage> messages;
    const QByteArray prefix = m_settings.subjectPrefix.toUtf8() + '.';
    for (const RelayQueue::Batch &batch : batches) {
        const QByteArray idPrefix = m_source + '-' + QByteArray::number(batch.seq) + '-';
        int index = 0;
        qsizetype from = 0;
        while (from < batch.events.size()) {
            qsizetype end = batch.events.indexOf('\n', from);
            if (end < 0)
                end = batch.events.size();
            const QByteArrayView line = QByteArrayView(batch.events).sliced(from, end - from);
            from = end + 1;
            const qsizetype tab = line.indexOf('\t');
            if (tab <= 0 || line.size() < tab + 3 || line.at(tab + 1) != '{')
                continue; // an empty line (the last one)
            RelayMessage message;
            message.subject = prefix + line.first(tab).toByteArray();
            message.id = idPrefix + QByteArray::number(index++);
            // The id goes first in the document: {"id":"...", then the recorded keys.
            message.body.reserve(line.size() + message.id.size() + 10);
            message.body += "{\"id\":\"";
            message.body += message.id;
            message.body += "\",";
            message.body += line.sliced(tab + 2);
            messages << message;
        }
        ends << messages.size();
    }
    return messages;
}

EventRelay::Round EventRelay::publishRound(RelayQueue &queue)
{
    auto inFlight = queue.inFlight();
    if (!inFlight) {
        backOff(inFlight.error(), false);
        return Round::Failed;
    }
    QList<RelayQueue::Batch> round = inFlight.value();
    const bool takenUp = !round.isEmpty(); // sent before, perhaps partly stored
    const bool lookUp = takenUp && m_recover;
    if (round.isEmpty()) {
        auto next = queue.next(roundEvents);
        if (!next) {
            backOff(next.error(), false);
            return Round::Failed;
        }
        if (next->isEmpty())
            return Round::Empty;
        round = next.value();
        QList<qint64> seqs;
        for (const RelayQueue::Batch &batch : std::as_const(round))
            seqs << batch.seq;
        if (Status noted = queue.markInFlight(seqs); !noted) {
            backOff(noted.error(), false);
            return Round::Failed;
        }
    }
    QList<qsizetype> ends;
    const QList<RelayMessage> messages = messagesOf(round, ends);
    qsizetype skip = 0;
    if (lookUp) {
        // The broker stores one connection's messages in order: the newest of ours it holds tells
        // how far the interrupted round got.
        auto newest = m_publisher->newestId(m_source + '-');
        if (!newest) {
            backOff(newest.error(), true);
            return Round::Failed;
        }
        for (qsizetype i = 0; i < messages.size(); ++i) {
            if (messages.at(i).id == newest.value())
                skip = i + 1;
        }
        qCInfo(lcRelay) << "taking up a round of" << messages.size() << "events of which the stream already holds" << skip;
    }
    m_recover = false;
    // Chained (one answer per batch) unless the round was sent before (the stream may hold some of
    // it, and a duplicate proves no chain) or a chain broke lately (another publisher shares the
    // stream, or it refuses).
    const bool chained = !takenUp && m_chainFrom.hasExpired();
    PublishOutcome outcome;
    if (skip < messages.size() && chained) {
        QList<qsizetype> checkpoints;
        for (const qsizetype end : std::as_const(ends)) {
            if (end > 0 && (checkpoints.isEmpty() || checkpoints.constLast() != end - 1))
                checkpoints << end - 1;
        }
        outcome = m_publisher->publishChained(messages, checkpoints, kAckTimeoutMs);
    } else if (skip < messages.size()) {
        outcome = m_publisher->publish(messages.mid(skip), kAckTimeoutMs);
    }
    const qsizetype stored = skip + (outcome.error.isEmpty() ? messages.size() - skip : outcome.acknowledged);

    QList<qint64> done, remaining;
    qint64 doneEvents = 0;
    for (qsizetype i = 0; i < round.size(); ++i) {
        const qsizetype begin = i == 0 ? 0 : ends.at(i - 1);
        if (ends.at(i) <= stored) {
            done << round.at(i).seq;
            doneEvents += ends.at(i) - begin;
        } else {
            remaining << round.at(i).seq;
        }
    }
    if (Status moved = queue.published(done, doneEvents, remaining); !moved) {
        m_recover = true; // acknowledged but not noted: the stream says so next time
        backOff(moved.error(), false);
        return Round::Failed;
    }
    if (doneEvents > 0)
        m_status.lastPublishedAt = QDateTime::currentDateTimeUtc();
    if (outcome.chainBroken) {
        // Not an outage: the stream holds a prefix of the round (a chain stores nothing after a
        // broken link), which a look-up finds; the rest goes message by message for a while.
        qCInfo(lcRelay).noquote() << "the broker's answers prove no chain past event" << stored << "of" << messages.size()
                                  << QStringLiteral("(%1); looking the round up in the stream").arg(outcome.error);
        m_recover = true;
        m_chainFrom = QDeadlineTimer(kEachMessageAfterBrokenChainMs);
        return Round::Published;
    }
    if (!outcome.error.isEmpty()) {
        // No answer: after a reconnect the stream tells what it holds. A refusal: the events from
        // the refused one on are sent again (those the broker already stored are dropped as duplicates).
        m_recover = !outcome.refused;
        backOff(QStringLiteral("the broker did not take event %1 of %2: %3")
                    .arg(stored + 1)
                    .arg(messages.size())
                    .arg(outcome.error),
                !outcome.refused);
        return Round::Failed;
    }
    return Round::Published;
}

void EventRelay::backOff(const QString &problem, bool disconnect)
{
    ++m_failures;
    const int base = std::min(30000, 500 << std::min(m_failures - 1, 6));
    const int delay = int(base * (0.8 + 0.4 * QRandomGenerator::global()->generateDouble()));
    if (disconnect) {
        m_publisher->disconnect();
        m_status.connected = false;
        m_recover = true;
    }
    if (problem != m_status.problem)
        qCWarning(lcRelay).noquote() << problem << "- trying again in" << delay << "ms; events wait in the database";
    m_status.problem = problem;
    m_backoffUntil = QDeadlineTimer(delay);
    m_timer->start(delay);
    emitStatus();
}

void EventRelay::refreshLag(RelayQueue &queue, bool now)
{
    if (!now && m_lagRefreshed.isValid() && m_lagRefreshed.elapsed() < kLagRefreshMs)
        return;
    m_lagRefreshed.start();
    if (auto lag = queue.lag()) {
        m_status.lagEvents = lag->events;
        m_status.lagSeconds = lag->oldestSeconds;
        m_status.published = lag->published;
        m_status.expiredEvents = lag->expired;
        if (lag->publishedAt.isValid())
            m_status.lastPublishedAt = lag->publishedAt;
    }
    emitStatus();
}

void EventRelay::emitStatus()
{
    Q_EMIT statusChanged(m_status);
}

} // namespace syncdesk
