#include "trainingreport.h"

#include <cstdio>

namespace syncdesk::tools {

TrainingReport::StyleFigures TrainingReport::figures(const QString &style, const AnalyzerEvaluation &evaluation)
{
    const AnalyzerEvaluation::Report report = evaluation.report(0.5);
    return {style,
            report.ticketSamples,
            report.auc,
            report.categoryAccuracy,
            report.categoryMacroF1,
            report.categorySamples};
}

std::vector<TrainingReport::StyleFigures> TrainingReport::byStyle(const TrainingData &data,
                                                                  const std::vector<Prediction> &outOfFold)
{
    std::vector<StyleFigures> rows;
    for (const QString &style : data.styles()) {
        const AnalyzerEvaluation evaluation = ModelTrainer::evaluation(
            data.conversations, outOfFold, [&style](const TrainingExample &e) { return e.style == style; });
        rows.push_back(figures(style, evaluation));
    }
    return rows;
}

QString TrainingReport::table(const std::vector<StyleFigures> &rows)
{
    QString text = QStringLiteral("  %1 %2 %3 %4 %5\n")
                       .arg(QStringLiteral("style"), -44)
                       .arg(QStringLiteral("n"), 6)
                       .arg(QStringLiteral("AUC"), 7)
                       .arg(QStringLiteral("cat.acc"), 8)
                       .arg(QStringLiteral("macroF1"), 8);
    for (const StyleFigures &row : rows) {
        text += QStringLiteral("  %1 %2 %3 %4 %5\n")
                    .arg(row.style, -44)
                    .arg(row.conversations, 6)
                    .arg(row.auc, 7, 'f', 4)
                    .arg(row.categorySamples > 0 ? QString::number(row.categoryAccuracy, 'f', 4)
                                                 : QStringLiteral("-"),
                         8)
                    .arg(row.categorySamples > 0 ? QString::number(row.categoryMacroF1, 'f', 4)
                                                 : QStringLiteral("-"),
                         8);
    }
    return text;
}

std::vector<TrainingReport::StyleFigures> TrainingReport::transfer(const TrainingData &data,
                                                                   const TrainingOptions &options)
{
    std::vector<StyleFigures> rows;
    for (const QString &source : data.sources()) {
        std::vector<TrainingExample> oneLiners;
        std::vector<TrainingExample> conversations;
        for (const TrainingExample &row : data.oneLiners()) {
            if (row.source != source)
                oneLiners.push_back(row);
        }
        std::vector<TrainingExample> held;
        for (const TrainingExample &conversation : data.conversations) {
            if (conversation.source != source)
                conversations.push_back(conversation);
            else if (!conversation.padded)
                held.push_back(conversation);
        }
        if (source == QLatin1String("bitext"))
            held = data.bitextDev;
        else if (source == QLatin1String("clinc150"))
            held = data.clincDev;
        for (const TrainingExample &probe : data.probes) {
            if (probe.source == source)
                held.push_back(probe);
        }
        const AnalyzerModel model =
            ModelTrainer::train(ModelTrainer::weighted(oneLiners, conversations, options), options);
        const std::vector<Prediction> predictions = ModelTrainer::predict(model, held);
        QStringList styles;
        for (const TrainingExample &example : held) {
            if (!styles.contains(example.style))
                styles << example.style;
        }
        for (const QString &style : styles) {
            const AnalyzerEvaluation evaluation = ModelTrainer::evaluation(
                held, predictions, [&style](const TrainingExample &e) { return e.style == style; });
            rows.push_back(figures(source + QStringLiteral(": ") + style, evaluation));
        }
        std::fprintf(stderr, "  transfer to %s done\n", qPrintable(source));
    }
    return rows;
}

} // namespace syncdesk::tools
