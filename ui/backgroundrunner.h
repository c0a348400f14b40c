#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <type_traits>
#include <utility>

namespace syncdesk::ui {

// Runs the window's blocking work (queries, engine operations) on worker threads of its own and hands
// each result back on the GUI thread. The pool is the window's, not the global one: the engine's
// analysis and the statistics poller use the global pool, and a slow query must not starve them.
// Its threads stay up, so each keeps its database connection instead of reconnecting per request.
class BackgroundRunner : public QObject
{
    Q_OBJECT

public:
    explicit BackgroundRunner(QObject *parent = nullptr);
    ~BackgroundRunner() override;

    // Runs `work` on a worker; then, on the GUI thread, `done(result)` unless `receiver` is gone by then.
    template<typename Work, typename Done>
    void run(QObject *receiver, Work work, Done done)
    {
        using T = std::invoke_result_t<Work>;
        auto *watcher = new QFutureWatcher<T>(this);
        QPointer<QObject> guard(receiver);
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, guard, done = std::move(done)]() mutable {
                    if (guard)
                        done(watcher->result());
                    watcher->deleteLater();
                    finishedOne();
                });
        startedOne();
        watcher->setFuture(QtConcurrent::run(&m_pool, std::move(work)));
    }

    int pending() const { return m_pending; }
    // Waits for the work in flight (at shutdown, before the engine and the database go away).
    void waitForDone();

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    void startedOne();
    void finishedOne();

    QThreadPool m_pool;
    int m_pending = 0;
};

} // namespace syncdesk::ui
