#pragma once

#include "analyzer/analysis.h"
#include "analyzer/analysiscontext.h"
#include "analyzer/analyzedmessage.h"
#include "analyzer/analyzermodel.h"
#include "analyzer/featureextractor.h"
#include "analyzer/lexicon.h"
#include "core/result.h"

#include <QList>

#include <memory>

namespace syncdesk {

// Decides from a conversation whether it needs a ticket, and explains why. Needs no database:
// the engine passes the messages and the customer's open tickets, and stores the Analysis.
// Immutable after loading, so one instance is shared by all threads.
class ConversationAnalyzer
{
public:
    // Version of the analysis rules in this code; analyzerVersion() adds the model's version.
    static QString codeVersion();
    static QString defaultModelPath();   // ":/analyzer/model.bin"
    static QString defaultLexiconPath(); // ":/analyzer/lexicon.json"

    // The model and lexicon shipped in the binary.
    static Result<ConversationAnalyzer> load();
    static Result<ConversationAnalyzer> load(const QString &modelPath, const QString &lexiconPath);
    // For the training tool: an analyzer around weights that are not in a file yet.
    static Result<ConversationAnalyzer> create(Lexicon lexicon, AnalyzerModel model);

    Analysis analyze(const QList<AnalyzedMessage> &messages, const AnalysisContext &context = {}) const;

    QString analyzerVersion() const;
    const AnalyzerModel &model() const { return *m_model; }
    const Lexicon &lexicon() const { return *m_lexicon; }
    const FeatureExtractor &extractor() const { return *m_extractor; }

private:
    ConversationAnalyzer(std::shared_ptr<const Lexicon> lexicon, std::shared_ptr<const AnalyzerModel> model);

    void explain(const QList<AnalyzedMessage> &messages, const ConversationFeatures &features,
                 const AnalyzerModel::Scores &scores, Analysis &analysis) const;

    std::shared_ptr<const Lexicon> m_lexicon;
    std::shared_ptr<const AnalyzerModel> m_model;
    std::shared_ptr<const FeatureExtractor> m_extractor;
};

} // namespace syncdesk
