#include "ui/conflictspage.h"

#include "queries/conflictrecordqueries.h"
#include "service/datasyncservice.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "ui/bulkresolvedialog.h"
#include "ui/conflictdetailview.h"
#include "ui/errortext.h"
#include "ui/fieldcomparison.h"
#include "ui/jsontablemodel.h"
#include "ui/liveeventrow.h"
#include "ui/messagebar.h"
#include "ui/tableviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>

namespace syncdesk::ui {

namespace {

using Action = ConflictActions::Action;

QVariant timeCell(const QJsonValue &value, int role)
{
    const QDateTime at = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    if (role == JsonTableModel::SortRole)
        return at;
    if (role == Qt::DisplayRole)
        return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
    return {};
}

QVariant text(const QJsonObject &row, const QString &key, int role)
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    return row.value(key).isString() ? row.value(key).toString() : FieldComparison::display(row.value(key));
}

} // namespace

ConflictsPage::ConflictsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : Page(context, runner, parent)
{
    setObjectName(QStringLiteral("conflictsPage"));
    auto *bar = new QHBoxLayout;
    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("conflictStatus"));
    m_status->addItem(tr("Open"), QStringLiteral("open"));
    m_status->addItem(tr("Resolved (history)"), QStringLiteral("resolved"));
    m_status->addItem(tr("Preserved (history)"), QStringLiteral("preserved"));
    m_status->addItem(tr("All"), QString());
    m_entity = new QComboBox(this);
    m_entity->addItem(tr("All entities"), QString());
    m_field = new QComboBox(this);
    m_field->addItem(tr("All fields"), QString());
    for (const EntityDefinition &entity : context.settings.mapping->entities) {
        m_entity->addItem(LiveEventRow::entityTitle(entity.name), entity.name);
        for (const QString &field : entity.fieldNames()) {
            if (m_field->findData(field) < 0)
                m_field->addItem(field, field);
        }
    }
    m_count = new QLabel(this);
    bar->addWidget(new QLabel(tr("Show"), this));
    bar->addWidget(m_status);
    bar->addWidget(m_entity);
    bar->addWidget(m_field);
    bar->addStretch(1);
    bar->addWidget(m_count);
    contentLayout()->addLayout(bar);

    const auto valueCell = [](const QString &key) {
        return [key](const QJsonObject &row, int role) { return text(row, key, role); };
    };
    m_model = new JsonTableModel(
        {
            {tr("Detected"),
             [](const QJsonObject &row, int role) {
                 return timeCell(row.value(QLatin1String("detected_at")), role);
             }},
            {tr("Record"), valueCell(QStringLiteral("record"))},
            {tr("Entity"),
             [](const QJsonObject &row, int role) -> QVariant {
                 return role == Qt::DisplayRole ? QVariant(LiveEventRow::entityTitle(
                                                      row.value(QLatin1String("entity")).toString()))
                                                : QVariant();
             }},
            {tr("Field"),
             [](const QJsonObject &row, int role) -> QVariant {
                 if (role != Qt::DisplayRole)
                     return {};
                 const QString kind = row.value(QLatin1String("kind")).toString();
                 return kind == QLatin1String("deleted")     ? tr("(record deleted)")
                        : kind == QLatin1String("duplicate") ? tr("(possible duplicate)")
                                                             : row.value(QLatin1String("field")).toString();
             }},
            {tr("Backend value"), valueCell(QStringLiteral("backend_value"))},
            {tr("Dashboard value"), valueCell(QStringLiteral("dashboard_value"))},
            {tr("Strategy"), valueCell(QStringLiteral("strategy"))},
            {tr("Status"), valueCell(QStringLiteral("status"))},
            {tr("Resolved by"), valueCell(QStringLiteral("resolved_by"))},
            {tr("How"),
             [](const QJsonObject &row, int role) -> QVariant {
                 return role == Qt::DisplayRole ? QVariant(ConflictActions::resolutionTitle(
                                                      row.value(QLatin1String("resolution")).toString()))
                                                : QVariant();
             }},
            {tr("Resolved"),
             [](const QJsonObject &row, int role) {
                 return timeCell(row.value(QLatin1String("resolved_at")), role);
             }},
        },
        JsonTableModel::idKey(QStringLiteral("id")), this);
    m_sorted = new QSortFilterProxyModel(this);
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(JsonTableModel::SortRole);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("conflictTable"));
    m_table->setModel(m_sorted);
    TableViews::setUp(m_table, true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::DescendingOrder);
    m_detail = new ConflictDetailView(splitter);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    contentLayout()->addWidget(splitter, 1);

    auto *bottom = new QHBoxLayout;
    m_resolveSelected = new QPushButton(tr("Resolve selected"), this);
    m_resolveSelected->setObjectName(QStringLiteral("resolveSelected"));
    auto *menu = new QMenu(m_resolveSelected);
    for (Action action : ConflictActions::bulkActions()) {
        menu->addAction(ConflictActions::title(action), this, [this, action]() {
            ConflictFilter filter;
            filter.ids = selectedIds();
            if (filter.ids.isEmpty()) {
                messageBar()->showMessage(MessageBar::Kind::Info,
                                          tr("Select the open conflicts to resolve first."));
                return;
            }
            resolveMany(filter, action);
        });
    }
    m_resolveSelected->setMenu(menu);
    auto *byRule = new QPushButton(tr("Resolve by rule…"), this);
    byRule->setObjectName(QStringLiteral("resolveByRule"));
    bottom->addWidget(m_resolveSelected);
    bottom->addWidget(byRule);
    bottom->addStretch(1);
    contentLayout()->addLayout(bottom);

    for (QComboBox *combo : {m_status, m_entity, m_field})
        connect(combo, &QComboBox::currentIndexChanged, this, &ConflictsPage::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ConflictsPage::onCurrentChanged);
    connect(m_detail, &ConflictDetailView::decided, this,
            [this](qint64 id, Action action, const QString &typed) { resolve(id, action, typed); });
    connect(byRule, &QPushButton::clicked, this, &ConflictsPage::openRuleDialog);
    // New and settled conflicts arrive as live events: refresh, at most twice a second.
    m_liveRefresh = new QTimer(this);
    m_liveRefresh->setSingleShot(true);
    m_liveRefresh->setInterval(500);
    connect(m_liveRefresh, &QTimer::timeout, this, &ConflictsPage::refresh);
    connect(context.engine, &DataSyncService::liveEvents, this, [this](const LiveEvents &events) {
        if (!hasLoaded() || m_liveRefresh->isActive())
            return;
        for (const LiveEvent &event : events) {
            if (event.kind == LiveEventKind::Conflict || event.kind == LiveEventKind::ConflictResolved) {
                m_liveRefresh->start();
                return;
            }
        }
    });
}

