#include "analyzer/analysis.h"

#include <QJsonArray>

#include <array>
#include <cmath>

namespace syncdesk {

namespace {

constexpr std::array kResultNames{"create_ticket", "link_ticket", "needs_review", "no_action"};
constexpr std::array kCategoryNames{"billing",   "refund",    "order",  "account",
                                    "technical", "complaint", "general"};
constexpr std::array kPriorityNames{"low", "normal", "high", "urgent"};

// Four decimals keep the JSON readable and byte-identical across runs.
double rounded(double value)
{
    return std::round(value * 10000.0) / 10000.0;
}

template<typename Enum, std::size_t N>
std::optional<Enum> fromName(const std::array<const char *, N> &names, QStringView name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name == QLatin1String(names[i]))
            return Enum(i);
    }
    return std::nullopt;
}

} // namespace

bool Analysis::hasSignal(const QString &name) const
{
    for (const AnalysisSignal &signal : signalList) {
        if (signal.name == name)
            return true;
    }
    return false;
}

QString Analysis::resultName(AnalysisResult result)
{
    return QLatin1String(kResultNames[std::size_t(result)]);
}

QString Analysis::categoryName(TicketCategory category)
{
    return QLatin1String(kCategoryNames[std::size_t(category)]);
}

QString Analysis::priorityName(TicketPriority priority)
{
    return QLatin1String(kPriorityNames[std::size_t(priority)]);
}

std::optional<AnalysisResult> Analysis::resultFromName(QStringView name)
{
    return fromName<AnalysisResult>(kResultNames, name);
}

std::optional<TicketCategory> Analysis::categoryFromName(QStringView name)
{
    return fromName<TicketCategory>(kCategoryNames, name);
}

std::optional<TicketPriority> Analysis::priorityFromName(QStringView name)
{
    return fromName<TicketPriority>(kPriorityNames, name);
}

QJsonObject Analysis::toJson() const
{
    QJsonArray entityArray;
    for (const ExtractedEntity &entity : entities) {
        QJsonObject object{{QStringLiteral("type"), entity.type},
                           {QStringLiteral("value"), entity.value},
                           {QStringLiteral("text"), entity.text}};
        if (!entity.currency.isEmpty())
            object.insert(QStringLiteral("currency"), entity.currency);
        entityArray.append(object);
    }
    QJsonArray signalArray;
    for (const AnalysisSignal &signal : signalList) {
        signalArray.append(QJsonObject{{QStringLiteral("name"), signal.name},
                                       {QStringLiteral("detail"), signal.detail},
                                       {QStringLiteral("weight"), rounded(signal.weight)}});
    }
    return QJsonObject{
        {QStringLiteral("analyzer_version"), analyzerVersion},
        {QStringLiteral("message_count"), messageCount},
        {QStringLiteral("confidence"), rounded(confidence)},
        {QStringLiteral("result"), resultName(result)},
        {QStringLiteral("category"), categoryName(category)},
        {QStringLiteral("category_confidence"), rounded(categoryConfidence)},
        {QStringLiteral("priority"), priorityName(priority)},
        {QStringLiteral("sentiment"), rounded(sentiment)},
        {QStringLiteral("language"), language},
        {QStringLiteral("entities"), entityArray},
        {QStringLiteral("subject"), subject},
        {QStringLiteral("summary"), summary},
        {QStringLiteral("signals"), signalArray},
        {QStringLiteral("linked_ticket_id"),
         linkedTicketId ? QJsonValue(double(*linkedTicketId)) : QJsonValue()},
    };
}

Result<Analysis> Analysis::fromJson(const QJsonObject &object)
{
    Analysis analysis;
    const auto result = resultFromName(object.value(QLatin1String("result")).toString());
    const auto category = categoryFromName(object.value(QLatin1String("category")).toString());
    const auto priority = priorityFromName(object.value(QLatin1String("priority")).toString());
    if (!result || !category || !priority)
        return Result<Analysis>::failure(
            QStringLiteral("analysis JSON lacks a valid result, category or priority"));
    analysis.result = *result;
    analysis.category = *category;
    analysis.priority = *priority;
    analysis.analyzerVersion = object.value(QLatin1String("analyzer_version")).toString();
    analysis.messageCount = object.value(QLatin1String("message_count")).toInt();
    analysis.confidence = object.value(QLatin1String("confidence")).toDouble();
    analysis.categoryConfidence = object.value(QLatin1String("category_confidence")).toDouble();
    analysis.sentiment = object.value(QLatin1String("sentiment")).toDouble();
    analysis.language = object.value(QLatin1String("language")).toString();
    analysis.subject = object.value(QLatin1String("subject")).toString();
    analysis.summary = object.value(QLatin1String("summary")).toString();
    for (const QJsonValue &value : object.value(QLatin1String("entities")).toArray()) {
        const QJsonObject entity = value.toObject();
        analysis.entities.append({entity.value(QLatin1String("type")).toString(),
                                  entity.value(QLatin1String("value")).toString(),
                                  entity.value(QLatin1String("text")).toString(),
                                  entity.value(QLatin1String("currency")).toString()});
    }
    for (const QJsonValue &value : object.value(QLatin1String("signals")).toArray()) {
        const QJsonObject signal = value.toObject();
        analysis.signalList.append({signal.value(QLatin1String("name")).toString(),
                                    signal.value(QLatin1String("detail")).toString(),
                                    signal.value(QLatin1String("weight")).toDouble()});
    }
    const QJsonValue linked = object.value(QLatin1String("linked_ticket_id"));
    if (linked.isDouble())
        analysis.linkedTicketId = qint64(linked.toDouble());
    return Result<Analysis>::success(analysis);
}

} // namespace syncdesk
