#include "api/permissions.h"

#include <QList>
#include <QPair>

namespace syncdesk::api {

namespace {

// The permission table of the REST API: each role and what it may do.
const QList<QPair<Role, QList<Permission>>> &table()
{
    static const QList<QPair<Role, QList<Permission>>> permissions{
        {Role::Viewer, {Permission::Public, Permission::Read}},
        {Role::Agent, {Permission::Public, Permission::Read, Permission::ActOnRecords}},
        {Role::Admin, {Permission::Public, Permission::Read, Permission::ActOnRecords, Permission::Administer}},
    };
    return permissions;
}

} // namespace

bool Permissions::allows(Role role, Permission permission)
{
    for (const auto &[candidate, granted] : table()) {
        if (candidate == role)
            return granted.contains(permission);
    }
    return false;
}

Role Permissions::leastRole(Permission permission)
{
    for (Role role : {Role::Viewer, Role::Agent, Role::Admin}) {
        if (allows(role, permission))
            return role;
    }
    return Role::Admin;
}

QString Permissions::name(Permission permission)
{
    switch (permission) {
    case Permission::Public:
        return QStringLiteral("public");
    case Permission::Read:
        return QStringLiteral("read");
    case Permission::ActOnRecords:
        return QStringLiteral("act");
    case Permission::Administer:
        return QStringLiteral("administer");
    }
    return {};
}

} // namespace syncdesk::api
