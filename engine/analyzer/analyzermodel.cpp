#include "analyzer/analyzermodel.h"

#include <QDataStream>
#include <QIODevice>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace syncdesk {

namespace {

constexpr char kMagic[4] = {'S', 'D', 'A', 'M'};
// A turn's n-grams are scaled as if it had this many more: "no" or "what?" on its own must not
// weigh as much as a whole request.
constexpr double kShortTurnWords = 4.0;
constexpr double kShortTurnChars = 16.0;

} // namespace

AnalyzerModel::TurnFocus AnalyzerModel::strongestTurns(const float *ticketWeights,
                                                       const std::vector<quint32> &wordBuckets,
                                                       const std::vector<quint32> &charBuckets,
                                                       const std::vector<ConversationFeatures::Turn> &turns,
                                                       int window, int openTurn)
{
    TurnFocus focus;
    // Running sums over the turns: a window's sum is the difference of two prefix sums.
    constexpr int kMaxTurns = 64;
    std::array<double, kMaxTurns + 1> wordSum{};
    std::array<double, kMaxTurns + 1> charSum{};
    std::array<quint32, kMaxTurns + 1> wordEnd{};
    std::array<quint32, kMaxTurns + 1> charEnd{};
    // Long chats: only the last kMaxTurns customer turns compete (the request is rarely older); none
    // before the customer said the matter was settled.
    const int count = int(turns.size());
    const int skip = std::clamp(openTurn, std::max(0, count - kMaxTurns), std::max(0, count - 1));
    quint32 word = skip > 0 ? turns[std::size_t(skip - 1)].wordEnd : 0;
    quint32 character = skip > 0 ? turns[std::size_t(skip - 1)].charEnd : 0;
    wordEnd[0] = word;
    charEnd[0] = character;
    for (int t = skip; t < count; ++t) {
        const int k = t - skip + 1;
        double sum = 0.0;
        for (; word < turns[std::size_t(t)].wordEnd; ++word)
            sum += ticketWeights[std::size_t(wordBuckets[word]) * kOutputs];
        wordSum[std::size_t(k)] = wordSum[std::size_t(k - 1)] + sum;
        sum = 0.0;
        for (; character < turns[std::size_t(t)].charEnd; ++character)
            sum += ticketWeights[std::size_t(charBuckets[character]) * kOutputs];
        charSum[std::size_t(k)] = charSum[std::size_t(k - 1)] + sum;
        wordEnd[std::size_t(k)] = word;
        charEnd[std::size_t(k)] = character;
    }
    const int n = count - skip;
    for (int last = 1; last <= n; ++last) {
        const int first = std::max(1, last - window + 1);
        const quint32 words = wordEnd[std::size_t(last)] - wordEnd[std::size_t(first - 1)];
        const quint32 chars = charEnd[std::size_t(last)] - charEnd[std::size_t(first - 1)];
        if (words == 0)
            continue;
        const float wordScale = float(1.0 / std::sqrt(double(words) + kShortTurnWords));
        const float charScale = chars > 0 ? float(1.0 / std::sqrt(double(chars) + kShortTurnChars)) : 0.0f;
        const double text = (wordSum[std::size_t(last)] - wordSum[std::size_t(first - 1)]) * wordScale +
                            (charSum[std::size_t(last)] - charSum[std::size_t(first - 1)]) * charScale;
        if (focus.firstTurn < 0 || text > focus.text) {
            focus = {text, first - 1 + skip, last - 1 + skip, wordScale, charScale};
        }
    }
    return focus;
}

