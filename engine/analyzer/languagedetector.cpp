#include "analyzer/languagedetector.h"

#include "analyzer/featureextractor.h"

#include <array>
#include <map>

namespace syncdesk {

namespace {

QString scriptCode(QChar::Script script)
{
    switch (script) {
    case QChar::Script_Cyrillic:
        return QStringLiteral("Cyrl");
    case QChar::Script_Greek:
        return QStringLiteral("Grek");
    case QChar::Script_Arabic:
        return QStringLiteral("Arab");
    case QChar::Script_Hebrew:
        return QStringLiteral("Hebr");
    case QChar::Script_Han:
        return QStringLiteral("Hani");
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
        return QStringLiteral("Jpan");
    case QChar::Script_Hangul:
        return QStringLiteral("Kore");
    case QChar::Script_Thai:
        return QStringLiteral("Thai");
    case QChar::Script_Devanagari:
        return QStringLiteral("Deva");
    default:
        return QStringLiteral("Zyyy");
    }
}

bool isJunk(char16_t c)
{
    if (c < 0x20)
        return c != u'\n' && c != u'\r' && c != u'\t';
    return (c >= 0x7f && c <= 0x9f) || c == 0xfffd || c == 0xfffe || c == 0xffff ||
           (c >= 0xe000 && c <= 0xf8ff);
}

} // namespace

LanguageDetector::Verdict LanguageDetector::detect(const QList<AnalyzedMessage> &messages,
                                                   const std::vector<int> &analysed, const Lexicon &lexicon)
{
    Verdict verdict;
    qint64 characters = 0;
    qint64 junk = 0;
    qint64 latin = 0;
    qint64 otherLetters = 0;
    std::map<int, qint64> scripts;
    int english = 0;
    std::array<int, Lexicon::kMaxForeignLanguages> foreign{};
    std::vector<Token> tokens;
    for (int index : analysed) {
        const AnalyzedMessage &message = messages[index];
        if (message.role != AnalyzedMessage::Role::Customer)
            continue;
        const QStringView text = QStringView(message.content).left(FeatureExtractor::kMaxAnalysedChars);
        for (int i = 0; i < text.size(); ++i) {
            const char16_t c = text[i].unicode();
            ++characters;
            if (c < 0x250) {
                if (isJunk(c))
                    ++junk;
                else if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                         (c >= 0xc0 && QChar(c).isLetter()))
                    ++latin;
                continue;
            }
            if (isJunk(c)) {
                ++junk;
                continue;
            }
            QChar::Script script;
            if (QChar::isHighSurrogate(c) && i + 1 < text.size() &&
                QChar::isLowSurrogate(text[i + 1].unicode())) {
                const char32_t ucs4 = QChar::surrogateToUcs4(c, text[i + 1].unicode());
                ++i;
                if (!QChar::isLetter(ucs4))
                    continue; // emoji and symbols say nothing about the language
                script = QChar::script(ucs4);
            } else if (QChar::isSurrogate(c)) {
                ++junk; // a lone surrogate: broken encoding
                continue;
            } else {
                if (!QChar::isLetter(c))
                    continue;
                script = QChar::script(c);
            }
            if (script == QChar::Script_Latin) {
                ++latin;
            } else if (script != QChar::Script_Common && script != QChar::Script_Inherited) {
                ++otherLetters;
                ++scripts[int(script)];
            }
        }
        tokens.clear();
        Tokenizer::tokenize(text, tokens);
        for (const Token &token : tokens) {
            const Lexicon::WordInfo *info = lexicon.find(token.hash);
            if (!info)
                continue;
            if (info->flags & Lexicon::EnglishStopword)
                ++english;
            for (int l = 0; l < lexicon.foreignLanguages().size(); ++l) {
                if (info->flags & (1u << (Lexicon::ForeignShift + l)))
                    ++foreign[std::size_t(l)];
            }
        }
    }
    // More than a tenth control or replacement characters, or a long text with hardly any letters.
    verdict.unreadable =
        junk * 10 > characters || (characters >= 64 && (latin + otherLetters) * 8 < characters);
    const qint64 letters = latin + otherLetters;
    if (letters >= 3 && otherLetters * 4 > letters) {
        int dominant = 0;
        qint64 most = 0;
        for (const auto &[script, count] : scripts) {
            if (count > most) {
                most = count;
                dominant = script;
            }
        }
        verdict.language = QStringLiteral("und-") + scriptCode(QChar::Script(dominant));
        return verdict;
    }
    int best = -1;
    for (int l = 0; l < lexicon.foreignLanguages().size(); ++l) {
        if (best < 0 || foreign[std::size_t(l)] > foreign[std::size_t(best)])
            best = l;
    }
    if (best >= 0 && foreign[std::size_t(best)] >= 2 && foreign[std::size_t(best)] > english)
        verdict.language = lexicon.foreignLanguages()[best];
    return verdict;
}

} // namespace syncdesk
