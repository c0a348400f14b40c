#pragma once

#include "analyzer/analyzedmessage.h"
#include "analyzer/lexicon.h"

#include <QList>

#include <vector>

namespace syncdesk {

// Which language the customer writes in (the model is English-only) and whether the text is
// readable at all. Script first (letters outside Latin), then stopwords of a few European languages.
class LanguageDetector
{
public:
    struct Verdict
    {
        QString language = QStringLiteral("en"); // ISO 639-1, or "und-<Script>" for a non-Latin script
        bool unreadable = false;                 // binary junk: control or replacement characters
    };

    static Verdict detect(const QList<AnalyzedMessage> &messages, const std::vector<int> &analysed,
                          const Lexicon &lexicon);
};

} // namespace syncdesk
