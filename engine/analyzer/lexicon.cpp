#include "analyzer/lexicon.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <array>
#include <map>

namespace syncdesk {

namespace {

constexpr std::array<const char *, Lexicon::kGroupCount> kGroupNames{
    "human_request",   "refund_request",    "cancellation",    "charge_dispute",
    "account_closure", "security_fraud",    "legal_threat",    "urgency",
    "problem_report",  "apology",           "cannot_help",     "handoff",
    "thanks",          "pushback",          "frustration",     "complaint",
    "account_access",  "technical_problem", "payment_problem", "order_change",
    "informational",   "third_party",       "delivery",        "account_words",
    "billing_cues",    "refund_cues",       "order_cues",      "account_cues",
    "technical_cues",  "complaint_cues",    "general_cues",    "resolved",
    "assistant_done"};

int groupIndex(const QString &name)
{
    for (int i = 0; i < Lexicon::kGroupCount; ++i) {
        if (name == QLatin1String(kGroupNames[std::size_t(i)]))
            return i;
    }
    return -1;
}

// Splits a phrase at spaces; "*" is a wildcard, other parts are tokenized like messages are.
bool phraseTokens(const QString &text, Lexicon::Phrase &phrase)
{
    std::vector<Token> tokens;
    for (const QString &part : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (part == QLatin1String("*")) {
            if (phrase.length == 0 || phrase.length >= Lexicon::kMaxPhraseTokens)
                return false;
            phrase.tokens[phrase.length++] = 0;
            continue;
        }
        tokens.clear();
        Tokenizer::tokenize(part, tokens);
        for (const Token &token : tokens) {
            if (phrase.length >= Lexicon::kMaxPhraseTokens)
                return false;
            phrase.tokens[phrase.length++] = token.hash;
        }
    }
    return phrase.length > 0;
}

} // namespace

const char *Lexicon::groupName(int group)
{
    return group >= 0 && group < kGroupCount ? kGroupNames[std::size_t(group)] : "";
}

Result<Lexicon> Lexicon::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Lexicon>::failure(
            QStringLiteral("cannot read the analyzer lexicon %1: %2").arg(path, file.errorString()));
    return fromJson(file.readAll());
}

Result<Lexicon> Lexicon::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (!document.isObject())
        return Result<Lexicon>::failure(
            QStringLiteral("the analyzer lexicon is not a JSON object: %1").arg(error.errorString()));
    const QJsonObject root = document.object();
    Lexicon lexicon;
    lexicon.m_version = root.value(QLatin1String("version")).toString();
    quint64 fingerprint = Tokenizer::kFnvBasis;
    for (char c : json)
        fingerprint = (fingerprint ^ quint8(c)) * Tokenizer::kFnvPrime;
    lexicon.m_fingerprint = fingerprint;

    auto word = [&lexicon](const QString &text) -> WordInfo & {
        return lexicon.m_words[Tokenizer::hashWord(text)];
    };
    auto flagWords = [&](const char *key, quint32 flag) {
        for (const QJsonValue &value : root.value(QLatin1String(key)).toArray())
            word(value.toString()).flags |= flag;
    };
    flagWords("negators", Negator);
    flagWords("english_stopwords", EnglishStopword);
    flagWords("insults", Insult);
    flagWords("expectation", Expectation);
    flagWords("second_person", SecondPerson);
    flagWords("want_verbs", WantVerb);
    const QJsonObject sentiment = root.value(QLatin1String("sentiment")).toObject();
    for (auto it = sentiment.begin(); it != sentiment.end(); ++it)
        word(it.key()).sentiment = float(it.value().toDouble());
    const QJsonObject intensifiers = root.value(QLatin1String("intensifiers")).toObject();
    for (auto it = intensifiers.begin(); it != intensifiers.end(); ++it)
        word(it.key()).intensity = float(it.value().toDouble());
    const QJsonObject foreign = root.value(QLatin1String("foreign_stopwords")).toObject();
    for (auto it = foreign.begin(); it != foreign.end(); ++it) {
        if (lexicon.m_languages.size() >= kMaxForeignLanguages)
            return Result<Lexicon>::failure(QStringLiteral("the analyzer lexicon lists too many languages"));
        const quint32 flag = 1u << (ForeignShift + lexicon.m_languages.size());
        lexicon.m_languages.append(it.key());
        for (const QJsonValue &value : it.value().toArray())
            word(value.toString()).flags |= flag;
    }

    // Phrases grouped by their first token; std::map keeps the order independent of hashing.
    std::map<quint64, std::vector<Phrase>> byFirst;
    const QJsonObject phrases = root.value(QLatin1String("phrases")).toObject();
    for (auto it = phrases.begin(); it != phrases.end(); ++it) {
        const int group = groupIndex(it.key());
        if (group < 0)
            return Result<Lexicon>::failure(
                QStringLiteral("the analyzer lexicon has an unknown group '%1'").arg(it.key()));
        for (const QJsonValue &value : it.value().toArray()) {
            Phrase phrase;
            phrase.group = quint8(group);
            if (!phraseTokens(value.toString(), phrase))
                return Result<Lexicon>::failure(
                    QStringLiteral("the analyzer lexicon has an unusable phrase '%1'").arg(value.toString()));
            byFirst[phrase.tokens[0]].push_back(phrase);
        }
    }
    for (auto &[first, list] : byFirst) {
        WordInfo &target = lexicon.m_words[first];
        target.phraseBegin = qint32(lexicon.m_phrases.size());
        target.phraseCount = qint32(list.size());
        lexicon.m_phrases.insert(lexicon.m_phrases.end(), list.begin(), list.end());
    }
    return Result<Lexicon>::success(std::move(lexicon));
}

void Lexicon::matchPhrases(const Token *tokens, const WordInfo *const *infos, int count,
                           std::vector<Match> &matches) const
{
    for (int i = 0; i < count; ++i) {
        const WordInfo *info = infos[i];
        if (!info || info->phraseCount == 0)
            continue;
        for (int p = info->phraseBegin, end = info->phraseBegin + info->phraseCount; p < end; ++p) {
            const Phrase &phrase = m_phrases[std::size_t(p)];
            if (i + phrase.length > count)
                continue;
            bool same = true;
            for (int k = 1; k < phrase.length && same; ++k)
                same = phrase.tokens[k] == 0 || phrase.tokens[k] == tokens[i + k].hash;
            if (same)
                matches.push_back({phrase.group, i, i + phrase.length - 1});
        }
    }
}

} // namespace syncdesk
