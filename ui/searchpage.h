#pragma once

#include "ui/page.h"

class QJsonObject;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace syncdesk::ui {

class JsonTableModel;

// One box over everything: customers of both systems, tickets of both, conversations and their
// messages; one result per record (a linked pair once, with both sides' ids), badged with its type;
// opening one shows it on its own page.
class SearchPage : public Page
{
    Q_OBJECT

public:
    SearchPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Search"); }
    QString iconName() const override { return QStringLiteral("search"); }
    void refresh() override;
    bool focusSearch() override;

    void search(const QString &text);
    void openResult(int row);
    JsonTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // "Customer", "Ticket", ... for a result's type.
    static QString typeTitle(const QString &type);
    // Where a result lives: both systems' ids (and the fields in which they differ), or one side's.
    static QString whereText(const QJsonObject &result);

Q_SIGNALS:
    void searched(int results);

private:
    QLineEdit *m_text = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    JsonTableModel *m_model = nullptr;
    QTimer *m_typing = nullptr;
    int m_generation = 0;
};

} // namespace syncdesk::ui
