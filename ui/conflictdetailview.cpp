#include "ui/conflictdetailview.h"

#include "ui/comparisonmodel.h"
#include "ui/editvaluedialog.h"
#include "ui/liveeventrow.h"
#include "ui/tableviews.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

using Action = ConflictActions::Action;

ConflictDetailView::ConflictDetailView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("conflictDetail"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    m_comparison = new ComparisonModel({tr("Field"), tr("Baseline"), tr("Backend"), tr("Dashboard")}, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("conflictComparison"));
    m_table->setModel(m_comparison);
    TableViews::setUp(m_table);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(m_table, 1);
    m_state = new QLabel(this);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_state);

    auto *buttons = new QGridLayout;
    const QList<Action> actions{Action::UseBackend, Action::UseDashboard,    Action::Merge,
                                Action::KeepBoth,   Action::EditValue,       Action::LatestWins,
                                Action::Restore,    Action::DeleteOtherSide, Action::CreateAnyway,
                                Action::KeepApart};
    for (int i = 0; i < actions.size(); ++i) {
        const Action action = actions.at(i);
        auto *button = new QPushButton(ConflictActions::title(action), this);
        button->setObjectName(QStringLiteral("conflictAction%1").arg(int(action)));
        connect(button, &QPushButton::clicked, this, [this, action]() { choose(action); });
        m_buttons.insert(int(action), button);
        buttons->addWidget(button, i / 4, i % 4);
    }
    layout->addLayout(buttons);
    clear();
}

void ConflictDetailView::clear()
{
    m_conflict = {};
    m_title->setText(tr("Select a conflict to compare both sides."));
    m_state->clear();
    m_comparison->setRows({});
    updateButtons();
}

void ConflictDetailView::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void ConflictDetailView::showDetail(const QJsonObject &detail)
{
    m_conflict = detail.value(QLatin1String("conflict")).toObject();
    const QLocale locale;
    const QString entity = LiveEventRow::entityTitle(m_conflict.value(QLatin1String("entity")).toString());
    const QString record = detail.value(QLatin1String("record")).toString();
    const QDateTime detected =
        QDateTime::fromString(m_conflict.value(QLatin1String("detected_at")).toString(), Qt::ISODateWithMs);
    const ConflictActions actions(m_conflict);
    if (actions.isDuplicate()) {
        const QJsonObject details = m_conflict.value(QLatin1String("details")).toObject();
        const bool newInBackend =
            details.value(QLatin1String("new_side")).toString() == QLatin1String("backend");
        m_title->setText(tr("<b>%1 \"%2\"</b>, new in the %3, has the e-mail address of a %4 in the %5 "
                            "already · detected %6")
                             .arg(entity, record.toHtmlEscaped(),
                                  newInBackend ? tr("backend") : tr("dashboard"), entity.toLower(),
                                  newInBackend ? tr("dashboard") : tr("backend"),
                                  locale.toString(detected.toLocalTime(), QLocale::ShortFormat)));
    } else if (actions.isDeletion()) {
        m_title->setText(
            tr("<b>%1 \"%2\"</b> was deleted on one side and changed or kept on the other · detected %3")
                .arg(entity, record.toHtmlEscaped(),
                     locale.toString(detected.toLocalTime(), QLocale::ShortFormat)));
    } else {
        m_title->setText(
            tr("<b>%1 \"%2\"</b> · field <b>%3</b> changed on both sides · detected %4 · strategy %5")
                .arg(entity, record.toHtmlEscaped(), m_conflict.value(QLatin1String("field")).toString(),
                     locale.toString(detected.toLocalTime(), QLocale::ShortFormat),
                     m_conflict.value(QLatin1String("strategy")).toString()));
    }
    m_comparison->setRows(FieldComparison::conflictFields(detail.value(QLatin1String("fields")).toArray()));
    if (actions.isOpen()) {
        QStringList missing;
        if (!detail.value(QLatin1String("backend_exists")).toBool())
            missing << tr("the backend's record is gone");
        if (!detail.value(QLatin1String("dashboard_exists")).toBool())
            missing << tr("the dashboard's record is gone");
        m_state->setText(
            !missing.isEmpty() ? tr("Open: %1.").arg(missing.join(QStringLiteral(", ")))
            : actions.isDuplicate()
                ? tr("Open: the new record and its tickets wait until you decide. Create anyway "
                     "if they are different people; keep apart to leave it on its own side.") +
                      (m_conflict.value(QLatin1String("details"))
                               .toObject()
                               .value(QLatin1String("same_address"))
                               .toBool()
                           ? tr(" The other side had this very address when this was found: one of "
                                "the addresses must change before a copy can be made.")
                           : QString())
            : !actions.addressTakenOn().isEmpty()
                ? tr("Open: the %1 already has another customer with this address (ignoring case), so it "
                     "was not copied there; the customer's other fields keep syncing. Keep the address "
                     "the %1 has for them, or change one of the two customers' addresses first.")
                      .arg(actions.addressTakenOn() == QLatin1String("backend") ? tr("backend")
                                                                                : tr("dashboard"))
                : tr("Open: this field stops syncing for this record until you decide."));
    } else {
        const QDateTime resolved = QDateTime::fromString(
            m_conflict.value(QLatin1String("resolved_at")).toString(), Qt::ISODateWithMs);
        m_state->setText(
            tr("%1 by %2 on %3: %4, value \"%5\".")
                .arg(m_conflict.value(QLatin1String("status")).toString() == QLatin1String("preserved")
                         ? tr("Preserved")
                         : tr("Resolved"),
                     m_conflict.value(QLatin1String("resolved_by")).toString(),
                     locale.toString(resolved.toLocalTime(), QLocale::ShortFormat),
                     ConflictActions::resolutionTitle(
                         m_conflict.value(QLatin1String("resolution")).toString()),
                     FieldComparison::display(m_conflict.value(QLatin1String("resolved_value")))));
    }
    updateButtons();
}

