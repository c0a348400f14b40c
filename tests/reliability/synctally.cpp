#include "synctally.h"

#include "database/connectionprovider.h"
#include "database/sql.h"
#include "tasks/consistencychecker.h"

#include <QElapsedTimer>
#include <QThread>

namespace syncdesk::test {

SyncTally::SyncTally(std::shared_ptr<ConnectionProvider> product, std::shared_ptr<ConnectionProvider> helpdesk)
    : m_product(std::move(product))
    , m_helpdesk(std::move(helpdesk))
{
}

qint64 SyncTally::scalar(bool helpdesk, const QString &statement)
{
    auto db = (helpdesk && m_helpdesk ? m_helpdesk : m_product)->database();
    auto value = db ? sql::scalar(db.value(), statement) : Result<QVariant>::failure(db.error());
    if (!value) {
        m_error = value.error();
        return -1;
    }
    return value.value().toLongLong();
}

bool SyncTally::mark()
{
    m_productMark = scalar(false, QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.outbox"));
    m_helpdeskMark = m_helpdesk ? scalar(true, QStringLiteral("SELECT coalesce(max(id), 0) FROM sync.outbox")) : 0;
    m_duplicatesBefore = duplicatesApplied();
    m_duplicateCustomersBefore = duplicateCustomers();
    return m_productMark >= 0 && m_helpdeskMark >= 0 && m_duplicatesBefore >= 0 && m_duplicateCustomersBefore >= 0;
}

qint64 SyncTally::unfinished(const QString &statuses)
{
    const QString count = QStringLiteral("SELECT count(*) FROM sync.outbox WHERE id > %1 AND status IN (%2)");
    const qint64 product = scalar(false, count.arg(m_productMark).arg(statuses));
    const qint64 helpdesk = m_helpdesk ? scalar(true, count.arg(m_helpdeskMark).arg(statuses)) : 0;
    return product < 0 || helpdesk < 0 ? -1 : product + helpdesk;
}

qint64 SyncTally::duplicatesApplied()
{
    // A change applied twice to the same record shows up in two of its history rows.
    return scalar(false, QStringLiteral("SELECT count(*) FROM (SELECT 1 FROM sync.history h, unnest(h.event_ids) e "
                                        "GROUP BY e, h.entity, coalesce(h.link_id, 0) HAVING count(*) > 1) twice"));
}

qint64 SyncTally::duplicateCustomers()
{
    return scalar(true, QStringLiteral("SELECT count(*) FROM (SELECT lower(email) FROM dashboard.customers GROUP BY 1 "
                                       "HAVING count(*) > 1) twice"));
}

double SyncTally::waitForConvergence(int timeoutSeconds)
{
    QElapsedTimer timer;
    timer.start();
    int quiet = 0;
    while (timer.elapsed() < timeoutSeconds * 1000LL) {
        // Unreachable for a moment (a database still restarting) counts as not converged.
        const qint64 waiting = unfinished(QStringLiteral("'pending', 'processing'"));
        quiet = waiting == 0 ? quiet + 1 : 0;
        if (quiet >= 3)
            return double(timer.elapsed()) / 1000.0;
        QThread::msleep(200);
    }
    return -1;
}

SyncTally::Outcome SyncTally::outcome()
{
    Outcome outcome;
    const QString all = QStringLiteral("SELECT count(*) FROM sync.outbox WHERE id > %1");
    outcome.changes = scalar(false, all.arg(m_productMark)) + (m_helpdesk ? scalar(true, all.arg(m_helpdeskMark)) : 0);
    const qint64 left = unfinished(QStringLiteral("'pending', 'processing', 'dead'"));
    if (left != 0)
        outcome.details << QStringLiteral("%1 change(s) still queued or dead").arg(left);
    outcome.lost += std::max<qint64>(left, 0);

    auto product = m_product->database();
    auto helpdesk = m_helpdesk ? m_helpdesk->database() : product;
    if (!product || !helpdesk) {
        m_error = product ? helpdesk.error() : product.error();
        outcome.lost = -1;
        return outcome;
    }
    ConsistencyChecker checker(product.value(), m_helpdesk ? helpdesk.value() : QSqlDatabase());
    auto run = checker.createRun(QStringLiteral("crash-suite"));
    auto report = run ? checker.run(run.value(), false) : Result<ConsistencyReport>::failure(run.error());
    if (!report) {
        m_error = report.error();
        outcome.lost = -1;
        return outcome;
    }
    for (const ConsistencyFinding &finding : report->findings) {
        // The queue was counted above; duplicates below.
        if (finding.found == 0 || finding.check == QLatin1String("stuck_events") || finding.check == QLatin1String("dead_events")
            || finding.check == QLatin1String("duplicate_customers"))
            continue;
        outcome.lost += finding.found;
        outcome.details << QStringLiteral("%1: %2").arg(finding.check).arg(finding.found);
    }
    const qint64 twice = duplicatesApplied() - m_duplicatesBefore;
    const qint64 customers = duplicateCustomers() - m_duplicateCustomersBefore;
    if (twice > 0)
        outcome.details << QStringLiteral("%1 change(s) applied twice").arg(twice);
    if (customers > 0)
        outcome.details << QStringLiteral("%1 customer(s) duplicated on the helpdesk").arg(customers);
    outcome.duplicated = std::max<qint64>(twice, 0) + std::max<qint64>(customers, 0);
    return outcome;
}

} // namespace syncdesk::test
