#include "analyzer/analyzedmessage.h"

namespace syncdesk {

std::optional<AnalyzedMessage::Role> AnalyzedMessage::roleFromString(QStringView name)
{
    const QString lower = name.trimmed().toString().toLower();
    if (lower == QLatin1String("customer") || lower == QLatin1String("user"))
        return Role::Customer;
    if (lower == QLatin1String("assistant") || lower == QLatin1String("bot") || lower == QLatin1String("ai"))
        return Role::Assistant;
    if (lower == QLatin1String("agent") || lower == QLatin1String("human_agent") ||
        lower == QLatin1String("human"))
        return Role::Agent;
    if (lower == QLatin1String("system"))
        return Role::System;
    return std::nullopt;
}

QString AnalyzedMessage::roleName(Role role)
{
    switch (role) {
    case Role::Customer:
        return QStringLiteral("customer");
    case Role::Assistant:
        return QStringLiteral("assistant");
    case Role::Agent:
        return QStringLiteral("agent");
    case Role::System:
        return QStringLiteral("system");
    }
    return QString();
}

} // namespace syncdesk
