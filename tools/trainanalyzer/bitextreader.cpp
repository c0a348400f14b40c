#include "bitextreader.h"

#include <QFile>
#include <QTextStream>

namespace syncdesk::tools {

bool BitextReader::needsTicket(const QString &intent)
{
    static const QStringList ticketIntents{QStringLiteral("cancel_order"),
                                           QStringLiteral("change_order"),
                                           QStringLiteral("change_shipping_address"),
                                           QStringLiteral("complaint"),
                                           QStringLiteral("contact_human_agent"),
                                           QStringLiteral("delete_account"),
                                           QStringLiteral("get_refund"),
                                           QStringLiteral("track_refund"),
                                           QStringLiteral("payment_issue"),
                                           QStringLiteral("registration_problems")};
    return ticketIntents.contains(intent);
}

TicketCategory BitextReader::category(const QString &datasetCategory, const QString &intent)
{
    const QString c = datasetCategory.toUpper();
    if (c == QLatin1String("ACCOUNT"))
        return intent == QLatin1String("registration_problems") ? TicketCategory::Technical
                                                                : TicketCategory::Account;
    if (c == QLatin1String("INVOICE") || c == QLatin1String("PAYMENT") ||
        c == QLatin1String("CANCELLATION_FEE"))
        return TicketCategory::Billing;
    if (c == QLatin1String("ORDER") || c == QLatin1String("DELIVERY") ||
        c == QLatin1String("SHIPPING_ADDRESS"))
        return TicketCategory::Order;
    if (c == QLatin1String("REFUND"))
        return TicketCategory::Refund;
    if (c == QLatin1String("FEEDBACK"))
        return intent == QLatin1String("complaint") ? TicketCategory::Complaint : TicketCategory::General;
    return TicketCategory::General;
}

QStringList BitextReader::splitRecord(const QString &line)
{
    QStringList fields;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            fields << field;
            field.clear();
        } else if (c != QLatin1Char('\r') && c != QLatin1Char('\n')) {
            field += c;
        }
    }
    fields << field;
    return fields;
}

Result<QList<LabelledConversation>> BitextReader::read(const QString &path)
{
    using R = Result<QList<LabelledConversation>>;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return R::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QTextStream stream(&file);
    const QStringList header = splitRecord(stream.readLine());
    const qsizetype utterance = header.indexOf(QStringLiteral("utterance"));
    const qsizetype intent = header.indexOf(QStringLiteral("intent"));
    const qsizetype category = header.indexOf(QStringLiteral("category"));
    if (utterance < 0 || intent < 0 || category < 0)
        return R::failure(QStringLiteral("%1 has no utterance, intent and category columns").arg(path));
    QList<LabelledConversation> rows;
    int number = 1;
    while (!stream.atEnd()) {
        QString line = stream.readLine();
        ++number;
        // A quoted field may span lines.
        while (line.count(QLatin1Char('"')) % 2 == 1 && !stream.atEnd())
            line += QLatin1Char('\n') + stream.readLine();
        if (line.trimmed().isEmpty())
            continue;
        const QStringList fields = splitRecord(line);
        if (fields.size() <= std::max({utterance, intent, category}))
            return R::failure(QStringLiteral("%1 line %2: too few columns").arg(path).arg(number));
        LabelledConversation row;
        row.id = QStringLiteral("bitext-%1").arg(number);
        row.messages.append({AnalyzedMessage::Role::Customer, fields[utterance], QDateTime()});
        row.ticket = needsTicket(fields[intent]);
        row.category = BitextReader::category(fields[category], fields[intent]);
        row.labels.insert(QStringLiteral("intent"), fields[intent]);
        rows.append(row);
    }
    return R::success(rows);
}

} // namespace syncdesk::tools
