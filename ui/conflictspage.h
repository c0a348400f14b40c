#pragma once

#include "conflicts/conflictresolver.h"
#include "ui/conflictactions.h"
#include "ui/page.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace syncdesk::ui {

class ConflictDetailView;
class JsonTableModel;

// The conflicts the engine left to a person, and the history of the settled ones (who, how, when).
// Select one to compare both sides field by field and settle it; settle a selection or every
// conflict matching a rule at once.
class ConflictsPage : public Page
{
    Q_OBJECT

public:
    ConflictsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Conflicts"); }
    QString iconName() const override { return QStringLiteral("conflicts"); }
    void refresh() override;
    bool focusSearch() override;

    // Settles one conflict (what the detail view's buttons do).
    void resolve(qint64 conflictId, ConflictActions::Action action, const QString &typed = {});
    void resolveMany(const syncdesk::ConflictFilter &filter, ConflictActions::Action action);
    void selectConflict(qint64 conflictId);
    void showStatus(const QString &status); // open, resolved, preserved, "" (all)

    QTableView *table() const { return m_table; }
    JsonTableModel *model() const { return m_model; }
    ConflictDetailView *detail() const { return m_detail; }

private:
    void loadDetail(qint64 conflictId);
    void onCurrentChanged();
    QList<qint64> selectedIds() const;
    void openRuleDialog();

    JsonTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_sorted = nullptr;
    QTableView *m_table = nullptr;
    ConflictDetailView *m_detail = nullptr;
    QComboBox *m_status = nullptr;
    QComboBox *m_entity = nullptr;
    QComboBox *m_field = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_resolveSelected = nullptr;
    QTimer *m_liveRefresh = nullptr;
    qint64 m_wanted = 0; // a conflict to select once the list has loaded
};

} // namespace syncdesk::ui