void ConflictsPage::refresh()
{
    ConflictListFilter filter;
    filter.status = m_status->currentData().toString();
    filter.entity = m_entity->currentData().toString();
    filter.field = m_field->currentData().toString();
    filter.limit = 1000;
    query([filter](ReadConnections &db) { return ConflictRecordQueries::list(db, filter); },
          [this](const Result<QJsonObject> &list) {
              if (!list) {
                  messageBar()->showError(ErrorText::forQuery(tr("the conflicts"), list.error()));
                  return;
              }
              const qint64 current = m_detail->conflictId();
              const bool first = m_model->rowCount() == 0;
              m_model->setRows(list->value(QLatin1String("items")).toArray());
              if (first && m_model->rowCount() > 0)
                  TableViews::fitColumns(m_table, 240);
              const qint64 total = list->value(QLatin1String("total")).toInteger();
              m_count->setText(total > m_model->rowCount() ? tr("%1 of %2 shown")
                                                                 .arg(QLocale().toString(m_model->rowCount()),
                                                                      QLocale().toString(total))
                                                           : tr("%n conflict(s)", nullptr, int(total)));
              if (m_wanted) {
                  selectConflict(std::exchange(m_wanted, 0));
              } else if (current && !m_table->currentIndex().isValid() &&
                         m_model->rowOfId(QString::number(current)) >= 0) {
                  selectConflict(current); // a reordered list lost the selection
              } else if (current) {
                  loadDetail(current); // its state may have changed
              } else if (m_model->rowCount() > 0 && !m_table->currentIndex().isValid()) {
                  m_table->setCurrentIndex(m_sorted->index(0, 0));
              }
          });
}

bool ConflictsPage::focusSearch()
{
    m_field->setFocus(Qt::ShortcutFocusReason);
    return true;
}

void ConflictsPage::showStatus(const QString &status)
{
    m_status->setCurrentIndex(std::max(0, m_status->findData(status)));
}

void ConflictsPage::selectConflict(qint64 conflictId)
{
    const int row = m_model->rowOfId(QString::number(conflictId));
    if (row < 0) {
        loadDetail(conflictId);
        return;
    }
    const QModelIndex index = m_sorted->mapFromSource(m_model->index(row, 0));
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void ConflictsPage::onCurrentChanged()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid())
        return;
    loadDetail(current.data(JsonTableModel::IdRole).toString().toLongLong());
}

