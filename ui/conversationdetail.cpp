#include "ui/conversationdetail.h"

#include "ui/icons.h"
#include "ui/jsontablemodel.h"
#include "ui/tableviews.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace syncdesk::ui {

QString ConversationDetail::resultTitle(const QString &result)
{
    if (result == QLatin1String("create_ticket"))
        return tr("create a ticket");
    if (result == QLatin1String("link_ticket"))
        return tr("link to an open ticket");
    if (result == QLatin1String("needs_review"))
        return tr("needs review");
    if (result == QLatin1String("no_action"))
        return tr("no action");
    return result;
}

ConversationDetail::ConversationDetail(double threshold, QWidget *parent)
    : QWidget(parent)
    , m_threshold(threshold)
{
    setObjectName(QStringLiteral("conversationDetail"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);

    auto *scoreLine = new QHBoxLayout;
    scoreLine->addWidget(new QLabel(tr("Ticket needed:"), this));
    m_confidence = new QProgressBar(this);
    m_confidence->setObjectName(QStringLiteral("confidenceBar"));
    m_confidence->setRange(0, 100);
    m_confidence->setFormat(QStringLiteral("%p %"));
    scoreLine->addWidget(m_confidence, 1);
    layout->addLayout(scoreLine);
    m_analysis = new QLabel(this);
    m_analysis->setWordWrap(true);
    m_analysis->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_analysis);
    m_ticket = new QLabel(this);
    m_ticket->setObjectName(QStringLiteral("conversationTicket"));
    m_ticket->setWordWrap(true);
    connect(m_ticket, &QLabel::linkActivated, this,
            [this](const QString &link) { Q_EMIT openTicket(link.toLongLong()); });
    layout->addWidget(m_ticket);

    auto *buttons = new QHBoxLayout;
    m_analyze = new QPushButton(Icons::get(QStringLiteral("analyze")), tr("Analyze"), this);
    m_analyze->setObjectName(QStringLiteral("analyzeConversation"));
    m_create = new QPushButton(Icons::get(QStringLiteral("ticket-add")), tr("Create ticket…"), this);
    m_create->setObjectName(QStringLiteral("createTicket"));
    m_link = new QPushButton(Icons::get(QStringLiteral("link")), tr("Link to ticket…"), this);
    m_link->setObjectName(QStringLiteral("linkTicket"));
    buttons->addWidget(m_analyze);
    buttons->addWidget(m_create);
    buttons->addWidget(m_link);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_analyze, &QPushButton::clicked, this, [this]() { Q_EMIT analyzeRequested(conversationId()); });
    connect(m_create, &QPushButton::clicked, this,
            [this]() { Q_EMIT createTicketRequested(conversationId()); });
    connect(m_link, &QPushButton::clicked, this, [this]() { Q_EMIT linkTicketRequested(conversationId()); });

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_signalModel = new JsonTableModel(
        {{tr("Signal"),
          [](const QJsonObject &row, int role) -> QVariant {
              return role == Qt::DisplayRole ? QVariant(row.value(QLatin1String("name")).toString())
                                             : QVariant();
          }},
         {tr("Why"),
          [](const QJsonObject &row, int role) -> QVariant {
              return role == Qt::DisplayRole || role == Qt::ToolTipRole
                         ? QVariant(row.value(QLatin1String("detail")).toString())
                         : QVariant();
          }},
         {tr("Weight"),
          [](const QJsonObject &row, int role) -> QVariant {
              const double weight = row.value(QLatin1String("weight")).toDouble();
              if (role == Qt::DisplayRole)
                  return QLocale().toString(weight, 'f', 2);
              if (role == Qt::ForegroundRole)
                  return weight >= 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28);
              return {};
          }}},
        [](const QJsonObject &row) {
            return row.value(QLatin1String("name")).toString() +
                   row.value(QLatin1String("detail")).toString();
        },
        this);
    m_signals = new QTableView(splitter);
    m_signals->setObjectName(QStringLiteral("signalTable"));
    m_signals->setModel(m_signalModel);
    TableViews::setUp(m_signals);
    m_signals->horizontalHeader()->setStretchLastSection(false);
    m_signals->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_transcript = new QTextBrowser(splitter);
    m_transcript->setObjectName(QStringLiteral("transcript"));
    splitter->addWidget(m_signals);
    splitter->addWidget(m_transcript);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);
    clear();
}

void ConversationDetail::clear()
{
    m_conversation = {};
    m_title->setText(tr("Select a conversation to see its analysis and transcript."));
    m_confidence->setValue(0);
    m_analysis->clear();
    m_ticket->clear();
    m_signalModel->setRows({});
    m_transcript->clear();
    updateButtons();
}

void ConversationDetail::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void ConversationDetail::updateButtons()
{
    const bool have = conversationId() != 0;
    const bool hasTicket = !m_conversation.value(QLatin1String("ticket")).isNull() &&
                           m_conversation.contains(QLatin1String("ticket"));
    m_analyze->setEnabled(have && !m_busy);
    m_create->setEnabled(have && !m_busy && !hasTicket);
    m_link->setEnabled(have && !m_busy && !hasTicket);
    const QString why = hasTicket ? tr("This conversation already has a ticket.") : QString();
    m_create->setToolTip(why);
    m_link->setToolTip(why);
}

