#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTreeView;

namespace syncdesk::ui {

// One consistency report: the verdict in a sentence, then each check with what it found and repaired,
// and a few examples under each. Used by the report dialog and the Consistency page.
class ConsistencyReportView : public QWidget
{
    Q_OBJECT

public:
    explicit ConsistencyReportView(QWidget *parent = nullptr);

    // `report` as ConsistencyReport::toJson() (also sync.consistency_runs.details).
    void showReport(const QJsonObject &report);
    void showText(const QString &text);
    QString verdict() const;
    // A check's name (unlinked_customers, ...) for people, translated; `fallback` for unknown ones.
    static QString checkTitle(const QString &check, const QString &fallback);

private:
    QLabel *m_verdict = nullptr;
    QTreeView *m_tree = nullptr;
    QStandardItemModel *m_model = nullptr;
};

} // namespace syncdesk::ui
