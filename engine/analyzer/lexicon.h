#pragma once

#include "analyzer/tokenizer.h"
#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

namespace syncdesk {

// The analyzer's word lists (resources/analyzer/lexicon.json): phrase groups behind the signal
// features, sentiment scores, negators and the stopwords of language detection. Everything is keyed
// by token hash so that a message is matched with one hash lookup per word.
class Lexicon
{
public:
    enum Group : quint8
    {
        HumanRequest,
        RefundRequest,
        Cancellation,
        ChargeDispute,
        AccountClosure,
        SecurityFraud,
        LegalThreat,
        Urgency,
        ProblemReport,
        Apology,
        CannotHelp,
        Handoff,
        Thanks,
        Pushback,
        Frustration,
        Complaint,
        AccountAccess,
        TechnicalProblem,
        PaymentProblem,
        OrderChange,
        Informational,
        ThirdParty,
        Delivery,
        AccountWords,
        // Category cue words: what a conversation is about, in the words of many kinds of business
        // (telecom, food delivery, games, ...), read from the customer's and the assistant's turns.
        BillingCues,
        RefundCues,
        OrderCues,
        AccountCues,
        TechnicalCues,
        ComplaintCues, // dissatisfaction with the service or the staff themselves
        GeneralCues,
        // The customer says the matter is settled ("that worked", "found it"); plain thanks is
        // politeness and ends unresolved chats too.
        Resolved,
        // The assistant says it did it ("I've rescheduled the pickup", "the refund has been issued").
        AssistantDone
    };
    static constexpr int kGroupCount = 33;
    static constexpr int kFirstCueGroup = BillingCues; // the cue groups follow TicketCategory's order

    enum WordFlag : quint32
    {
        Negator = 1,
        EnglishStopword = 2,
        Insult = 4,
        Expectation = 8,
        SecondPerson = 16,
        WantVerb = 32,
        ForeignShift = 8 // bit (ForeignShift + i) marks a stopword of foreignLanguages()[i]
    };
    static constexpr int kMaxForeignLanguages = 16;

    struct WordInfo
    {
        float sentiment = 0.0f;
        float intensity = 0.0f;
        quint32 flags = 0;
        qint32 phraseBegin = 0;
        qint32 phraseCount = 0;
    };
    static constexpr int kMaxPhraseTokens = 8;
    struct Phrase
    {
        quint64 tokens[kMaxPhraseTokens] = {}; // 0: any one word
        quint8 length = 0;
        quint8 group = 0;
    };
    struct Match
    {
        int group;
        int first; // token indices, inclusive
        int last;
    };

    static Result<Lexicon> fromJson(const QByteArray &json);
    static Result<Lexicon> load(const QString &path);

    const WordInfo *find(quint64 hash) const
    {
        const auto it = m_words.constFind(hash);
        return it == m_words.cend() ? nullptr : &it.value();
    }
    // Appends every phrase that starts at one of `count` tokens; infos[i] is find(tokens[i].hash).
    void matchPhrases(const Token *tokens, const WordInfo *const *infos, int count,
                      std::vector<Match> &matches) const;

    const QStringList &foreignLanguages() const { return m_languages; }
    const QString &version() const { return m_version; }
    // FNV-1a of the file, stored in the model so a model never runs with lists it was not trained with.
    quint64 fingerprint() const { return m_fingerprint; }
    static const char *groupName(int group);

private:
    QHash<quint64, WordInfo> m_words;
    std::vector<Phrase> m_phrases;
    QStringList m_languages;
    QString m_version;
    quint64 m_fingerprint = 0;
};

} // namespace syncdesk
