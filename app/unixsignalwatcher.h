#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace syncdesk::app {

// Turns SIGINT/SIGTERM into a Qt signal on the main thread (self-pipe: the handler only writes a
// byte), so that Ctrl+C and `systemctl stop` shut SyncDesk down the same way closing the window does.
class UnixSignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void signalReceived(int signalNumber);

private:
    static void handle(int signalNumber);

    QList<int> m_signals;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace syncdesk::app
