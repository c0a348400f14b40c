#include "ui/consistencypage.h"

#include "queries/consistencyqueries.h"
#include "service/datasyncservice.h"
#include "tasks/taskscheduler.h"
#include "ui/consistencycheckcontroller.h"
#include "ui/consistencyreportview.h"
#include "ui/errortext.h"
#include "ui/icons.h"
#include "ui/jsontablemodel.h"
#include "ui/messagebar.h"
#include "ui/tableviews.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>

namespace syncdesk::ui {

namespace {

JsonTableModel::Column number(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                return role == Qt::DisplayRole ? QVariant(QLocale().toString(row.value(key).toInteger()))
                                               : QVariant();
            }};
}

JsonTableModel::Column timeColumn(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                const QDateTime at = QDateTime::fromString(row.value(key).toString(), Qt::ISODateWithMs);
                return role == Qt::DisplayRole && at.isValid()
                           ? QVariant(QLocale().toString(at.toLocalTime(), QLocale::ShortFormat))
                           : QVariant();
            }};
}

QString statusTitle(const QString &status)
{
    if (status == QLatin1String("running"))
        return ConsistencyPage::tr("running");
    if (status == QLatin1String("completed"))
        return ConsistencyPage::tr("completed");
    if (status == QLatin1String("failed"))
        return ConsistencyPage::tr("failed");
    if (status == QLatin1String("cancelled"))
        return ConsistencyPage::tr("cancelled");
    return status;
}

} // namespace

ConsistencyPage::ConsistencyPage(const UiContext &context, BackgroundRunner *runner,
                                 ConsistencyCheckController *consistency, QWidget *parent)
    : Page(context, runner, parent)
    , m_consistency(consistency)
{
    setObjectName(QStringLiteral("consistencyPage"));
    auto *bar = new QHBoxLayout;
    m_run = new QPushButton(Icons::get(QStringLiteral("consistency")), tr("Run now"), this);
    m_run->setObjectName(QStringLiteral("runConsistencyNow"));
    bar->addWidget(m_run);
    bar->addStretch(1);
    contentLayout()->addLayout(bar);

    m_model = new JsonTableModel(
        {number(tr("Run"), QStringLiteral("id")),
         timeColumn(tr("Started"), QStringLiteral("started_at")),
         timeColumn(tr("Finished"), QStringLiteral("finished_at")),
         {tr("Status"),
          [](const QJsonObject &row, int role) -> QVariant {
              const QString status = row.value(QLatin1String("status")).toString();
              if (role == Qt::DisplayRole)
                  return statusTitle(status);
              if (role == Qt::ForegroundRole && status == QLatin1String("failed"))
                  return QColor(0xc6, 0x28, 0x28);
              if (role == Qt::ToolTipRole)
                  return row.value(QLatin1String("error")).toString();
              return {};
          }},
         {tr("Triggered by"),
          [](const QJsonObject &row, int role) -> QVariant {
              return role == Qt::DisplayRole ? QVariant(row.value(QLatin1String("triggered_by")).toString())
                                             : QVariant();
          }},
         number(tr("Issues"), QStringLiteral("issues_found")),
         number(tr("Repaired"), QStringLiteral("repaired")),
         {tr("Remaining"),
          [](const QJsonObject &row, int role) -> QVariant {
              const qint64 remaining = row.value(QLatin1String("issues_found")).toInteger() -
                                       row.value(QLatin1String("repaired")).toInteger();
              if (role == Qt::DisplayRole)
                  return QLocale().toString(remaining);
              if (role == Qt::ForegroundRole && remaining > 0)
                  return QColor(0xc6, 0x28, 0x28);
              return {};
          }}},
        JsonTableModel::idKey(QStringLiteral("id")), this);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("consistencyRuns"));
    m_table->setModel(m_model);
    TableViews::setUp(m_table);
    // Every column as wide as its longest entry: the times and "completed" are never cut.
    for (int column = 0; column + 1 < m_model->columnCount(); ++column)
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_report = new ConsistencyReportView(splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_report);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    contentLayout()->addWidget(splitter, 1);

    connect(m_run, &QPushButton::clicked, m_consistency, &ConsistencyCheckController::start);
    connect(m_consistency, &ConsistencyCheckController::started, this, [this]() { refresh(); });
    connect(m_consistency, &ConsistencyCheckController::finished, this, [this]() { refresh(); });
    connect(m_consistency, &ConsistencyCheckController::failed, messageBar(), &MessageBar::showError);
    connect(m_report, &ConsistencyReportView::openRecord, this, &Page::openRecord);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ConsistencyPage::showRun);
}

void ConsistencyPage::refresh()
{
    query([](QSqlDatabase &db) { return ConsistencyQueries::latest(db, 200); },
          [this](const Result<QJsonArray> &runs) {
              if (!runs) {
                  messageBar()->showError(ErrorText::forQuery(tr("the consistency checks"), runs.error()));
                  return;
              }
              m_model->setRows(runs.value());
              if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0)
                  m_table->setCurrentIndex(m_model->index(0, 0));
              else
                  showRun();
              if (runs->isEmpty())
                  m_report->showText(tr("No consistency check has run yet. Press \"Run now\"."));
          });
}

void ConsistencyPage::showRun()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    const QJsonObject run = m_model->rowAt(current.row());
    const QString status = run.value(QLatin1String("status")).toString();
    if (status == QLatin1String("running"))
        m_report->showText(
            tr("Run %1 is still running (%2 %).")
                .arg(QString::number(run.value(QLatin1String("id")).toInteger()),
                     QString::number(qRound(run.value(QLatin1String("progress")).toDouble() * 100))));
    else if (status == QLatin1String("failed"))
        m_report->showText(tr("Run %1 failed: %2")
                               .arg(QString::number(run.value(QLatin1String("id")).toInteger()),
                                    run.value(QLatin1String("error")).toString().toHtmlEscaped()));
    else
        m_report->showReport(run.value(QLatin1String("report")).toObject());
}

} // namespace syncdesk::ui
