#pragma once

#include "conflicts/conflictresolver.h"
#include "model/mapping.h"
#include "ui/conflictactions.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace syncdesk::ui {

// "Resolve by rule": every open conflict of an entity (and field) settled the same way, e.g. all
// phone numbers from the helpdesk. Thin: the page runs it, ConflictActions says what each choice means.
class BulkResolveDialog : public QDialog
{
    Q_OBJECT

public:
    explicit BulkResolveDialog(std::shared_ptr<const Mapping> mapping, QWidget *parent = nullptr);

    void setEntity(const QString &entity);
    void setField(const QString &field);
    void setAction(ConflictActions::Action action);
    ConflictFilter filter() const;
    ConflictActions::Action action() const;

Q_SIGNALS:
    void ruleChosen(const syncdesk::ConflictFilter &filter, syncdesk::ui::ConflictActions::Action action);

private:
    void fillFields();
    void describe();

    std::shared_ptr<const Mapping> m_mapping;
    QComboBox *m_entity = nullptr;
    QComboBox *m_field = nullptr;
    QComboBox *m_action = nullptr;
    QLabel *m_summary = nullptr;
};

} // namespace syncdesk::ui
