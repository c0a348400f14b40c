// The HTTP request framer (engine/api/requestframer): arbitrary bytes from the network, split into
// packets however the first input byte says. Besides not crashing, the framer must find the same
// requests and the same refusal whether the bytes arrive at once or a few at a time: the connection
// guard sees them in whatever pieces TCP delivers.
#include "api/requestframer.h"

#include <cstdint>
#include <cstdlib>
#include <optional>

using syncdesk::api::RequestFramer;

namespace {

struct Outcome
{
    int heads = 0;
    int completed = 0;
    int status = 0;
    QString code;
    QByteArray lastTarget;

    bool operator==(const Outcome &) const = default;
};

Outcome frame(QByteArrayView bytes, qsizetype piece, RequestFramer::Limits limits)
{
    RequestFramer framer(limits);
    Outcome outcome;
    framer.onHead = [&outcome](const RequestFramer::Head &) { ++outcome.heads; };
    framer.onComplete = [&outcome](const RequestFramer::Head &head) {
        ++outcome.completed;
        outcome.lastTarget = head.target;
    };
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        if (auto error = framer.feed(bytes.sliced(at, std::min(piece, bytes.size() - at)))) {
            outcome.status = error->httpStatus();
            outcome.code = error->code();
            if (!framer.failed())
                std::abort(); // a refusal always leaves the framer failed
            break;
        }
    }
    if (outcome.completed > outcome.heads)
        std::abort(); // every completed request had a head first
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype piece = 1 + data[0] % 13;
    // Small limits, so that the fuzzer reaches them.
    const RequestFramer::Limits limits{256 + (data[0] >> 4) * 64, 512};
    const QByteArrayView bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const Outcome whole = frame(bytes, std::max<qsizetype>(1, bytes.size()), limits);
    const Outcome pieces = frame(bytes, piece, limits);
    if (!(whole == pieces))
        std::abort();
    return 0;
}
