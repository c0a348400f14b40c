#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace syncdesk {

// One message of a conversation as the analyzer sees it: who wrote it and what it says.
struct AnalyzedMessage
{
    enum class Role
    {
        Customer,
        Assistant,
        Agent,
        System
    };

    Role role = Role::Customer;
    QString content;
    QDateTime sentAt; // optional; the analyzer only relies on the order of the list

    // "customer"/"user", "assistant"/"bot"/"ai", "agent"/"human_agent", "system"; nullopt otherwise.
    static std::optional<Role> roleFromString(QStringView name);
    static QString roleName(Role role);
};

} // namespace syncdesk
