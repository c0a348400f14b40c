// The analyzer's tokenizer (engine/analyzer/tokenizer): every message of every conversation, any
// script, any UTF-16 (lone surrogates included). Its tokens must lie inside the text, in order.
#include "analyzer/tokenizer.h"

#include <QString>

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace syncdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // Odd-length inputs are read as UTF-8, even-length ones as raw UTF-16 code units.
    const QString text = size % 2 ? QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size))
                                  : QString(reinterpret_cast<const QChar *>(data), qsizetype(size / 2));
    std::vector<Token> tokens;
    Tokenizer::tokenize(text, tokens);
    int end = 0;
    for (const Token &token : tokens) {
        if (token.length <= 0 || token.start < end || token.start + token.length > text.size())
            std::abort();
        end = token.start + token.length;
    }
    return 0;
}
