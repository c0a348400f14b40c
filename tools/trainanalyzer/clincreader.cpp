#include "clincreader.h"

#include "bitextreader.h"

#include <QFile>
#include <QHash>
#include <QTextStream>

namespace syncdesk::tools {

namespace {

struct IntentLabel
{
    bool ticket;
    std::optional<TicketCategory> category;
};

// Something went wrong with the customer's card, account, luggage or booking, or they want a
// booking undone: a person or an action is needed. Everything else is a question or a chore.
const QHash<QString, IntentLabel> &intentLabels()
{
    using C = TicketCategory;
    static const QHash<QString, IntentLabel> labels{
        // banking
        {QStringLiteral("account_blocked"), {true, C::Account}},
        {QStringLiteral("freeze_account"), {true, C::Account}},
        {QStringLiteral("report_fraud"), {true, C::Account}},
        {QStringLiteral("balance"), {false, C::General}},
        {QStringLiteral("bill_balance"), {false, C::Billing}},
        {QStringLiteral("bill_due"), {false, C::Billing}},
        {QStringLiteral("interest_rate"), {false, C::General}},
        {QStringLiteral("min_payment"), {false, C::Billing}},
        {QStringLiteral("pay_bill"), {false, C::Billing}},
        {QStringLiteral("spending_history"), {false, C::General}},
        {QStringLiteral("transactions"), {false, C::General}},
        {QStringLiteral("transfer"), {false, C::General}},
        {QStringLiteral("order_checks"), {false, C::Order}},
        {QStringLiteral("pin_change"), {false, C::Account}},
        {QStringLiteral("routing"), {false, C::General}},
        // credit cards
        {QStringLiteral("card_declined"), {true, C::Billing}},
        {QStringLiteral("damaged_card"), {true, C::Account}},
        {QStringLiteral("report_lost_card"), {true, C::Account}},
        {QStringLiteral("apr"), {false, C::General}},
        {QStringLiteral("credit_limit"), {false, C::Account}},
        {QStringLiteral("credit_limit_change"), {false, C::Account}},
        {QStringLiteral("international_fees"), {false, C::Billing}},
        {QStringLiteral("application_status"), {false, C::Account}},
        {QStringLiteral("expiration_date"), {false, C::Account}},
        {QStringLiteral("new_card"), {false, C::Account}},
        {QStringLiteral("replacement_card_duration"), {false, C::Account}},
        {QStringLiteral("credit_score"), {false, C::General}},
        {QStringLiteral("improve_credit_score"), {false, C::General}},
        {QStringLiteral("redeem_rewards"), {false, C::General}},
        {QStringLiteral("rewards_balance"), {false, C::General}},
        // travel and dining bookings
        {QStringLiteral("lost_luggage"), {true, C::Order}},
        {QStringLiteral("cancel_reservation"), {true, C::Order}},
        {QStringLiteral("book_flight"), {false, C::Order}},
        {QStringLiteral("book_hotel"), {false, C::Order}},
        {QStringLiteral("car_rental"), {false, C::Order}},
        {QStringLiteral("flight_status"), {false, C::Order}},
        {QStringLiteral("confirm_reservation"), {false, C::Order}},
        {QStringLiteral("restaurant_reservation"), {false, C::Order}},
        {QStringLiteral("order"), {false, C::Order}},
        {QStringLiteral("order_status"), {false, C::Order}},
        {QStringLiteral("exchange_rate"), {false, C::General}},
        {QStringLiteral("travel_notification"), {false, C::Account}},
        {QStringLiteral("direct_deposit"), {false, C::General}},
        {QStringLiteral("user_name"), {false, C::Account}},
        {QStringLiteral("change_user_name"), {false, C::Account}},
        {QStringLiteral("carry_on"), {false, C::General}},
        {QStringLiteral("international_visa"), {false, C::General}},
        {QStringLiteral("plug_type"), {false, C::General}},
        {QStringLiteral("travel_alert"), {false, C::General}},
        {QStringLiteral("travel_suggestion"), {false, C::General}},
        {QStringLiteral("vaccines"), {false, C::General}},
        {QStringLiteral("accept_reservations"), {false, C::General}},
        {QStringLiteral("how_busy"), {false, C::General}},
        {QStringLiteral("restaurant_reviews"), {false, C::General}},
        {QStringLiteral("insurance"), {false, C::General}},
    };
    return labels;
}

} // namespace

bool ClincReader::needsTicket(const QString &intent)
{
    const auto it = intentLabels().constFind(intent);
    return it != intentLabels().cend() && it->ticket;
}

std::optional<TicketCategory> ClincReader::category(const QString &intent)
{
    const auto it = intentLabels().constFind(intent);
    if (it != intentLabels().cend())
        return it->category;
    return std::nullopt;
}

Result<QList<LabelledConversation>> ClincReader::read(const QString &path)
{
    using R = Result<QList<LabelledConversation>>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return R::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QTextStream stream(&file);
    const QStringList header = BitextReader::splitRecord(stream.readLine());
    const qsizetype text = header.indexOf(QStringLiteral("text"));
    const qsizetype intent = header.indexOf(QStringLiteral("intent"));
    const qsizetype domain = header.indexOf(QStringLiteral("domain"));
    if (text < 0 || intent < 0 || domain < 0)
        return R::failure(QStringLiteral("%1 has no text, intent and domain columns").arg(path));
    QList<LabelledConversation> rows;
    int number = 1;
    while (!stream.atEnd()) {
        const QString line = stream.readLine();
        ++number;
        if (line.trimmed().isEmpty())
            continue;
        const QStringList fields = BitextReader::splitRecord(line);
        if (fields.size() <= std::max({text, intent, domain}))
            return R::failure(QStringLiteral("%1 line %2: too few columns").arg(path).arg(number));
        LabelledConversation row;
        row.id = QStringLiteral("clinc-%1").arg(number);
        row.messages.append({AnalyzedMessage::Role::Customer, fields[text], QDateTime()});
        row.ticket = needsTicket(fields[intent]);
        // Small talk and requests outside the assistant's domains are general, as a person reading
        // them would file them; the assistant's chores have no category.
        const QString &d = fields[domain];
        row.category = category(fields[intent]);
        if (!row.category && (d == QLatin1String("small_talk") || d == QLatin1String("out_of_scope")))
            row.category = TicketCategory::General;
        row.labels.insert(QStringLiteral("intent"), fields[intent]);
        row.labels.insert(QStringLiteral("domain"), d);
        row.labels.insert(QStringLiteral("group"), QStringLiteral("clinc150"));
        rows.append(row);
    }
    return R::success(rows);
}

} // namespace syncdesk::tools
