#pragma once

#include "queries/recordlistfilter.h"
#include "sync/liveevent.h"
#include "ui/jsontablemodel.h"
#include "ui/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;
class QVBoxLayout;

namespace syncdesk::ui {

class ComparisonModel;

// What the Customers and Tickets pages share: both systems' records side by side, one line per pair,
// with each pair's sync state; filters by text and state; pages of 200; the selected pair field by
// field. Subclasses say which read model, columns and fields, and add their actions.
class RecordsPage : public Page
{
    Q_OBJECT

public:
    RecordsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    void refresh() override;
    bool focusSearch() override;
    // Shows the pair that has this record (side: backend or dashboard), filtering by `text` to find it.
    void showRecord(const QString &side, qint64 id, const QString &text);
    void setStateFilter(const QString &state);
    void setText(const QString &text);

    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    ComparisonModel *comparison() const { return m_comparison; }
    QJsonObject currentRecord() const;
    static QString stateTitle(const QString &state);
    static QVariant stateCell(const QJsonObject &row, int role);

protected:
    // Called by the subclass's constructor once its own members exist.
    void setUp();
    virtual QList<JsonTableModel::Column> columns() const = 0;
    // The read model: a plain function, so the worker that runs it touches nothing of the page.
    using Loader = Result<QJsonObject> (*)(ReadConnections &db, const RecordListFilter &filter);
    virtual Loader loader() const = 0;
    virtual QStringList detailFields() const = 0;
    virtual QString recordName() const = 0; // "the customers"
    virtual void currentChanged(const QJsonObject &record) { Q_UNUSED(record) }
    QVBoxLayout *actionLayout() const { return m_actions; }
    // The live events that may change what this page shows (record_synced of its entity, ...).
    virtual bool concerns(const LiveEvent &event) const = 0;

private:
    void onCurrentChanged();
    void selectWanted();

    JsonTableModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    ComparisonModel *m_comparison = nullptr;
    QLineEdit *m_text = nullptr;
    QComboBox *m_state = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_detailTitle = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QVBoxLayout *m_actions = nullptr;
    QTimer *m_typing = nullptr;
    QTimer *m_liveRefresh = nullptr;
    int m_offset = 0;
    qint64 m_total = 0;
    QString m_wantedSide;
    qint64 m_wantedId = 0;
};

} // namespace syncdesk::ui
