#include "analyzer/tokenizer.h"

#include <QChar>

namespace syncdesk {

namespace {

bool isWordChar(char16_t c)
{
    if (c < 128)
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    return QChar(c).isLetterOrNumber() || QChar::isSurrogate(c);
}

// An emoji or other pictograph at `i` (one or two UTF-16 units; 0 when there is none): each is a
// token of its own, so "👏👏👏" is three claps and "late🙄" is a word and an eye-roll.
int symbolLength(const char16_t *data, int i, int size)
{
    const char16_t c = data[i];
    if (QChar::isHighSurrogate(c) && i + 1 < size && QChar::isLowSurrogate(data[i + 1])) {
        const char32_t ucs4 = QChar::surrogateToUcs4(c, data[i + 1]);
        return QChar::isLetterOrNumber(ucs4) ? 0 : 2;
    }
    if (c >= 0x2190 && c < 0x2c00 && QChar(c).category() == QChar::Symbol_Other)
        return 1; // arrows, dingbats, misc symbols: ✈ ☀ ❤ ✅
    return 0;
}

bool isHandleChar(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_';
}

quint64 placeholderHash(const char16_t *word)
{
    quint64 hash = Tokenizer::kFnvBasis;
    for (; *word; ++word)
        hash = Tokenizer::mix(hash, *word);
    return hash;
}

bool isJoiner(char16_t c)
{
    // "don't", "f*ck": joined only between two word characters.
    return c == u'\'' || c == u'\u2019' || c == u'*';
}

// Long digit runs (order numbers, phone numbers) all look alike to the model, and so do the
// @handles a tweet is addressed to and links: which company or page it is says nothing about need.
const quint64 kLongNumberHash = placeholderHash(u"<longnum>");
const quint64 kHandleHash = placeholderHash(u"<handle>");
const quint64 kLinkHash = placeholderHash(u"<link>");

bool startsWith(const char16_t *data, int i, int size, const char16_t *prefix)
{
    for (; *prefix; ++prefix, ++i) {
        if (i >= size || Tokenizer::fold(data[i]) != *prefix)
            return false;
    }
    return true;
}

} // namespace

char16_t Tokenizer::fold(char16_t c)
{
    if (c < 128) {
        if (c >= u'A' && c <= u'Z')
            return char16_t(c + 32);
        if (c >= u'0' && c <= u'9')
            return u'0';
        return c;
    }
    if (c == u'\u2019')
        return u'\'';
    const QChar q(c);
    if (q.isDigit())
        return u'0';
    return q.toLower().unicode();
}

quint64 Tokenizer::combine(quint64 first, quint64 second)
{
    quint64 x = first * 0x9E3779B97F4A7C15ULL;
    x ^= (second + 0x632BE59BD9B4E019ULL + (x << 6) + (x >> 2));
    return x;
}

void Tokenizer::tokenize(QStringView text, std::vector<Token> &tokens)
{
    const char16_t *data = text.utf16();
    const int size = int(text.size());
    int i = 0;
    while (i < size) {
        const char16_t c = data[i];
        const bool wordBefore = i > 0 && isWordChar(data[i - 1]);
        if (c == u'@' && !wordBefore && i + 1 < size && isHandleChar(data[i + 1])) {
            Token token;
            token.start = i++;
            while (i < size && isHandleChar(data[i]))
                ++i;
            token.length = i - token.start;
            token.hash = kHandleHash;
            token.flags = Token::Placeholder;
            tokens.push_back(token);
            continue;
        }
        const bool mayBeLink = c == u'h' || c == u'H' || c == u'w' || c == u'W';
        if (mayBeLink && !wordBefore &&
            (startsWith(data, i, size, u"http://") || startsWith(data, i, size, u"https://") ||
             startsWith(data, i, size, u"www."))) {
            Token token;
            token.start = i;
            while (i < size && !QChar(data[i]).isSpace())
                ++i;
            token.length = i - token.start;
            token.hash = kLinkHash;
            token.flags = Token::Placeholder;
            tokens.push_back(token);
            continue;
        }
        if (const int symbol = c >= 0x2190 ? symbolLength(data, i, size) : 0) {
            Token token;
            token.start = i;
            token.length = symbol;
            quint64 hash = kFnvBasis;
            for (int k = 0; k < symbol; ++k)
                hash = mix(hash, data[i + k]);
            token.hash = hash;
            token.flags = Token::Symbol;
            tokens.push_back(token);
            i += symbol;
            continue;
        }
        if (!isWordChar(c)) {
            if ((c == u'.' || c == u'!' || c == u'?' || c == u'\n') && !tokens.empty())
                tokens.back().flags |= Token::SentenceEnd;
            else if ((c == u',' || c == u';' || c == u':') && !tokens.empty())
                tokens.back().flags |= Token::ClauseEnd; // negation does not reach past it
            ++i;
            continue;
        }
        Token token;
        token.start = i;
        quint64 hash = kFnvBasis;
        int letters = 0;
        int upper = 0;
        int digits = 0;
        bool nonLatin = false;
        while (i < size) {
            const char16_t d = data[i];
            if (!isWordChar(d) || (d >= 0x2190 && symbolLength(data, i, size))) {
                if (isJoiner(d) && i + 1 < size && isWordChar(data[i + 1]) && i > token.start) {
                    hash = mix(hash, d == u'\u2019' ? u'\'' : d);
                    ++i;
                    continue;
                }
                break;
            }
            if (d < 128) {
                if (d >= u'0' && d <= u'9')
                    ++digits;
                else {
                    ++letters;
                    if (d <= u'Z')
                        ++upper;
                }
            } else {
                const QChar q(d);
                if (q.isDigit())
                    ++digits;
                else if (q.isLetter()) {
                    ++letters;
                    if (q.isUpper())
                        ++upper;
                    if (d >= 0x250)
                        nonLatin = true;
                }
            }
            hash = mix(hash, fold(d));
            ++i;
        }
        token.length = i - token.start;
        if (letters == 0 && digits >= 5)
            hash = kLongNumberHash;
        token.hash = hash;
        token.letters = quint8(qMin(letters, 255));
        if (letters >= 2 && upper == letters)
            token.flags |= Token::AllCaps;
        if (letters == 0 && digits > 0)
            token.flags |= Token::Numeric;
        if (digits > 0)
            token.flags |= Token::HasDigit;
        if (nonLatin)
            token.flags |= Token::NonLatin;
        tokens.push_back(token);
    }
}

quint64 Tokenizer::hashWord(QStringView word)
{
    std::vector<Token> tokens;
    tokenize(word, tokens);
    return tokens.empty() ? 0 : tokens.front().hash;
}

} // namespace syncdesk