void ConflictsPage::loadDetail(qint64 conflictId)
{
    query([conflictId](ReadConnections &db) { return ConflictRecordQueries::detail(db, conflictId); },
          [this, conflictId](const Result<QJsonObject> &detail) {
              const QModelIndex current = m_table->currentIndex();
              if (current.isValid() &&
                  current.data(JsonTableModel::IdRole).toString().toLongLong() != conflictId)
                  return; // another conflict was selected meanwhile
              if (!detail) {
                  messageBar()->showError(
                      ErrorText::forQuery(tr("conflict %1").arg(conflictId), detail.error()));
                  return;
              }
              m_detail->showDetail(detail.value());
          });
}

void ConflictsPage::resolve(qint64 conflictId, Action action, const QString &typed)
{
    // The detail has the conflict's values; a conflict resolved from elsewhere is read again first.
    const QJsonObject conflict = m_detail->conflictId() == conflictId ? m_detail->conflict() : QJsonObject();
    const auto decision = ConflictActions(conflict).decision(action, typed);
    if (!decision) {
        messageBar()->showError(decision.error());
        return;
    }
    DataSyncService *engine = context().engine;
    const QString actor = context().actor;
    const ConflictDecision chosen = decision.value();
    m_detail->setBusy(true);
    runner()->run(
        this,
        [engine, conflictId, chosen, actor]() { return engine->conflicts().resolve(conflictId, chosen, actor); },
        [this, conflictId, action](const OperationResult &result) {
            m_detail->setBusy(false);
            if (!result.success) {
                messageBar()->showError(
                    ErrorText::forOperation(tr("Resolving conflict %1").arg(conflictId), result));
                loadDetail(conflictId);
                return;
            }
            const QString field = result.data.value(QLatin1String("field")).toString();
            messageBar()->showSuccess(
                field.isEmpty()
                    ? tr("Conflict %1 resolved (%2).")
                          .arg(QString::number(conflictId), ConflictActions::title(action))
                    : tr("Conflict %1 resolved: %2 is now \"%3\" on both sides.")
                          .arg(QString::number(conflictId), field,
                               FieldComparison::display(result.data.value(QLatin1String("value")))));
            refresh();
        });
}

void ConflictsPage::resolveMany(const ConflictFilter &filter, Action action)
{
    const auto decision = ConflictActions::bulkDecision(action);
    if (!decision) {
        messageBar()->showError(decision.error());
        return;
    }
    DataSyncService *engine = context().engine;
    const QString actor = context().actor;
    const ConflictDecision chosen = decision.value();
    m_resolveSelected->setEnabled(false);
    runner()->run(
        this,
        [engine, filter, chosen, actor]() { return engine->conflicts().resolveAll(filter, chosen, actor); },
        [this](const Result<BulkResolution> &result) {
            m_resolveSelected->setEnabled(true);
            if (!result) {
                messageBar()->showError(ErrorText::forOperation(
                    tr("Resolving the conflicts"),
                    OperationResult::fail(OperationResult::Failure::Failed, result.error())));
                return;
            }
            if (result->failures.isEmpty())
                messageBar()->showSuccess(tr("%n conflict(s) resolved.", nullptr, result->resolved));
            else
                messageBar()->showError(
                    tr("%1 conflict(s) resolved; %2 could not be: %3. Settle those one by one.")
                        .arg(QString::number(result->resolved), QString::number(result->failures.size()),
                             result->failures.mid(0, 5).join(QStringLiteral("; "))));
            refresh();
        });
}

QList<qint64> ConflictsPage::selectedIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const QJsonObject row = index.data(JsonTableModel::RowRole).toJsonObject();
        if (row.value(QLatin1String("status")).toString() == QLatin1String("open"))
            ids << row.value(QLatin1String("id")).toInteger();
    }
    return ids;
}

void ConflictsPage::openRuleDialog()
{
    auto *dialog = new BulkResolveDialog(context().settings.mapping, this);
    dialog->setEntity(m_entity->currentData().toString());
    dialog->setField(m_field->currentData().toString());
    connect(dialog, &BulkResolveDialog::ruleChosen, this,
            [this](const ConflictFilter &filter, Action action) { resolveMany(filter, action); });
    dialog->open();
}

} // namespace syncdesk::ui
