#include "trainingdata.h"

#include "bitextreader.h"
#include "chatpadding.h"
#include "clincreader.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace syncdesk::tools {

namespace {

using R = Result<TrainingData>;

Result<QList<LabelledConversation>> readConversations(const QString &path)
{
    auto content = ConversationReader::readFile(path);
    if (!content)
        return Result<QList<LabelledConversation>>::failure(content.error());
    if (!content->errors.isEmpty())
        return Result<QList<LabelledConversation>>::failure(path + QStringLiteral(": ") +
                                                            content->errors.constFirst());
    return Result<QList<LabelledConversation>>::success(content->conversations);
}

// Help lines and chat logs are often exported with the customer's turns only: every written
// multi-turn conversation is also learnt (and measured) that way, in the same fold as the original.
bool hasCustomerOnlyForm(const LabelledConversation &conversation)
{
    int customer = 0;
    int others = 0;
    for (const AnalyzedMessage &message : conversation.messages)
        (message.role == AnalyzedMessage::Role::Customer ? customer : others) += 1;
    return customer >= 2 && others > 0;
}

// Several customer turns and nobody else's: a chat exported with the customer's side only.
bool isCustomerOnly(const LabelledConversation &conversation)
{
    return conversation.messages.size() >= 2 &&
           std::all_of(conversation.messages.begin(), conversation.messages.end(), [](const AnalyzedMessage &m) {
               return m.role == AnalyzedMessage::Role::Customer;
           });
}

LabelledConversation customerOnly(const LabelledConversation &conversation)
{
    LabelledConversation copy = conversation;
    copy.id += QStringLiteral("/customer-only");
    copy.messages.clear();
    for (const AnalyzedMessage &message : conversation.messages) {
        if (message.role == AnalyzedMessage::Role::Customer)
            copy.messages.append(message);
    }
    return copy;
}

// The written files: source = file name without extension, style = labels.style or "chat", with
// " (customer turns)" when only the customer's turns are there.
Result<bool> addWritten(const QStringList &paths, const FeatureExtractor &extractor, bool pad,
                        std::vector<TrainingExample> &examples, QList<LabelledConversation> &texts)
{
    for (const QString &path : paths) {
        auto conversations = readConversations(path);
        if (!conversations)
            return Result<bool>::failure(conversations.error());
        const QString source = QFileInfo(path).completeBaseName();
        QList<LabelledConversation> all;
        QList<bool> copies;
        QList<bool> padded;
        // Same file, same copies: the padding depends only on the file's own content.
        quint64 seed = Tokenizer::kFnvBasis;
        for (QChar c : source)
            seed = Tokenizer::mix(seed, c.unicode());
        std::mt19937 random{quint32(seed)};
        for (const LabelledConversation &conversation : conversations.value()) {
            all.append(conversation);
            copies.append(false);
            padded.append(false);
            if (hasCustomerOnlyForm(conversation)) {
                all.append(customerOnly(conversation));
                copies.append(true);
                padded.append(false);
            }
            if (pad && conversation.labels.value(QLatin1String("style")).toString() != QLatin1String("tweet")) {
                all.append(ChatPadding::padded(conversation, random));
                copies.append(false);
                padded.append(true);
            }
        }
        std::vector<TrainingExample> prepared = ModelTrainer::prepare(all, extractor, 1.0f);
        for (std::size_t i = 0; i < prepared.size(); ++i) {
            TrainingExample &example = prepared[i];
            const LabelledConversation &conversation = all[qsizetype(i)];
            QString style = conversation.labels.value(QLatin1String("style")).toString();
            if (style.isEmpty())
                style = QStringLiteral("chat");
            example.source = source;
            example.customerOnlyCopy = copies[qsizetype(i)];
            example.padded = padded[qsizetype(i)];
            if (example.padded)
                style += QStringLiteral(" (padded)");
            else if (isCustomerOnly(conversation))
                style += QStringLiteral(" (customer turns)");
            example.style = style;
            examples.push_back(std::move(example));
        }
        texts += all;
    }
    return Result<bool>::success(true);
}

std::vector<TrainingExample> tagged(std::vector<TrainingExample> examples, const QString &source,
                                    const QString &style)
{
    for (TrainingExample &example : examples) {
        example.source = source;
        example.style = style;
    }
    return examples;
}

} // namespace

