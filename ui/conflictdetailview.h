#pragma once

#include "ui/conflictactions.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace syncdesk::ui {

class ComparisonModel;

// One conflict field by field: the baseline both sides last agreed on, the backend's value and the
// dashboard's, differences highlighted; the buttons for what can be done about it.
class ConflictDetailView : public QWidget
{
    Q_OBJECT

public:
    explicit ConflictDetailView(QWidget *parent = nullptr);

    // ConflictRecordQueries::detail().
    void showDetail(const QJsonObject &detail);
    void clear();
    void setBusy(bool busy);
    qint64 conflictId() const { return m_conflict.value(QLatin1String("id")).toInteger(); }
    const QJsonObject &conflict() const { return m_conflict; }
    QPushButton *button(ConflictActions::Action action) const { return m_buttons.value(int(action)); }
    ComparisonModel *comparison() const { return m_comparison; }

Q_SIGNALS:
    // `typed`: the value for EditValue.
    void decided(qint64 conflictId, syncdesk::ui::ConflictActions::Action action, const QString &typed);

private:
    void choose(ConflictActions::Action action);
    void updateButtons();

    QJsonObject m_conflict;
    QLabel *m_title = nullptr;
    QLabel *m_state = nullptr;
    QTableView *m_table = nullptr;
    ComparisonModel *m_comparison = nullptr;
    QHash<int, QPushButton *> m_buttons;
    bool m_busy = false;
};

} // namespace syncdesk::ui
