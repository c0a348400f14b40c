#pragma once

#include "core/result.h"
#include "demo/demooptions.h"

#include <QSqlDatabase>

namespace syncdesk {

struct DemoSeedReport
{
    bool seeded = false; // false: the database already had data and was left alone
    int customers = 0;
    int conversations = 0;
    int messages = 0;
    int tickets = 0;
};

// Fills an empty pair of systems with a believable, already-synchronised data set: customers on both
// sides (a few only on one, as if just signed up), AI conversations with several turns, tickets in
// every status with their activity, and the links between them. Written with the engine's origin tag
// so it is not captured as changes. Does nothing when the backend already has users.
class DemoSeeder
{
public:
    explicit DemoSeeder(DemoOptions options);
    // `backend` holds the backend and sync schemas; `dashboard` the dashboard schema (may be the same
    // database).
    Result<DemoSeedReport> seed(QSqlDatabase &backend, QSqlDatabase &dashboard) const;

private:
    DemoOptions m_options;
};

} // namespace syncdesk
