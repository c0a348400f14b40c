#include "ui/apikeyspanel.h"

#include "auth/apikeystore.h"
#include "ui/errortext.h"
#include "ui/jsontablemodel.h"
#include "ui/newapikeydialog.h"
#include "ui/tableviews.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace syncdesk::ui {

namespace {

QJsonObject toJson(const ApiKeyInfo &key)
{
    return {{QStringLiteral("id"), key.id},
            {QStringLiteral("name"), key.name},
            {QStringLiteral("prefix"), key.prefix},
            {QStringLiteral("role"), roleName(key.role)},
            {QStringLiteral("created_at"), key.createdAt.toString(Qt::ISODate)},
            {QStringLiteral("created_by"), key.createdBy},
            {QStringLiteral("last_used_at"),
             key.lastUsedAt.isValid() ? key.lastUsedAt.toString(Qt::ISODate) : QString()},
            {QStringLiteral("revoked_at"),
             key.revokedAt.isValid() ? key.revokedAt.toString(Qt::ISODate) : QString()}};
}

JsonTableModel::Column text(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                if (role == Qt::ForegroundRole &&
                    !row.value(QLatin1String("revoked_at")).toString().isEmpty())
                    return QColor(0x9e, 0x9e, 0x9e);
                return role == Qt::DisplayRole ? QVariant(row.value(key).toString()) : QVariant();
            }};
}

JsonTableModel::Column when(const QString &header, const QString &key)
{
    return {header, [key](const QJsonObject &row, int role) -> QVariant {
                if (role != Qt::DisplayRole)
                    return {};
                const QDateTime at = QDateTime::fromString(row.value(key).toString(), Qt::ISODate);
                return at.isValid() ? QLocale().toString(at.toLocalTime(), QLocale::ShortFormat) : QString();
            }};
}

} // namespace

ApiKeysPanel::ApiKeysPanel(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_runner(runner)
{
    setObjectName(QStringLiteral("apiKeysPanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_model = new JsonTableModel(
        {text(tr("Name"), QStringLiteral("name")), text(tr("Key starts with"), QStringLiteral("prefix")),
         text(tr("Role"), QStringLiteral("role")), when(tr("Created"), QStringLiteral("created_at")),
         text(tr("By"), QStringLiteral("created_by")), when(tr("Last used"), QStringLiteral("last_used_at")),
         when(tr("Revoked"), QStringLiteral("revoked_at"))},
        JsonTableModel::idKey(QStringLiteral("id")), this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    TableViews::setUp(m_table);
    m_table->setMinimumHeight(140);
    layout->addWidget(m_table);
    auto *line = new QHBoxLayout;
    m_name = new QLineEdit(this);
    m_name->setPlaceholderText(tr("Name of the new key, e.g. the system that uses it"));
    m_role = new QComboBox(this);
    for (const QString &role : roleNames())
        m_role->addItem(role, role);
    m_create = new QPushButton(tr("Create key"), this);
    m_revoke = new QPushButton(tr("Revoke selected"), this);
    line->addWidget(m_name, 1);
    line->addWidget(m_role);
    line->addWidget(m_create);
    line->addWidget(m_revoke);
    layout->addLayout(line);
    connect(m_create, &QPushButton::clicked, this,
            [this]() { create(m_name->text(), m_role->currentData().toString()); });
    connect(m_revoke, &QPushButton::clicked, this, [this]() {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            revoke(m_model->rowAt(current.row()).value(QLatin1String("id")).toInteger());
    });
    connect(this, &ApiKeysPanel::created, this, [this](const QString &name, const QString &key) {
        (new NewApiKeyDialog(name, key, this))->open();
    });
}

void ApiKeysPanel::reload()
{
    m_runner->run(
        this,
        [database = m_context.database]() -> Result<QJsonArray> {
            if (!database)
                return Result<QJsonArray>::failure(tr("no database configured"));
            auto keys = ApiKeyStore(database).list();
            if (!keys)
                return Result<QJsonArray>::failure(keys.error());
            QJsonArray rows;
            for (const ApiKeyInfo &key : keys.value())
                rows.append(toJson(key));
            return Result<QJsonArray>::success(rows);
        },
        [this](const Result<QJsonArray> &keys) {
            if (!keys) {
                Q_EMIT failed(ErrorText::forQuery(tr("the API keys"), keys.error()));
                return;
            }
            m_model->setRows(keys.value());
        });
}

void ApiKeysPanel::create(const QString &name, const QString &roleText)
{
    const auto role = roleFromName(roleText);
    if (name.trimmed().isEmpty() || !role) {
        Q_EMIT failed(tr("Give the new key a name (who or what uses it) and a role."));
        return;
    }
    m_create->setEnabled(false);
    m_runner->run(
        this,
        [database = m_context.database, name = name.trimmed(), role = *role, actor = m_context.actor]() {
            if (!database)
                return Result<CreatedApiKey>::failure(tr("no database configured"));
            return ApiKeyStore(database).create(name, role, actor);
        },
        [this](const Result<CreatedApiKey> &made) {
            m_create->setEnabled(true);
            if (!made) {
                Q_EMIT failed(tr("The key could not be created: %1. Choose another name and try again.")
                                  .arg(made.error()));
                return;
            }
            m_name->clear();
            Q_EMIT created(made->info.name, made->key);
            reload();
        });
}

void ApiKeysPanel::revoke(qint64 id)
{
    m_runner->run(
        this,
        [database = m_context.database, id]() {
            if (!database)
                return Result<ApiKeyInfo>::failure(tr("no database configured"));
            return ApiKeyStore(database).revoke(QString::number(id));
        },
        [this](const Result<ApiKeyInfo> &revoked) {
            if (!revoked) {
                Q_EMIT failed(tr("The key could not be revoked: %1.").arg(revoked.error()));
                return;
            }
            Q_EMIT changed(
                tr("Key \"%1\" revoked: requests with it are refused from now on.").arg(revoked->name));
            reload();
        });
}

} // namespace syncdesk::ui