QString ConversationDetail::ticketText() const
{
    return m_ticket->text();
}

void ConversationDetail::showConversation(const QJsonObject &conversation)
{
    m_conversation = conversation;
    const QLocale locale;
    m_title->setText(tr("<b>%1</b><br>%2 &lt;%3&gt; · %4 · %5")
                         .arg(conversation.value(QLatin1String("subject")).toString().toHtmlEscaped(),
                              conversation.value(QLatin1String("customer")).toString().toHtmlEscaped(),
                              conversation.value(QLatin1String("email")).toString().toHtmlEscaped(),
                              conversation.value(QLatin1String("channel")).toString(),
                              conversation.value(QLatin1String("status")).toString()));
    const QJsonObject analysis = conversation.value(QLatin1String("analysis")).toObject();
    if (analysis.isEmpty()) {
        m_confidence->setValue(0);
        m_confidence->setFormat(tr("not analysed"));
        m_analysis->setText(tr("Not analysed yet: press Analyze."));
        m_signalModel->setRows({});
    } else {
        const double confidence = analysis.value(QLatin1String("confidence")).toDouble();
        m_confidence->setValue(int(std::lround(confidence * 100.0)));
        m_confidence->setFormat(QStringLiteral("%p %"));
        m_confidence->setStyleSheet(confidence >= m_threshold
                                        ? QStringLiteral("QProgressBar::chunk { background: #2f6fde; }")
                                        : QStringLiteral("QProgressBar::chunk { background: #90a4ae; }"));
        const double sentiment = analysis.value(QLatin1String("sentiment")).toDouble();
        m_analysis->setText(
            tr("<b>Result:</b> %1 · <b>Category:</b> %2 · <b>Priority:</b> %3 · <b>Sentiment:</b> %4 (%5)<br>"
               "<b>Suggested subject:</b> %6<br><b>Summary:</b> %7")
                .arg(resultTitle(analysis.value(QLatin1String("result")).toString()),
                     analysis.value(QLatin1String("category")).toString(),
                     analysis.value(QLatin1String("priority")).toString(),
                     sentiment < -0.25  ? tr("negative")
                     : sentiment > 0.25 ? tr("positive")
                                        : tr("neutral"),
                     locale.toString(sentiment, 'f', 2),
                     analysis.value(QLatin1String("subject")).toString().toHtmlEscaped(),
                     analysis.value(QLatin1String("summary")).toString().toHtmlEscaped()));
        // The signals that weigh most explain the score best: those first.
        QJsonArray signalList = analysis.value(QLatin1String("signals")).toArray();
        QList<QJsonValue> sorted(signalList.cbegin(), signalList.cend());
        std::stable_sort(sorted.begin(), sorted.end(), [](const QJsonValue &a, const QJsonValue &b) {
            return std::abs(a.toObject().value(QLatin1String("weight")).toDouble()) >
                   std::abs(b.toObject().value(QLatin1String("weight")).toDouble());
        });
        QJsonArray ordered;
        for (const QJsonValue &value : sorted)
            ordered.append(value);
        m_signalModel->setRows(ordered);
        m_signals->resizeColumnToContents(0);
    }
    const QJsonObject ticket = conversation.value(QLatin1String("ticket")).toObject();
    if (ticket.isEmpty()) {
        m_ticket->setText(tr("No ticket yet."));
    } else {
        const qint64 id = ticket.value(QLatin1String("dashboard_ticket_id")).toInteger();
        m_ticket->setText(
            tr("Ticket <a href=\"%1\">#%1</a> \"%2\" (%3), %4 by %5.")
                .arg(QString::number(id), ticket.value(QLatin1String("subject")).toString().toHtmlEscaped(),
                     ticket.value(QLatin1String("status")).toString(),
                     ticket.value(QLatin1String("link_kind")).toString() == QLatin1String("created")
                         ? tr("created")
                         : tr("linked"),
                     ticket.value(QLatin1String("linked_by")).toString().toHtmlEscaped()));
    }

    QString html;
    for (const QJsonValue &value : conversation.value(QLatin1String("messages")).toArray()) {
        const QJsonObject message = value.toObject();
        const QString role = message.value(QLatin1String("role")).toString();
        const QString who = role == QLatin1String("customer")    ? tr("Customer")
                            : role == QLatin1String("assistant") ? tr("AI agent")
                            : role == QLatin1String("agent")     ? tr("Support agent")
                                                                 : tr("System");
        const QString color =
            role == QLatin1String("customer") ? QStringLiteral("#1565c0") : QStringLiteral("#455a64");
        const QDateTime at =
            QDateTime::fromString(message.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
        html += QStringLiteral("<p><b style='color:%1'>%2</b> <span style='color:#888'>%3</span><br>%4</p>")
                    .arg(color, who, locale.toString(at.toLocalTime(), QLocale::ShortFormat),
                         message.value(QLatin1String("content"))
                             .toString()
                             .toHtmlEscaped()
                             .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    }
    m_transcript->setHtml(html);
    updateButtons();
}

} // namespace syncdesk::ui
