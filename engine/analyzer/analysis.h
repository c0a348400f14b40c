#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace syncdesk {

enum class AnalysisResult
{
    CreateTicket,
    LinkTicket,
    NeedsReview,
    NoAction
};
enum class TicketCategory
{
    Billing,
    Refund,
    Order,
    Account,
    Technical,
    Complaint,
    General
};
enum class TicketPriority
{
    Low,
    Normal,
    High,
    Urgent
};

constexpr int kTicketCategoryCount = 7;

// Something the customer wrote that a person handling the ticket needs: an order number, an e-mail
// address, a phone number, an amount of money or an error code.
struct ExtractedEntity
{
    QString type;     // order_number, email, phone, amount, error_code
    QString value;    // normalised: digits of a phone number, lower-case e-mail, amount as a decimal number
    QString text;     // as written
    QString currency; // amounts only: ISO code (USD, EUR, GBP, ...)

    bool operator==(const ExtractedEntity &other) const = default;
};

// One reason that moved the score. `weight` is its contribution to the ticket decision in log-odds
// (positive: towards a ticket); rule signals that decide the result without the model carry 0.
struct AnalysisSignal
{
    QString name;
    QString detail;
    double weight = 0.0;
};

// The analyzer's verdict on one conversation; also the row stored in sync.analyses.
struct Analysis
{
    QString analyzerVersion;
    int messageCount = 0;
    double confidence = 0.0; // calibrated probability that a ticket is needed
    AnalysisResult result = AnalysisResult::NoAction;
    TicketCategory category = TicketCategory::General;
    double categoryConfidence = 0.0;
    TicketPriority priority = TicketPriority::Low;
    double sentiment = 0.0; // -1 (angry) .. 1 (happy)
    QString language;       // "en", another ISO code, or a script name when not Latin
    QList<ExtractedEntity> entities;
    QString subject;
    QString summary;
    QList<AnalysisSignal> signalList;
    std::optional<qint64> linkedTicketId;

    bool hasSignal(const QString &name) const;

    // The JSON of the CLI and the REST API; field names match the sync.analyses columns.
    QJsonObject toJson() const;
    static Result<Analysis> fromJson(const QJsonObject &object);

    static QString resultName(AnalysisResult result);
    static QString categoryName(TicketCategory category);
    static QString priorityName(TicketPriority priority);
    static std::optional<AnalysisResult> resultFromName(QStringView name);
    static std::optional<TicketCategory> categoryFromName(QStringView name);
    static std::optional<TicketPriority> priorityFromName(QStringView name);
};

} // namespace syncdesk
