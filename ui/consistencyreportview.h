#pragma once

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QModelIndex;
class QStandardItemModel;
class QTreeView;

namespace syncdesk::ui {

// One consistency report: the verdict in a sentence, then each check with what it found and repaired,
// and a few examples under each, named as a person knows them (a customer's name and e-mail, a
// ticket's subject), with the side and what differs. Double-clicking an example opens its record.
// Used by the report dialog and the Consistency page.
class ConsistencyReportView : public QWidget
{
    Q_OBJECT

public:
    // Where an example's record is shown: a source as MainWindow::openRecord takes it, and its id.
    struct Target
    {
        QString source; // backend_user, dashboard_customer, backend_ticket, dashboard_ticket, conversation
        qint64 id = 0;
        QJsonObject details;
    };

    explicit ConsistencyReportView(QWidget *parent = nullptr);

    // `report` as ConsistencyReport::toJson() (also sync.consistency_runs.details).
    void showReport(const QJsonObject &report);
    void showText(const QString &text);
    QString verdict() const;
    QTreeView *tree() const { return m_tree; }
    // A check's name (unlinked_customers, ...) for people, translated; `fallback` for unknown ones.
    static QString checkTitle(const QString &check, const QString &fallback);
    // One example of a check as a sentence; compact JSON for examples of checks it does not know.
    static QString exampleText(const QString &check, const QJsonObject &example);
    static Target exampleTarget(const QString &check, const QJsonObject &example);

Q_SIGNALS:
    void openRecord(const QString &source, qint64 id, const QJsonObject &details);

private:
    void open(const QModelIndex &index);

    QLabel *m_verdict = nullptr;
    QTreeView *m_tree = nullptr;
    QStandardItemModel *m_model = nullptr;
};

} // namespace syncdesk::ui
