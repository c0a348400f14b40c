#pragma once

#include "auth/role.h"

#include <QString>

namespace syncdesk::api {

// What a route needs. The table in permissions.cpp says which role has which: the one place.
enum class Permission
{
    Public,        // no credentials at all (GET /api/sync/health)
    Read,          // status, metrics, conflicts, events, search, reports, the live stream
    ActOnRecords,  // analyse, create and link tickets, change ticket status, sync a user, settle conflicts
    Administer,    // consistency checks, retries of dead events, API keys, the audit log
};

class Permissions
{
public:
    static bool allows(Role role, Permission permission);
    // The least role that has `permission` (for error messages and the OpenAPI description).
    static Role leastRole(Permission permission);
    static QString name(Permission permission);
};

} // namespace syncdesk::api
