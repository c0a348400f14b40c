#include "ui/backgroundrunner.h"

namespace syncdesk::ui {

BackgroundRunner::BackgroundRunner(QObject *parent)
    : QObject(parent)
{
    // Three: a page's list, its detail and an operation can run at once without queueing behind each other.
    m_pool.setMaxThreadCount(3);
    m_pool.setExpiryTimeout(-1);
    m_pool.setObjectName(QStringLiteral("ui-workers"));
}

BackgroundRunner::~BackgroundRunner()
{
    waitForDone();
}

void BackgroundRunner::waitForDone()
{
    m_pool.waitForDone();
}

void BackgroundRunner::startedOne()
{
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
}

void BackgroundRunner::finishedOne()
{
    if (--m_pending == 0)
        Q_EMIT busyChanged(false);
}

} // namespace syncdesk::ui
