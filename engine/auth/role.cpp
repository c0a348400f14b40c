#include "auth/role.h"

namespace syncdesk {

std::optional<Role> roleFromName(const QString &name)
{
    if (name == QLatin1String("viewer"))
        return Role::Viewer;
    if (name == QLatin1String("agent"))
        return Role::Agent;
    if (name == QLatin1String("admin"))
        return Role::Admin;
    return std::nullopt;
}

QString roleName(Role role)
{
    switch (role) {
    case Role::Viewer:
        return QStringLiteral("viewer");
    case Role::Agent:
        return QStringLiteral("agent");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QStringLiteral("viewer");
}

const QStringList &roleNames()
{
    static const QStringList names{QStringLiteral("viewer"), QStringLiteral("agent"), QStringLiteral("admin")};
    return names;
}

} // namespace syncdesk
