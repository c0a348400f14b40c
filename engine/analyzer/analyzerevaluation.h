#pragma once

#include "analyzer/analysis.h"

#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace syncdesk {

// Figures of `syncdesk analyze --eval` and of the training tool: ROC AUC, precision/recall/F1 at the
// threshold, category accuracy and macro-F1, the confusion matrix and a calibration table.
class AnalyzerEvaluation
{
public:
    struct CalibrationBin
    {
        int count = 0;
        double meanConfidence = 0.0;
        double observedRate = 0.0;
    };
    struct Report
    {
        int ticketSamples = 0;
        int positives = 0;
        double auc = 0.0;
        double precision = 0.0;
        double recall = 0.0;
        double f1 = 0.0;
        double expectedCalibrationError = 0.0;
        std::array<CalibrationBin, 10> calibration{};
        int categorySamples = 0;
        double categoryAccuracy = 0.0;
        double categoryMacroF1 = 0.0;
        std::array<std::array<int, kTicketCategoryCount>, kTicketCategoryCount>
            confusion{}; // [label][predicted]
    };

    void add(double confidence, std::optional<bool> ticket, TicketCategory predicted,
             std::optional<TicketCategory> label);
    Report report(double threshold) const;
    static QString format(const Report &report, double threshold);

    // Area under the ROC curve, ties counted half (Mann-Whitney U).
    static double rocAuc(const std::vector<double> &scores, const std::vector<bool> &labels);

private:
    std::vector<double> m_confidences;
    std::vector<bool> m_tickets;
    std::vector<int> m_predicted;
    std::vector<int> m_labels;
};

} // namespace syncdesk
