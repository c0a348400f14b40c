#include "api/connectionregistry.h"

#include "api/connectionguard.h"

namespace syncdesk::api {

namespace {
// A connection younger than this is not evicted: a burst of new clients must not evict each other.
constexpr qint64 kMinEvictionAgeMs = 500;
} // namespace

ConnectionRegistry::ConnectionRegistry(int maxConnections, int maxPerClient)
    : m_maxConnections(maxConnections)
    , m_maxPerClient(maxPerClient)
{
}

QString ConnectionRegistry::clientKey(const QHostAddress &address)
{
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; count it as a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : address.toString();
}

ConnectionRegistry::Admission ConnectionRegistry::admit(const QString &client)
{
    QMutexLocker locker(&m_mutex);
    if (m_open >= m_maxConnections)
        return Admission::TooMany; // counted by the caller once no connection made room
    int &fromClient = m_perClient[client];
    if (fromClient >= m_maxPerClient) {
        ++m_refusals[QStringLiteral("too_many_connections_from_client")];
        return Admission::TooManyFromClient;
    }
    ++fromClient;
    ++m_open;
    return Admission::Accepted;
}

void ConnectionRegistry::release(const QString &client)
{
    QMutexLocker locker(&m_mutex);
    auto it = m_perClient.find(client);
    if (it == m_perClient.end())
        return;
    if (--it.value() <= 0)
        m_perClient.erase(it);
    --m_open;
}

void ConnectionRegistry::add(ConnectionGuard *guard)
{
    QMutexLocker locker(&m_mutex);
    m_guards.append(guard);
}

void ConnectionRegistry::remove(ConnectionGuard *guard)
{
    QMutexLocker locker(&m_mutex);
    m_guards.removeOne(guard);
}

QList<ConnectionGuard *> ConnectionRegistry::guards() const
{
    QMutexLocker locker(&m_mutex);
    return m_guards;
}

void ConnectionRegistry::count(const QString &reason)
{
    QMutexLocker locker(&m_mutex);
    ++m_refusals[reason];
}

void ConnectionRegistry::refused(const QString &reason, const RefusedRequest &request)
{
    count(reason);
    if (m_refusalObserver)
        m_refusalObserver(request);
}

void ConnectionRegistry::setRefusalObserver(std::function<void(const RefusedRequest &)> observer)
{
    m_refusalObserver = std::move(observer);
}

bool ConnectionRegistry::evictOne(qint64 nowMs)
{
    ConnectionGuard *victim = nullptr;
    qint64 oldest = kMinEvictionAgeMs - 1;
    for (ConnectionGuard *guard : guards()) {
        if (const qint64 age = guard->evictionAge(nowMs); age > oldest) {
            oldest = age;
            victim = guard;
        }
    }
    if (!victim)
        return false;
    victim->evict();
    return true;
}

QMap<QString, qint64> ConnectionRegistry::refusals() const
{
    QMutexLocker locker(&m_mutex);
    return m_refusals;
}

int ConnectionRegistry::open() const
{
    QMutexLocker locker(&m_mutex);
    return m_open;
}

} // namespace syncdesk::api
