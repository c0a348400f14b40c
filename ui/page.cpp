#include "ui/page.h"

#include "ui/messagebar.h"

#include <QVBoxLayout>

namespace syncdesk::ui {

Result<ReadConnections> Page::readConnections(const std::shared_ptr<ConnectionProvider> &database,
                                              const std::shared_ptr<ConnectionProvider> &helpdesk)
{
    if (!database)
        return Result<ReadConnections>::failure(tr("no database configured"));
    auto db = database->database();
    if (!db)
        return Result<ReadConnections>::failure(db.error());
    auto dashboard = helpdesk ? helpdesk->database() : db;
    if (!dashboard)
        return Result<ReadConnections>::failure(dashboard.error());
    return Result<ReadConnections>::success(ReadConnections{db.value(), dashboard.value()});
}

Page::Page(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_runner(runner)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    m_messages = new MessageBar(this);
    layout->addWidget(m_messages);
    m_content = new QVBoxLayout;
    m_content->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_content, 1);
}

void Page::activate()
{
    if (m_loaded)
        return;
    m_loaded = true;
    refresh();
}

} // namespace syncdesk::ui
