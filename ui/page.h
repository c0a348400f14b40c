#pragma once

#include "database/connectionprovider.h"
#include "queries/readconnections.h"
#include "ui/backgroundrunner.h"
#include "ui/uicontext.h"

#include <QJsonObject>
#include <QWidget>

class QVBoxLayout;

namespace syncdesk::ui {

class MessageBar;

// One page of the main window. Pages never touch the database on the GUI thread: they read through
// query() (a read model on a worker, the result back by callback) and act through the engine on a worker.
class Page : public QWidget
{
    Q_OBJECT

public:
    // The calling worker's read connections (the helpdesk's too when it has its own database).
    static Result<ReadConnections> readConnections(const std::shared_ptr<ConnectionProvider> &database,
                                                   const std::shared_ptr<ConnectionProvider> &helpdesk);
    Page(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    virtual QString title() const = 0;
    virtual QString iconName() const = 0;
    // F5: reload what the page shows.
    virtual void refresh() {}
    // Ctrl+F: put the cursor in the page's search or filter box; false when the page has none.
    virtual bool focusSearch() { return false; }
    // The page became visible; the first time it loads its data.
    void activate();
    bool hasLoaded() const { return m_loaded; }
    MessageBar *messageBar() const { return m_messages; }

Q_SIGNALS:
    // Asks the window to show a record on its own page: source as in search results
    // (backend_user, dashboard_customer, backend_ticket, dashboard_ticket, conversation, message).
    void openRecord(const QString &source, qint64 id, const QJsonObject &details);
    // Asks the window to switch to another page ("conflicts", "live", ...).
    void showPage(const QString &pageName);

protected:
    const UiContext &context() const { return m_context; }
    BackgroundRunner *runner() const { return m_runner; }
    // The layout below the message bar, for the page's content.
    QVBoxLayout *contentLayout() const { return m_content; }

    // Runs a read model on a worker with that worker's connection; `done` gets its Result on the GUI thread.
    template<typename Query, typename Done>
    void query(Query work, Done done)
    {
        using R = std::invoke_result_t<Query, ReadConnections &>;
        m_runner->run(
            this,
            [database = m_context.database, helpdesk = m_context.helpdeskDatabase, work = std::move(work)]() -> R {
                auto db = readConnections(database, helpdesk);
                if (!db)
                    return R::failure(db.error());
                return work(db.value());
            },
            std::move(done));
    }

private:
    UiContext m_context;
    BackgroundRunner *m_runner;
    MessageBar *m_messages = nullptr;
    QVBoxLayout *m_content = nullptr;
    bool m_loaded = false;
};

} // namespace syncdesk::ui
