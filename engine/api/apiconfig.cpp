#include "api/apiconfig.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

namespace syncdesk::api {

QString ApiConfig::displayAddress() const
{
    const QString host = bindAddress.protocol() == QAbstractSocket::IPv6Protocol ? QStringLiteral("[%1]").arg(bindAddress.toString())
                                                                                 : bindAddress.toString();
    return QStringLiteral("%1://%2:%3").arg(tls ? QStringLiteral("https") : QStringLiteral("http"), host).arg(port);
}

Result<ApiConfig> ApiConfig::from(const SyncSettings &settings)
{
    ApiConfig config;
    if (!config.bindAddress.setAddress(settings.httpBind))
        return Result<ApiConfig>::failure(QStringLiteral("SYNC_HTTP_BIND '%1' is not an IP address").arg(settings.httpBind));
    config.port = quint16(settings.httpPort);
    config.workers = settings.httpWorkers;
    config.limits.framing.maxBodyBytes = settings.httpMaxBodyBytes;
    config.limits.framing.maxHeaderBytes = settings.httpMaxHeaderBytes;
    config.limits.idleTimeoutMs = qint64(settings.httpIdleTimeoutSeconds * 1000.0);
    config.limits.requestTimeoutMs = qint64(settings.httpRequestTimeoutSeconds * 1000.0);
    config.maxConnections = settings.httpMaxConnections;
    config.maxConnectionsPerClient = settings.httpMaxConnectionsPerClient;
    config.clientRate = settings.rateLimitClient;
    config.clientBurst = settings.rateLimitClientBurst;
    config.credentialRate = settings.rateLimitCredential;
    config.credentialBurst = settings.rateLimitCredentialBurst;
    config.jwt.secret = settings.jwtSecret;
    config.jwt.issuer = settings.jwtIssuer;
    config.jwt.audience = settings.jwtAudience;
    config.jwt.leewaySeconds = settings.jwtLeewaySeconds;
    config.corsOrigins = settings.corsOrigins;
    if (!settings.tlsCertFile.isEmpty()) {
        QFile certificateFile(settings.tlsCertFile);
        QFile keyFile(settings.tlsKeyFile);
        if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return Result<ApiConfig>::failure(QStringLiteral("SYNC_TLS_CERT or SYNC_TLS_KEY cannot be read"));
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
        if (chain.isEmpty())
            return Result<ApiConfig>::failure(QStringLiteral("SYNC_TLS_CERT %1 holds no PEM certificate").arg(settings.tlsCertFile));
        const QByteArray keyData = keyFile.readAll();
        QSslKey key(keyData, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyData, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            return Result<ApiConfig>::failure(QStringLiteral("SYNC_TLS_KEY %1 holds no unencrypted PEM RSA or EC key").arg(settings.tlsKeyFile));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients authenticate with tokens, not certificates
        tls.setProtocol(QSsl::TlsV1_2OrLater);
        config.tls = tls;
    }
    return Result<ApiConfig>::success(config);
}

} // namespace syncdesk::api
