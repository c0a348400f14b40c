#include "relay/relaystatus.h"

namespace syncdesk {

QJsonObject RelayStatus::toJson() const
{
    return QJsonObject{
        {QStringLiteral("configured"), configured},
        {QStringLiteral("enabled"), enabled},
        {QStringLiteral("connected"), connected},
        {QStringLiteral("leader"), leader},
        {QStringLiteral("server"), server},
        {QStringLiteral("stream"), stream},
        {QStringLiteral("published_total"), published},
        {QStringLiteral("last_published_at"), lastPublishedAt.isValid()
                                                  ? QJsonValue(lastPublishedAt.toUTC().toString(Qt::ISODateWithMs))
                                                  : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("lag_events"), lagEvents},
        {QStringLiteral("lag_seconds"), lagSeconds},
        {QStringLiteral("expired_events"), expiredEvents},
        {QStringLiteral("ok"), healthy()},
        {QStringLiteral("problem"), problem.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(problem)}};
}

} // namespace syncdesk
