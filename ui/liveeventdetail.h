#pragma once

#include "ui/liveeventrow.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace syncdesk::ui {

class BackgroundRunner;
class ComparisonModel;

// The selected live event in full: the record before and after (the fields that changed highlighted),
// and for a failed or dead change its captured images and the error, read from the outbox on a worker.
class LiveEventDetail : public QWidget
{
    Q_OBJECT

public:
    LiveEventDetail(QWidget *parent = nullptr);

    void showRow(const LiveEventRow &row);
    // The captured change (EventQueries::get) of the row shown, once loaded.
    void showOutboxEvent(qint64 eventId, const QJsonObject &event);
    void showLoadError(const QString &message);
    void clear();
    const LiveEventRow &row() const { return m_row; }
    ComparisonModel *comparison() const { return m_comparison; }

Q_SIGNALS:
    // The row shows a failed or dead change whose images are not loaded yet.
    void outboxEventWanted(qint64 eventId);
    void retryRequested(qint64 eventId);
    void openConflicts();

private:
    LiveEventRow m_row;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
    QTableView *m_table = nullptr;
    ComparisonModel *m_comparison = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_conflicts = nullptr;
};

} // namespace syncdesk::ui
