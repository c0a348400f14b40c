#pragma once

#include <QByteArray>
#include <QHostAddress>

namespace syncdesk::test {

// Bytes written to the REST API over a plain socket, as a hostile or broken client writes them
// (QNetworkAccessManager would correct them), and what came back.
struct RawExchange
{
    QByteArray response;
    bool closedByServer = false;
    qint64 elapsedMs = 0;

    QByteArray statusLine() const { return response.left(response.indexOf("\r\n")); }
    // Sends `bytes` from `from` (any address when null) and reads for up to `waitMs` or until the
    // server closes.
    static RawExchange run(quint16 port, const QByteArray &bytes, int waitMs = 3000, const QHostAddress &from = {});
};

} // namespace syncdesk::test