AnalyzerModel::Scores AnalyzerModel::score(const ConversationFeatures &features) const
{
    std::array<float, kOutputs> text{};
    const float *weights = hashedWeights.data();
    auto accumulate = [&](const std::vector<quint32> &buckets, float scale) {
        std::array<float, kOutputs> sum{};
        for (quint32 bucket : buckets) {
            const float *row = weights + std::size_t(bucket) * kOutputs;
            for (int k = 0; k < kOutputs; ++k)
                sum[std::size_t(k)] += row[k];
        }
        for (int k = 0; k < kOutputs; ++k)
            text[std::size_t(k)] += sum[std::size_t(k)] * scale;
    };
    accumulate(features.wordBuckets, features.wordScale);
    accumulate(features.charBuckets, features.charScale);
    Scores scores;
    if (turnShare > 0.0f && !features.turns.empty()) {
        const TurnFocus focus = strongestTurns(weights, features.wordBuckets, features.charBuckets, features.turns,
                                               int(turnWindow), features.openTurn);
        if (focus.firstTurn >= 0) {
            text[0] = float((1.0 - turnShare) * text[0] + turnShare * focus.text);
            scores.focusFirstMessage = features.turns[std::size_t(focus.firstTurn)].message;
            scores.focusLastMessage = features.turns[std::size_t(focus.lastTurn)].message;
        }
    }
    accumulate(features.assistantBuckets, features.assistantScale);

    std::array<double, kOutputs> logits{};
    for (int k = 0; k < kOutputs; ++k)
        logits[std::size_t(k)] = double(bias[std::size_t(k)]) + double(text[std::size_t(k)]);
    scores.textContribution = text[0];
    for (int s = 0; s < SignalCatalog::kCount; ++s) {
        const float value = features.signalValues[std::size_t(s)];
        if (value == 0.0f)
            continue;
        const float *row = signalWeights.data() + std::size_t(s) * kOutputs;
        for (int k = 0; k < kOutputs; ++k)
            logits[std::size_t(k)] += double(value) * double(row[k]);
        scores.signalContributions[std::size_t(s)] = double(value) * double(row[0]);
    }
    scores.ticketLogit = logits[0];
    double maxLogit = logits[1];
    for (int c = 1; c < kOutputs; ++c)
        maxLogit = std::max(maxLogit, logits[std::size_t(c)]);
    double total = 0.0;
    for (int c = 0; c < kTicketCategoryCount; ++c) {
        scores.categoryProbabilities[std::size_t(c)] = std::exp(logits[std::size_t(c + 1)] - maxLogit);
        total += scores.categoryProbabilities[std::size_t(c)];
    }
    for (double &p : scores.categoryProbabilities)
        p /= total;
    return scores;
}

double AnalyzerModel::probability(double logit) const
{
    return 1.0 / (1.0 + std::exp(-(calibrationSlope * logit + calibrationIntercept)));
}

QByteArray AnalyzerModel::toBytes(float prune) const
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out.setByteOrder(QDataStream::LittleEndian);
    out.setFloatingPointPrecision(QDataStream::SinglePrecision);
    out.writeRawData(kMagic, 4);
    out << kFormatVersion << version << metadata << lexiconFingerprint
        << quint32(ConversationFeatures::kHashBits) << quint32(kOutputs) << quint32(SignalCatalog::kCount);
    out.setFloatingPointPrecision(QDataStream::DoublePrecision);
    out << calibrationSlope << calibrationIntercept;
    out.setFloatingPointPrecision(QDataStream::SinglePrecision);
    out << turnShare << turnWindow;
    for (float b : bias)
        out << b;
    for (float w : signalWeights)
        out << w;
    // 16-bit weights with one scale per output keep the file small at no measurable loss.
    std::array<float, kOutputs> scale{};
    std::vector<quint32> kept;
    for (quint32 bucket = 0; bucket < ConversationFeatures::kBuckets; ++bucket) {
        const float *row = hashedWeights.data() + std::size_t(bucket) * kOutputs;
        bool keep = false;
        for (int k = 0; k < kOutputs; ++k) {
            keep = keep || std::fabs(row[k]) > prune;
            scale[std::size_t(k)] = std::max(scale[std::size_t(k)], std::fabs(row[k]));
        }
        if (keep && row[0] == row[0])
            kept.push_back(bucket);
    }
    for (float &s : scale)
        s = s > 0 ? s / 32767.0f : 1.0f;
    for (float s : scale)
        out << s;
    out << quint32(kept.size());
    quint32 previous = 0;
    for (quint32 bucket : kept) {
        out << quint32(bucket - previous);
        previous = bucket;
        const float *row = hashedWeights.data() + std::size_t(bucket) * kOutputs;
        for (int k = 0; k < kOutputs; ++k)
            out << qint16(std::lround(row[k] / scale[std::size_t(k)]));
    }
    return bytes;
}

