#include "ui/bulkresolvedialog.h"

#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "ui/liveeventrow.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace syncdesk::ui {

BulkResolveDialog::BulkResolveDialog(std::shared_ptr<const Mapping> mapping, QWidget *parent)
    : QDialog(parent)
    , m_mapping(std::move(mapping))
{
    setObjectName(QStringLiteral("bulkResolveDialog"));
    setWindowTitle(tr("Resolve by rule"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_entity = new QComboBox(this);
    m_entity->addItem(tr("Any entity"), QString());
    for (const EntityDefinition &entity : m_mapping->entities)
        m_entity->addItem(LiveEventRow::entityTitle(entity.name), entity.name);
    m_field = new QComboBox(this);
    m_action = new QComboBox(this);
    for (ConflictActions::Action action : ConflictActions::bulkActions())
        m_action->addItem(ConflictActions::title(action), int(action));
    form->addRow(tr("Entity"), m_entity);
    form->addRow(tr("Field"), m_field);
    form->addRow(tr("Settle with"), m_action);
    layout->addLayout(form);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Resolve all that match"));
    layout->addWidget(buttons);
    connect(m_entity, &QComboBox::currentIndexChanged, this, &BulkResolveDialog::fillFields);
    connect(m_field, &QComboBox::currentIndexChanged, this, &BulkResolveDialog::describe);
    connect(m_action, &QComboBox::currentIndexChanged, this, &BulkResolveDialog::describe);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, this, [this]() {
        Q_EMIT ruleChosen(filter(), action());
        accept();
    });
    fillFields();
}

void BulkResolveDialog::fillFields()
{
    const QString entityName = m_entity->currentData().toString();
    const QSignalBlocker blocker(m_field);
    m_field->clear();
    m_field->addItem(tr("Any field"), QString());
    for (const EntityDefinition &entity : m_mapping->entities) {
        if (!entityName.isEmpty() && entity.name != entityName)
            continue;
        for (const QString &field : entity.fieldNames()) {
            if (m_field->findData(field) < 0)
                m_field->addItem(field, field);
        }
    }
    describe();
}

void BulkResolveDialog::describe()
{
    const QString entity = m_entity->currentText();
    const QString field =
        m_field->currentData().toString().isEmpty() ? tr("any field") : m_field->currentText();
    m_summary->setText(
        tr("Every open conflict of %1 in %2 will be settled with \"%3\". Conflicts this cannot settle "
           "(text cannot be merged) stay open and are listed.")
            .arg(entity, field, m_action->currentText()));
}

void BulkResolveDialog::setEntity(const QString &entity)
{
    m_entity->setCurrentIndex(std::max(0, m_entity->findData(entity)));
}

void BulkResolveDialog::setField(const QString &field)
{
    m_field->setCurrentIndex(std::max(0, m_field->findData(field)));
}

void BulkResolveDialog::setAction(ConflictActions::Action action)
{
    m_action->setCurrentIndex(std::max(0, m_action->findData(int(action))));
}

ConflictFilter BulkResolveDialog::filter() const
{
    ConflictFilter filter;
    filter.entity = m_entity->currentData().toString();
    filter.field = m_field->currentData().toString();
    return filter;
}

ConflictActions::Action BulkResolveDialog::action() const
{
    return ConflictActions::Action(m_action->currentData().toInt());
}

} // namespace syncdesk::ui
