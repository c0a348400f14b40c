#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace syncdesk {

// Who may do what through the REST API: viewers read, agents act on conversations, tickets and
// conflicts, admins also run checks and retries, manage keys and read the audit log. Ordered: each
// role can do everything the ones before it can.
enum class Role
{
    Viewer = 1,
    Agent = 2,
    Admin = 3,
};

std::optional<Role> roleFromName(const QString &name);
QString roleName(Role role);
const QStringList &roleNames();

} // namespace syncdesk