Result<AnalyzerModel> AnalyzerModel::fromBytes(const QByteArray &bytes)
{
    using R = Result<AnalyzerModel>;
    if (bytes.size() < 8 || std::memcmp(bytes.constData(), kMagic, 4) != 0)
        return R::failure(QStringLiteral("not an analyzer model file"));
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_0);
    in.setByteOrder(QDataStream::LittleEndian);
    in.setFloatingPointPrecision(QDataStream::SinglePrecision);
    in.skipRawData(4);
    AnalyzerModel model;
    quint32 format = 0;
    quint32 hashBits = 0;
    quint32 outputs = 0;
    quint32 signalCount = 0;
    in >> format;
    if (format != kFormatVersion)
        return R::failure(QStringLiteral("analyzer model format %1 is not supported (expected %2)")
                              .arg(format)
                              .arg(kFormatVersion));
    in >> model.version >> model.metadata >> model.lexiconFingerprint >> hashBits >> outputs >> signalCount;
    if (hashBits != quint32(ConversationFeatures::kHashBits) || outputs != quint32(kOutputs) ||
        signalCount != quint32(SignalCatalog::kCount))
        return R::failure(
            QStringLiteral("analyzer model %1 was built for other features (%2 hash bits, %3 outputs, "
                           "%4 signals); retrain it")
                .arg(model.version)
                .arg(hashBits)
                .arg(outputs)
                .arg(signalCount));
    in.setFloatingPointPrecision(QDataStream::DoublePrecision);
    in >> model.calibrationSlope >> model.calibrationIntercept;
    in.setFloatingPointPrecision(QDataStream::SinglePrecision);
    in >> model.turnShare >> model.turnWindow;
    if (!(model.turnShare >= 0.0f && model.turnShare <= 1.0f) || model.turnWindow < 1 || model.turnWindow > 8)
        return R::failure(QStringLiteral("analyzer model file is corrupt (turn settings)"));
    for (float &b : model.bias)
        in >> b;
    for (float &w : model.signalWeights)
        in >> w;
    std::array<float, kOutputs> scale{};
    for (float &s : scale)
        in >> s;
    quint32 count = 0;
    in >> count;
    if (in.status() != QDataStream::Ok || count > ConversationFeatures::kBuckets)
        return R::failure(QStringLiteral("analyzer model file is truncated or corrupt"));
    // The buckets are most of the file: read them straight from the bytes (little-endian, as
    // written), not value by value through the stream.
    constexpr qint64 kRowBytes = 4 + 2 * kOutputs;
    const qint64 start = in.device()->pos();
    if (in.status() != QDataStream::Ok || start < 0 || bytes.size() - start < qint64(count) * kRowBytes)
        return R::failure(QStringLiteral("analyzer model file is truncated"));
    const auto *data = reinterpret_cast<const uchar *>(bytes.constData()) + start;
    quint32 bucket = 0;
    for (quint32 i = 0; i < count; ++i, data += kRowBytes) {
        bucket += qFromLittleEndian<quint32>(data);
        if (bucket >= ConversationFeatures::kBuckets)
            return R::failure(QStringLiteral("analyzer model file is corrupt (bucket out of range)"));
        float *row = model.hashedWeights.data() + std::size_t(bucket) * kOutputs;
        for (int k = 0; k < kOutputs; ++k)
            row[k] = float(qFromLittleEndian<qint16>(data + 4 + 2 * k)) * scale[std::size_t(k)];
    }
    if (bytes.size() - start != qint64(count) * kRowBytes)
        return R::failure(QStringLiteral("analyzer model file is corrupt (trailing bytes)"));
    return R::success(std::move(model));
}

} // namespace syncdesk
