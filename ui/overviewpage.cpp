#include "ui/overviewpage.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace syncdesk::ui {

OverviewPage::OverviewPage(const QString &databaseDescription, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *where = new QLabel(tr("Database: %1").arg(databaseDescription), this);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    where->setWordWrap(true);
    layout->addWidget(where);

    auto *sides = new QHBoxLayout;
    auto *backendBox = new QGroupBox(tr("Main backend"), this);
    auto *backendGrid = new QGridLayout(backendBox);
    m_backendUsers = addRow(backendGrid, 0, tr("Users"));
    m_backendConversations = addRow(backendGrid, 1, tr("Conversations"));
    m_backendMessages = addRow(backendGrid, 2, tr("Messages"));
    m_backendTickets = addRow(backendGrid, 3, tr("Tickets"));
    sides->addWidget(backendBox);

    auto *dashboardBox = new QGroupBox(tr("Helpdesk dashboard"), this);
    auto *dashboardGrid = new QGridLayout(dashboardBox);
    m_dashboardCustomers = addRow(dashboardGrid, 0, tr("Customers"));
    m_dashboardTickets = addRow(dashboardGrid, 1, tr("Tickets"));
    dashboardGrid->setRowStretch(2, 1);
    sides->addWidget(dashboardBox);
    layout->addLayout(sides);

    auto *queueBox = new QGroupBox(tr("Change queue"), this);
    auto *queueGrid = new QGridLayout(queueBox);
    m_pending = addRow(queueGrid, 0, tr("Pending changes"));
    m_oldestPending = addRow(queueGrid, 1, tr("Oldest pending"));
    m_capturedLastMinute = addRow(queueGrid, 2, tr("Captured in the last minute"));
    m_dead = addRow(queueGrid, 3, tr("Dead events"));
    layout->addWidget(queueBox);

    m_error = new QLabel(this);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    layout->addStretch(1);
}

QLabel *OverviewPage::addRow(QGridLayout *grid, int row, const QString &label)
{
    grid->addWidget(new QLabel(label, this), row, 0);
    auto *value = new QLabel(QStringLiteral("–"), this);
    value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    value->setObjectName(label);
    grid->addWidget(value, row, 1);
    return value;
}

void OverviewPage::showStatistics(const DatabaseStatistics &statistics)
{
    const QLocale locale;
    m_backendUsers->setText(locale.toString(statistics.backendUsers));
    m_backendConversations->setText(locale.toString(statistics.backendConversations));
    m_backendMessages->setText(locale.toString(statistics.backendMessages));
    m_backendTickets->setText(locale.toString(statistics.backendTickets));
    m_dashboardCustomers->setText(locale.toString(statistics.dashboardCustomers));
    m_dashboardTickets->setText(locale.toString(statistics.dashboardTickets));
    m_pending->setText(locale.toString(statistics.pendingEvents));
    m_dead->setText(locale.toString(statistics.deadEvents));
    m_capturedLastMinute->setText(locale.toString(statistics.capturedLastMinute));
    m_oldestPending->setText(
        statistics.oldestPendingAt.isValid()
            ? tr("%n second(s) ago", nullptr, int(statistics.oldestPendingAt.secsTo(statistics.collectedAt)))
            : tr("none"));
    m_error->hide();
}

void OverviewPage::showError(const QString &message)
{
    m_error->setText(tr("Cannot read the database: %1").arg(message));
    m_error->show();
}

} // namespace syncdesk::ui
