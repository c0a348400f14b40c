#pragma once

#include "ui/conflictactions.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace syncdesk::ui {

// "Edit value": the person types what the field should say on both sides. Thin: ConflictActions
// parses and checks the text; this only shows it.
class EditValueDialog : public QDialog
{
    Q_OBJECT

public:
    EditValueDialog(ConflictActions actions, QWidget *parent = nullptr);

    QLineEdit *editor() const { return m_editor; }

Q_SIGNALS:
    void valueChosen(const QString &typed);

private:
    void check();

    ConflictActions m_actions;
    QLineEdit *m_editor = nullptr;
    QLabel *m_preview = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace syncdesk::ui
