#pragma once

#include "syncruntime.h"

#include <QObject>

namespace syncdesk::app {

// `syncdesk --headless`: the runtime without a window, until SIGINT or SIGTERM.
class HeadlessService : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessService(SyncRuntime &runtime, QObject *parent = nullptr);
    // Runs the event loop; returns the process exit code.
    int exec();

private:
    SyncRuntime &m_runtime;
};

} // namespace syncdesk::app
