// The JWT codec (engine/api/jwtcodec): bearer tokens are the first thing an anonymous caller controls.
// The first input byte picks what the rest is: a whole token as sent; the claims of a token that is
// then correctly signed (so claim checking is reached, not only the signature check); or the header
// of such a token. A token the codec accepts must carry what the API relies on.
#include "api/jwtcodec.h"

#include <QMessageAuthenticationCode>

#include <cstdint>
#include <cstdlib>

using namespace syncdesk;
using namespace syncdesk::api;

namespace {

const QByteArray kSecret = "fuzzing-secret-of-the-syncdesk-api-0123456789";
constexpr qint64 kNow = 1700000000;

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray signedToken(const QByteArray &header, const QByteArray &payload)
{
    const QByteArray input = base64Url(header) + '.' + base64Url(payload);
    return input + '.' + base64Url(QMessageAuthenticationCode::hash(input, kSecret, QCryptographicHash::Sha256));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const JwtCodec plain({kSecret, {}, {}, 30});
    static const JwtCodec strict({kSecret, QStringLiteral("https://issuer.example"), QStringLiteral("syncdesk"), 0});
    const QByteArray rest(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    QByteArray token;
    switch (data[0] % 3) {
    case 0:
        token = rest;
        break;
    case 1:
        token = signedToken(R"({"alg":"HS256","typ":"JWT"})", rest);
        break;
    default:
        token = signedToken(rest, R"({"sub":"fuzz","role":"viewer","exp":1700000600})");
        break;
    }
    for (const JwtCodec *codec : {&plain, &strict}) {
        const auto claims = codec->verify(token, kNow);
        if (claims && (claims->subject.isEmpty() || claims->expiresAt + 30 < kNow))
            std::abort(); // accepted without a subject, or expired
    }
    (void)JwtCodec::verifySignature(token, kSecret);
    return 0;
}
