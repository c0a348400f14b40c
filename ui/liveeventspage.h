#pragma once

#include "sync/liveevent.h"
#include "ui/liveeventrow.h"
#include "ui/page.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QToolButton;

namespace syncdesk::ui {

class LiveEventDetail;
class LiveEventFilter;
class LiveEventModel;

// What the engine does, as it does it: the latest 50,000 events, filtered by side, entity, state and
// text; follow (stay on the newest) or pause (hold new events back while reading); the detail of the
// selected one; dead changes retried one by one, by selection or all at once.
class LiveEventsPage : public Page
{
    Q_OBJECT

public:
    LiveEventsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr,
                   int capacity = 50000);

    QString title() const override { return tr("Live events"); }
    QString iconName() const override { return QStringLiteral("live"); }
    void refresh() override;
    bool focusSearch() override;

    // A batch as the engine emits it (also what the benchmark drives).
    void addEvents(const syncdesk::LiveEvents &events);
    void setPaused(bool paused);
    void setFollowing(bool following);
    void retryEvents(const QList<qint64> &eventIds);
    void retryAllDead();

    LiveEventModel *model() const { return m_model; }
    LiveEventFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }
    LiveEventDetail *detail() const { return m_detail; }
    int heldBack() const { return int(m_held.size()); }

private:
    void applyFilters();
    void showCurrent();
    void updateCounts();
    void onRowsInserted(int first, int last);
    QList<qint64> selectedDeadEvents() const;

    LiveEventModel *m_model = nullptr;
    LiveEventFilter *m_filter = nullptr;
    QTableView *m_table = nullptr;
    LiveEventDetail *m_detail = nullptr;
    QComboBox *m_side = nullptr;
    QComboBox *m_entity = nullptr;
    QComboBox *m_status = nullptr;
    QLineEdit *m_text = nullptr;
    QToolButton *m_follow = nullptr;
    QToolButton *m_pause = nullptr;
    QPushButton *m_retrySelected = nullptr;
    QPushButton *m_retryAll = nullptr;
    QLabel *m_counts = nullptr;
    QList<LiveEventRow> m_held; // arrived while paused, oldest first, at most one ring's worth
    bool m_paused = false;
    bool m_following = true;
    bool m_countsDirty = false;
};

} // namespace syncdesk::ui
