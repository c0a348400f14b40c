#include "ui/editvaluedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

EditValueDialog::EditValueDialog(ConflictActions actions, QWidget *parent)
    : QDialog(parent)
    , m_actions(std::move(actions))
{
    setObjectName(QStringLiteral("editValueDialog"));
    setWindowTitle(tr("Edit value"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(m_actions.fieldKind() == QLatin1String("set")
                                     ? tr("The values for both sides, separated by commas:")
                                     : tr("The value for both sides (empty clears it):"),
                                 this));
    m_editor = new QLineEdit(m_actions.initialText(), this);
    m_editor->selectAll();
    layout->addWidget(m_editor);
    m_preview = new QLabel(this);
    m_preview->setWordWrap(true);
    layout->addWidget(m_preview);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Use this value"));
    layout->addWidget(m_buttons);
    connect(m_editor, &QLineEdit::textChanged, this, &EditValueDialog::check);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this]() {
        if (!m_actions.decision(ConflictActions::Action::EditValue, m_editor->text()))
            return;
        Q_EMIT valueChosen(m_editor->text());
        accept();
    });
    check();
    resize(420, sizeHint().height());
}

void EditValueDialog::check()
{
    const auto decision = m_actions.decision(ConflictActions::Action::EditValue, m_editor->text());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(decision.ok());
    m_preview->setText(decision
                           ? tr("Both sides will read: %1")
                                 .arg(m_actions.preview(ConflictActions::Action::EditValue, m_editor->text()))
                           : decision.error());
}

} // namespace syncdesk::ui
