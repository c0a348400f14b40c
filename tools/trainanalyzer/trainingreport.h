#pragma once

#include "trainingdata.h"

#include <QString>

#include <vector>

namespace syncdesk::tools {

// The figures the training tool prints and records: per style out of fold, and between sources.
class TrainingReport
{
public:
    struct StyleFigures
    {
        QString style;
        int conversations = 0;
        double auc = 0.0;
        double categoryAccuracy = 0.0;
        double categoryMacroF1 = 0.0;
        int categorySamples = 0;
    };

    // Out-of-fold figures of each written style (uncalibrated), in TrainingData::styles() order.
    static std::vector<StyleFigures> byStyle(const TrainingData &data, const std::vector<Prediction> &outOfFold);
    static StyleFigures figures(const QString &style, const AnalyzerEvaluation &evaluation);
    static QString table(const std::vector<StyleFigures> &rows);

    // Trains without each source in turn and measures the model on that source (the Bitext and
    // CLINC150 dev rows for those two; the file's conversations, by style, for a written file).
    static std::vector<StyleFigures> transfer(const TrainingData &data, const TrainingOptions &options);
};

} // namespace syncdesk::tools
