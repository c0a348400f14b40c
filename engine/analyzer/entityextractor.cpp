#include "analyzer/entityextractor.h"

#include <QRegularExpression>

#include <algorithm>
#include <vector>

namespace syncdesk {

namespace {

struct Patterns
{
    QRegularExpression email{
        QStringLiteral(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")};
    QRegularExpression order{QStringLiteral(
        R"((?i:\b(?:order|purchase|ord|reference|ref|booking|confirmation|tracking)\b)(?:\s+(?i:number|no\.?|num|id|code))?)"
        R"((?:\s+(?i:is|was))?\s*[:#]?\s*#?\s*([A-Za-z]{0,4}-?\d[\d-]{2,22}\d)\b|#\s?(\d{4,20})\b|)"
        R"(\b((?:ORD|SO|PO)-?\d{4,20})\b)")};
    QRegularExpression errorCode{QStringLiteral(
        R"((?i:\b(?:error|err|http|status code|fault|exception)\b)(?:\s+(?i:code|number|no\.?))?\s*[:#]?\s*)"
        R"(((?:[A-Za-z]{1,4}[-_]?)?\d{2,6}|0x[0-9A-Fa-f]{4,8})\b|)"
        R"(\b(0x[0-9A-Fa-f]{4,8}|E[-_]?\d{2,5}|ERR[-_]?\d{1,6}|ERR(?:_[A-Z]+){1,5})\b)")};
    QRegularExpression amount{QStringLiteral(
        R"(([$€£¥₹])\s?(\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)|)"
        R"(\b(USD|EUR|GBP|CAD|AUD|CHF|JPY|INR)\s?(\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\b|)"
        R"(\b(\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?)"
        R"((USD|EUR|GBP|CAD|AUD|CHF|JPY|INR|(?i:dollars?|euros?|pounds?|bucks|quid|usd|eur|gbp))\b)")};
    QRegularExpression phone{QStringLiteral(R"((?<![\w#$€£.,/-])(\+?\(?\d[\d\s().-]{5,18}\d)(?![\w/]))")};
    QRegularExpression phoneWord{QStringLiteral(
        R"((?i)\b(?:call|phone|mobile|cell|tel|telephone|number|reach me|whatsapp|text me)\b)")};
    QRegularExpression date{QStringLiteral(R"(^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$)")};

    Patterns()
    {
        for (QRegularExpression *re : {&email, &order, &errorCode, &amount, &phone, &phoneWord, &date})
            re->optimize();
    }
};

const Patterns &patterns()
{
    static const Patterns compiled;
    return compiled;
}

QString currencyCode(const QString &text)
{
    const QString lower = text.toLower();
    if (text == QLatin1String("$") || lower.startsWith(QLatin1String("dollar")) ||
        lower == QLatin1String("bucks") || lower == QLatin1String("usd"))
        return QStringLiteral("USD");
    if (text == QStringLiteral("€") || lower.startsWith(QLatin1String("euro")) ||
        lower == QLatin1String("eur"))
        return QStringLiteral("EUR");
    if (text == QStringLiteral("£") || lower.startsWith(QLatin1String("pound")) ||
        lower == QLatin1String("quid") || lower == QLatin1String("gbp"))
        return QStringLiteral("GBP");
    if (text == QStringLiteral("¥"))
        return QStringLiteral("JPY");
    if (text == QStringLiteral("₹"))
        return QStringLiteral("INR");
    return text.toUpper();
}

// "1,299.00" and "1.299,00" both become "1299.00"; a lone separator followed by one or two digits
// is the decimal point.
QString normaliseAmount(QString number)
{
    const qsizetype lastSeparator =
        std::max(number.lastIndexOf(QLatin1Char('.')), number.lastIndexOf(QLatin1Char(',')));
    QString integral = number;
    QString fraction;
    if (lastSeparator >= 0 && number.size() - lastSeparator - 1 <= 2) {
        integral = number.left(lastSeparator);
        fraction = number.mid(lastSeparator + 1);
    }
    integral.remove(QLatin1Char(',')).remove(QLatin1Char('.'));
    return fraction.isEmpty() ? integral : integral + QLatin1Char('.') + fraction;
}

struct Span
{
    qsizetype start;
    qsizetype end;
};

bool overlaps(const std::vector<Span> &taken, qsizetype start, qsizetype end)
{
    return std::any_of(taken.begin(), taken.end(),
                       [&](const Span &s) { return start < s.end && s.start < end; });
}

void add(QList<ExtractedEntity> &entities, ExtractedEntity entity)
{
    for (const ExtractedEntity &existing : entities) {
        if (existing.type == entity.type && existing.value == entity.value)
            return;
    }
    entities.append(std::move(entity));
}

// The first non-empty capture among `groups`.
int capturedGroup(const QRegularExpressionMatch &match, std::initializer_list<int> groups)
{
    for (int group : groups) {
        if (match.capturedLength(group) > 0)
            return group;
    }
    return 0;
}

} // namespace

QList<ExtractedEntity> EntityExtractor::extract(const QString &text)
{
    QList<ExtractedEntity> entities;
    extract(text, entities);
    return entities;
}

void EntityExtractor::extract(const QString &text, QList<ExtractedEntity> &entities)
{
    bool digit = false;
    bool at = false;
    for (QChar c : text) {
        digit = digit || c.isDigit();
        at = at || c == QLatin1Char('@');
        if (digit && at)
            break;
    }
    if (!digit && !at)
        return;
    const Patterns &p = patterns();
    std::vector<Span> taken;
    if (at) {
        for (auto it = p.email.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            taken.push_back({m.capturedStart(), m.capturedEnd()});
            add(entities, {QStringLiteral("email"), m.captured().toLower(), m.captured(), QString()});
        }
    }
    if (!digit)
        return;
    for (auto it = p.order.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const int group = capturedGroup(m, {1, 2, 3});
        if (group == 0 || overlaps(taken, m.capturedStart(group), m.capturedEnd(group)))
            continue;
        const QString value = m.captured(group);
        if (std::count_if(value.begin(), value.end(), [](QChar c) { return c.isDigit(); }) < 3)
            continue;
        taken.push_back({m.capturedStart(group), m.capturedEnd(group)});
        add(entities, {QStringLiteral("order_number"), value.toUpper(), m.captured(), QString()});
    }
    for (auto it = p.errorCode.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const int group = capturedGroup(m, {1, 2});
        if (group == 0 || overlaps(taken, m.capturedStart(group), m.capturedEnd(group)))
            continue;
        taken.push_back({m.capturedStart(group), m.capturedEnd(group)});
        add(entities,
            {QStringLiteral("error_code"), m.captured(group).toUpper(), m.captured(group), QString()});
    }
    for (auto it = p.amount.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (overlaps(taken, m.capturedStart(), m.capturedEnd()))
            continue;
        QString currency;
        QString number;
        if (m.capturedLength(1) > 0) {
            currency = m.captured(1);
            number = m.captured(2);
        } else if (m.capturedLength(3) > 0) {
            currency = m.captured(3);
            number = m.captured(4);
        } else {
            number = m.captured(5);
            currency = m.captured(6);
        }
        taken.push_back({m.capturedStart(), m.capturedEnd()});
        add(entities, {QStringLiteral("amount"), normaliseAmount(number), m.captured().trimmed(),
                       currencyCode(currency)});
    }
    for (auto it = p.phone.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QString candidate = m.captured(1).trimmed();
        const qsizetype start = m.capturedStart(1);
        if (overlaps(taken, start, m.capturedEnd(1)) || p.date.match(candidate).hasMatch())
            continue;
        QString digits;
        for (QChar c : candidate) {
            if (c.isDigit())
                digits.append(c);
        }
        if (digits.size() < 7 || digits.size() > 15)
            continue;
        // A bare run of digits is a phone number only when the customer says so; otherwise it is
        // more likely an order or account number.
        const bool formatted = candidate.startsWith(QLatin1Char('+')) ||
                               candidate.contains(QLatin1Char(' ')) || candidate.contains(QLatin1Char('-')) ||
                               candidate.contains(QLatin1Char('('));
        const QString before = text.mid(std::max<qsizetype>(0, start - 30), std::min<qsizetype>(start, 30));
        if (!formatted && !p.phoneWord.match(before).hasMatch())
            continue;
        taken.push_back({start, m.capturedEnd(1)});
        add(entities, {QStringLiteral("phone"),
                       (candidate.startsWith(QLatin1Char('+')) ? QStringLiteral("+") : QString()) + digits,
                       candidate, QString()});
    }
}

} // namespace syncdesk