Result<TrainingData> TrainingData::load(const Paths &paths, const FeatureExtractor &extractor)
{
    TrainingData data;
    const auto bitextTrain = BitextReader::read(paths.bitextTrain);
    const auto bitextDev = BitextReader::read(paths.bitextDev);
    if (!bitextTrain || !bitextDev)
        return R::failure(bitextTrain ? bitextDev.error() : bitextTrain.error());
    const QString bitext = QStringLiteral("bitext");
    const QString bitextStyle = QStringLiteral("e-commerce request (one line)");
    data.bitextTrain = tagged(ModelTrainer::prepare(bitextTrain.value(), extractor, 1.0f), bitext, bitextStyle);
    data.bitextDev = tagged(ModelTrainer::prepare(bitextDev.value(), extractor, 1.0f), bitext, bitextStyle);
    if (!paths.clincTrain.isEmpty()) {
        const auto clincTrain = ClincReader::read(paths.clincTrain);
        const auto clincDev = ClincReader::read(paths.clincDev);
        if (!clincTrain || !clincDev)
            return R::failure(clincTrain ? clincDev.error() : clincTrain.error());
        const QString clinc = QStringLiteral("clinc150");
        const QString clincStyle = QStringLiteral("assistant request (one line)");
        data.clincTrain = tagged(ModelTrainer::prepare(clincTrain.value(), extractor, 1.0f), clinc, clincStyle);
        data.clincDev = tagged(ModelTrainer::prepare(clincDev.value(), extractor, 1.0f), clinc, clincStyle);
    }
    auto written = addWritten(paths.conversations, extractor, true, data.conversations, data.conversationTexts);
    if (!written)
        return R::failure(written.error());
    written = addWritten(paths.tune, extractor, false, data.tune, data.tuneTexts);
    if (!written)
        return R::failure(written.error());
    QList<LabelledConversation> probeTexts;
    written = addWritten(paths.probes, extractor, false, data.probes, probeTexts);
    if (!written)
        return R::failure(written.error());
    // A calibration set is named by its folder (tests/data/blind2/tweets.jsonl is "blind2").
    for (const QString &path : paths.calibration) {
        QList<LabelledConversation> calibrationTexts;
        const std::size_t first = data.calibration.size();
        written = addWritten({path}, extractor, false, data.calibration, calibrationTexts);
        if (!written)
            return R::failure(written.error());
        for (std::size_t i = first; i < data.calibration.size(); ++i)
            data.calibration[i].source = QFileInfo(path).absoluteDir().dirName();
    }
    // Calibrate on the conversations as written, as they will be analysed.
    std::erase_if(data.calibration, [](const TrainingExample &example) {
        return example.customerOnlyCopy || example.ticket < 0;
    });
    for (TrainingExample &probe : data.probes) {
        probe.style = probe.source + QStringLiteral(": ") + probe.style;
        probe.source = probe.source.section(QLatin1Char('-'), 0, 0);
    }
    return R::success(std::move(data));
}

std::vector<TrainingExample> TrainingData::oneLiners() const
{
    std::vector<TrainingExample> rows = bitextTrain;
    rows.insert(rows.end(), clincTrain.begin(), clincTrain.end());
    return rows;
}

QStringList TrainingData::sources() const
{
    QStringList names{QStringLiteral("bitext")};
    if (!clincTrain.empty())
        names << QStringLiteral("clinc150");
    for (const TrainingExample &example : conversations) {
        if (!names.contains(example.source))
            names << example.source;
    }
    return names;
}

QStringList TrainingData::styles() const
{
    QStringList names;
    for (const TrainingExample &example : conversations) {
        if (!example.padded && !names.contains(example.style))
            names << example.style;
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace syncdesk::tools
