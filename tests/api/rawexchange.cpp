#include "rawexchange.h"

#include <QElapsedTimer>
#include <QTcpSocket>

namespace syncdesk::test {

RawExchange RawExchange::run(quint16 port, const QByteArray &bytes, int waitMs, const QHostAddress &from)
{
    RawExchange result;
    QTcpSocket socket;
    if (!from.isNull())
        socket.bind(from);
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000))
        return result;
    QElapsedTimer timer;
    timer.start();
    socket.write(bytes);
    socket.waitForBytesWritten(3000);
    while (timer.elapsed() < waitMs) {
        if (socket.state() == QAbstractSocket::UnconnectedState)
            break;
        if (socket.waitForReadyRead(int(std::max<qint64>(1, waitMs - timer.elapsed()))))
            result.response += socket.readAll();
    }
    result.response += socket.readAll();
    result.closedByServer = socket.state() == QAbstractSocket::UnconnectedState;
    result.elapsedMs = timer.elapsed();
    return result;
}

} // namespace syncdesk::test
