#pragma once

#include <QStringView>
#include <QtGlobal>

#include <vector>

namespace syncdesk {

// A word of a message: where it is, and a hash of its normalised form (lower case, digits folded
// to '0', long numbers, @handles and links to placeholders) that the lexicon and the model both
// key on. Emoji are tokens of their own.
struct Token
{
    enum Flag : quint8
    {
        AllCaps = 1,
        Numeric = 2,
        HasDigit = 4,
        NonLatin = 8,
        SentenceEnd = 16,
        ClauseEnd = 32,
        Symbol = 64,     // an emoji or pictograph
        Placeholder = 128 // an @handle or a link, hashed as "<handle>" or "<link>"
    };

    int start = 0;
    int length = 0;
    quint64 hash = 0;
    quint8 flags = 0;
    quint8 letters = 0; // capped at 255
};

// Splits text into words in one pass without allocating strings, for speed.
class Tokenizer
{
public:
    // Appends the tokens of `text` to `tokens`.
    static void tokenize(QStringView text, std::vector<Token> &tokens);
    // The hash of one normalised word, as tokenize() computes it.
    static quint64 hashWord(QStringView word);
    // Folds one character as the hashes do: lower case, every digit to '0', curly apostrophe to '\''.
    static char16_t fold(char16_t c);
    static quint64 combine(quint64 first, quint64 second);

    static constexpr quint64 kFnvBasis = 14695981039346656037ULL;
    static constexpr quint64 kFnvPrime = 1099511628211ULL;
    static quint64 mix(quint64 hash, char16_t c) { return (hash ^ c) * kFnvPrime; }
};

} // namespace syncdesk
