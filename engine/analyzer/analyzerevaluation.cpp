#include "analyzer/analyzerevaluation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace syncdesk {

void AnalyzerEvaluation::add(double confidence, std::optional<bool> ticket, TicketCategory predicted,
                             std::optional<TicketCategory> label)
{
    if (ticket) {
        m_confidences.push_back(confidence);
        m_tickets.push_back(*ticket);
    }
    if (label) {
        m_predicted.push_back(int(predicted));
        m_labels.push_back(int(*label));
    }
}

double AnalyzerEvaluation::rocAuc(const std::vector<double> &scores, const std::vector<bool> &labels)
{
    const std::size_t n = scores.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&scores](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    double positiveRankSum = 0.0;
    std::size_t positives = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]])
            ++j;
        const double averageRank = (double(i) + double(j - 1)) / 2.0 + 1.0;
        for (std::size_t k = i; k < j; ++k) {
            if (labels[order[k]]) {
                positiveRankSum += averageRank;
                ++positives;
            }
        }
        i = j;
    }
    const std::size_t negatives = n - positives;
    if (positives == 0 || negatives == 0)
        return 0.0;
    return (positiveRankSum - double(positives) * double(positives + 1) / 2.0) /
           (double(positives) * double(negatives));
}

AnalyzerEvaluation::Report AnalyzerEvaluation::report(double threshold) const
{
    Report report;
    report.ticketSamples = int(m_confidences.size());
    report.auc = rocAuc(m_confidences, m_tickets);
    int truePositives = 0;
    int falsePositives = 0;
    int falseNegatives = 0;
    for (std::size_t i = 0; i < m_confidences.size(); ++i) {
        const bool predicted = m_confidences[i] >= threshold;
        report.positives += m_tickets[i] ? 1 : 0;
        truePositives += predicted && m_tickets[i] ? 1 : 0;
        falsePositives += predicted && !m_tickets[i] ? 1 : 0;
        falseNegatives += !predicted && m_tickets[i] ? 1 : 0;
        const std::size_t bin = std::min<std::size_t>(9, std::size_t(std::max(0.0, m_confidences[i]) * 10.0));
        CalibrationBin &b = report.calibration[bin];
        ++b.count;
        b.meanConfidence += m_confidences[i];
        b.observedRate += m_tickets[i] ? 1.0 : 0.0;
    }
    report.precision =
        truePositives + falsePositives > 0 ? double(truePositives) / (truePositives + falsePositives) : 0.0;
    report.recall =
        truePositives + falseNegatives > 0 ? double(truePositives) / (truePositives + falseNegatives) : 0.0;
    report.f1 = report.precision + report.recall > 0
                    ? 2 * report.precision * report.recall / (report.precision + report.recall)
                    : 0.0;
    for (CalibrationBin &bin : report.calibration) {
        if (bin.count == 0)
            continue;
        bin.meanConfidence /= bin.count;
        bin.observedRate /= bin.count;
        report.expectedCalibrationError +=
            double(bin.count) / report.ticketSamples * std::fabs(bin.meanConfidence - bin.observedRate);
    }

    report.categorySamples = int(m_labels.size());
    int correct = 0;
    for (std::size_t i = 0; i < m_labels.size(); ++i) {
        ++report.confusion[std::size_t(m_labels[i])][std::size_t(m_predicted[i])];
        correct += m_labels[i] == m_predicted[i] ? 1 : 0;
    }
    report.categoryAccuracy = m_labels.empty() ? 0.0 : double(correct) / double(m_labels.size());
    // Macro-F1 over the categories that occur as a label or a prediction.
    double f1Sum = 0.0;
    int classes = 0;
    for (int c = 0; c < kTicketCategoryCount; ++c) {
        int tp = report.confusion[std::size_t(c)][std::size_t(c)];
        int labelled = 0;
        int predicted = 0;
        for (int o = 0; o < kTicketCategoryCount; ++o) {
            labelled += report.confusion[std::size_t(c)][std::size_t(o)];
            predicted += report.confusion[std::size_t(o)][std::size_t(c)];
        }
        if (labelled == 0 && predicted == 0)
            continue;
        ++classes;
        f1Sum += labelled + predicted > 0 ? 2.0 * tp / double(labelled + predicted) : 0.0;
    }
    report.categoryMacroF1 = classes > 0 ? f1Sum / classes : 0.0;
    return report;
}

QString AnalyzerEvaluation::format(const Report &report, double threshold)
{
    QString text;
    text += QStringLiteral("Ticket decision: %1 labelled conversations, %2 need a ticket\n")
                .arg(report.ticketSamples)
                .arg(report.positives);
    if (report.ticketSamples > 0) {
        text += QStringLiteral("  ROC AUC             %1\n").arg(report.auc, 0, 'f', 4);
        text += QStringLiteral("  at threshold %1: precision %2, recall %3, F1 %4\n")
                    .arg(threshold, 0, 'f', 2)
                    .arg(report.precision, 0, 'f', 4)
                    .arg(report.recall, 0, 'f', 4)
                    .arg(report.f1, 0, 'f', 4);
        text += QStringLiteral("  calibration (expected calibration error %1):\n")
                    .arg(report.expectedCalibrationError, 0, 'f', 4);
        text += QStringLiteral("    confidence   conversations   mean confidence   need a ticket\n");
        for (int b = 0; b < 10; ++b) {
            const CalibrationBin &bin = report.calibration[std::size_t(b)];
            if (bin.count == 0)
                continue;
            text += QStringLiteral("    %1-%2   %3   %4   %5\n")
                        .arg(b / 10.0, 0, 'f', 1)
                        .arg((b + 1) / 10.0, 0, 'f', 1)
                        .arg(bin.count, 13)
                        .arg(bin.meanConfidence, 15, 'f', 3)
                        .arg(bin.observedRate, 13, 'f', 3);
        }
    }
    text += QStringLiteral("Category: %1 labelled conversations\n").arg(report.categorySamples);
    if (report.categorySamples > 0) {
        text += QStringLiteral("  accuracy            %1\n").arg(report.categoryAccuracy, 0, 'f', 4);
        text += QStringLiteral("  macro-F1            %1\n").arg(report.categoryMacroF1, 0, 'f', 4);
        text += QStringLiteral("  confusion matrix (rows: label, columns: predicted)\n");
        text += QStringLiteral("  %1").arg(QString(), 10);
        for (int c = 0; c < kTicketCategoryCount; ++c)
            text += QStringLiteral(" %1").arg(Analysis::categoryName(TicketCategory(c)).left(9), 9);
        text += QLatin1Char('\n');
        for (int l = 0; l < kTicketCategoryCount; ++l) {
            text += QStringLiteral("  %1").arg(Analysis::categoryName(TicketCategory(l)), -10);
            for (int p = 0; p < kTicketCategoryCount; ++p)
                text += QStringLiteral(" %1").arg(report.confusion[std::size_t(l)][std::size_t(p)], 9);
            text += QLatin1Char('\n');
        }
    }
    return text;
}

} // namespace syncdesk
