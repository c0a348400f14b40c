#pragma once

#include "sync/liveevent.h"
#include "sync/operationresult.h"
#include "sync/syncconnections.h"

#include <QString>

#include <functional>

namespace syncdesk {

class RelayJournal;

// One person-initiated operation as one transaction (two when the dashboard has its own database,
// see SyncTransaction), tagged with its origin so the change is not
// captured again. Such an operation races the workers for the same rows; when PostgreSQL picks it
// as the victim of a deadlock or serialization failure it runs again (a few times). The body puts
// the live events of what it did into the list it is given; they are announced once the transaction
// has committed. Those of a failed attempt are dropped, so nothing is announced twice, and a failed
// operation announces nothing. With a `journal`, the events are recorded for the event relay in
// the transaction itself.
class OperationTransaction
{
public:
    using Body = std::function<OperationResult(LiveEvents &live)>;

    static OperationResult run(SyncConnections &db, const QString &origin, const LiveEventSink &announce,
                               const Body &body, const RelayJournal *journal = nullptr);

    static bool isLockConflict(const QString &error);

private:
    static OperationResult runOnce(SyncConnections &db, const QString &origin, const Body &body, LiveEvents &live,
                                   const RelayJournal *journal);
};

} // namespace syncdesk
