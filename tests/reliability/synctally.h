#pragma once

#include <QStringList>

#include <memory>

namespace syncdesk {
class ConnectionProvider;
}

namespace syncdesk::test {

// What a crash scenario did to the two systems, measured from outside SyncDesk: the changes captured
// since mark(), whether the engine caught up with them, and then what was lost (changes still queued
// or dead, records missing a counterpart, linked fields that differ, conversations contradicting their
// ticket: the consistency checker's findings, without repair) and what was applied twice (a change
// in two history rows of the same record, customers duplicated on the helpdesk).
class SyncTally
{
public:
    // `helpdesk`: the helpdesk's own database, or null when it shares the product's.
    SyncTally(std::shared_ptr<ConnectionProvider> product, std::shared_ptr<ConnectionProvider> helpdesk);

    bool mark();
    // Waits until no change captured since the mark is queued or in a batch (three looks in a row);
    // the seconds it took, or -1 when the deadline passed first.
    double waitForConvergence(int timeoutSeconds);

    struct Outcome
    {
        qint64 changes = 0;
        qint64 lost = 0;
        qint64 duplicated = 0;
        QStringList details; // what the lost and duplicated ones were
    };
    Outcome outcome();
    QString error() const { return m_error; }

private:
    qint64 scalar(bool helpdesk, const QString &statement);
    qint64 unfinished(const QString &statuses);
    qint64 duplicatesApplied();
    qint64 duplicateCustomers();

    std::shared_ptr<ConnectionProvider> m_product;
    std::shared_ptr<ConnectionProvider> m_helpdesk;
    qint64 m_productMark = 0;
    qint64 m_helpdeskMark = 0;
    qint64 m_duplicatesBefore = 0;
    qint64 m_duplicateCustomersBefore = 0;
    QString m_error;
};

} // namespace syncdesk::test