void ConflictDetailView::updateButtons()
{
    const ConflictActions actions(m_conflict);
    const bool deletion = actions.isDeletion();
    const bool duplicate = actions.isDuplicate();
    for (auto it = m_buttons.cbegin(); it != m_buttons.cend(); ++it) {
        const Action action = Action(it.key());
        const bool forDeletions = action == Action::Restore || action == Action::DeleteOtherSide;
        const bool forDuplicates = action == Action::CreateAnyway || action == Action::KeepApart;
        // Show the buttons that belong to this kind of conflict; grey out the ones its field does not allow.
        it.value()->setVisible(m_conflict.isEmpty() ? !forDeletions && !forDuplicates
                               : duplicate          ? forDuplicates
                               : deletion           ? forDeletions || action == Action::KeepBoth
                                                    : !forDeletions && !forDuplicates);
        it.value()->setEnabled(!m_busy && actions.allows(action));
        it.value()->setToolTip(m_conflict.isEmpty() ? QString() : actions.whyNot(action));
        if (action == Action::KeepBoth || action == Action::UseBackend || action == Action::UseDashboard) {
            const QString preview = actions.allows(action) ? actions.preview(action) : QString();
            if (!preview.isEmpty())
                it.value()->setToolTip(tr("Both sides become: %1").arg(preview));
        }
    }
}

void ConflictDetailView::choose(Action action)
{
    const qint64 id = conflictId();
    if (!id)
        return;
    if (action != Action::EditValue) {
        Q_EMIT decided(id, action, QString());
        return;
    }
    auto *dialog = new EditValueDialog(ConflictActions(m_conflict), this);
    connect(dialog, &EditValueDialog::valueChosen, this,
            [this, id](const QString &typed) { Q_EMIT decided(id, Action::EditValue, typed); });
    dialog->open();
}

} // namespace syncdesk::ui
