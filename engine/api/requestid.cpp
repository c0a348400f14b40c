#include "api/requestid.h"

#include <QRandomGenerator>

namespace syncdesk::api {

QByteArray RequestId::generate()
{
    quint64 bits[2];
    QRandomGenerator::global()->fillRange(bits);
    return QByteArray::number(bits[0], 16).rightJustified(16, '0') + QByteArray::number(bits[1] >> 32, 16).rightJustified(8, '0');
}

QByteArray RequestId::fromClient(const QByteArray &header)
{
    const bool sane = !header.isEmpty() && header.size() <= 64 && std::all_of(header.cbegin(), header.cend(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
    return sane ? header : QByteArray();
}

} // namespace syncdesk::api
