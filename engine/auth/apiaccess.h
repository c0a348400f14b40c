#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

#include <memory>

namespace syncdesk {

class ConnectionProvider;

// Whether the REST API may run in open local mode (no JWT secret and no API key: everyone on this
// machine is admin). Once credentials have existed (a key was created, or the API ran with a JWT
// secret), the API is closed (sync.api_access) and stays closed when they are gone again, until an
// admin reopens it explicitly (`syncdesk --reopen-open-mode`). Both transitions are written to the
// audit log. Blocking; uses the calling thread's connection.
class ApiAccess
{
public:
    struct State
    {
        qint64 activeKeys = 0;
        bool closed = false;
        QDateTime closedAt;
        QString closedBy;
        QString reason;
    };

    explicit ApiAccess(std::shared_ptr<ConnectionProvider> connections);

    Result<State> state();
    // Closes open local mode; true when this call closed it (and audited that).
    Result<bool> close(const QString &actor, const QString &reason);
    // Reopens it; refused while API keys are active. True when it was closed until now (audited).
    Result<bool> reopen(const QString &actor);

private:
    std::shared_ptr<ConnectionProvider> m_connections;
};

} // namespace syncdesk
