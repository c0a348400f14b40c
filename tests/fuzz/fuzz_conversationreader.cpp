// The analyzer's JSON Lines reader (engine/analyzer/conversationreader), which `syncdesk analyze`
// feeds any file with; a line it accepts is analysed as the command would (language, entities,
// signals, the model), so the analyzer meets arbitrary messages too.
#include "analyzer/conversationanalyzer.h"
#include "analyzer/conversationreader.h"

#include <cstdint>
#include <cstdlib>

using namespace syncdesk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const auto analyzer = ConversationAnalyzer::load();
    if (!analyzer)
        std::abort(); // the shipped model must load
    const auto conversation = ConversationReader::parseLine(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!conversation)
        return 0;
    const Analysis analysis = analyzer->analyze(conversation->messages);
    if (!(analysis.confidence >= 0.0 && analysis.confidence <= 1.0))
        std::abort();
    return 0;
}
