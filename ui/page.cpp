#include "ui/page.h"

#include "ui/messagebar.h"

#include <QVBoxLayout>

namespace syncdesk::ui {

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
