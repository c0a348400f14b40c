#include "ui/settingsfile.h"

#include "config/settingsloader.h"
#include "config/syncsettings.h"
#include "model/conflictpolicy.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace syncdesk::ui {

SettingsFile::SettingsFile(QString path)
    : m_path(std::move(path))
{}

QMap<QString, QString> SettingsFile::values() const
{
    QMap<QString, QString> values;
    if (!QFileInfo::exists(m_path))
        return values;
    QSettings file(m_path, QSettings::IniFormat);
    for (const SettingSpec &spec : SettingsLoader::specs()) {
        const QVariant value = file.value(spec.name);
        if (value.isValid())
            values.insert(spec.name, value.metaType().id() == QMetaType::QStringList
                                         ? value.toStringList().join(QLatin1Char(','))
                                         : value.toString());
    }
    return values;
}

QStringList SettingsFile::conflictRules() const
{
    QStringList rules;
    if (!QFileInfo::exists(m_path))
        return rules;
    QSettings file(m_path, QSettings::IniFormat);
    file.beginGroup(QStringLiteral("conflicts"));
    for (const QString &key : file.childKeys())
        rules << key + QLatin1Char('=') + file.value(key).toString();
    return rules;
}

QStringList SettingsFile::check(const QMap<QString, QString> &values, const QStringList &conflictRules)
{
    QStringList problems;
    SyncSettings scratch;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (it.value().isEmpty())
            continue;
        const auto spec =
            std::find_if(SettingsLoader::specs().cbegin(), SettingsLoader::specs().cend(),
                         [&](const SettingSpec &candidate) { return candidate.name == it.key(); });
        if (spec == SettingsLoader::specs().cend()) {
            problems << tr("%1 is not a SyncDesk setting").arg(it.key());
            continue;
        }
        if (const QString problem = spec->apply(scratch, it.value()); !problem.isEmpty())
            problems << tr("%1 %2").arg(it.key(), problem);
    }
    if (auto policy = ConflictPolicy::parse(conflictRules); !policy)
        problems << tr("Conflict strategies: %1").arg(policy.error());
    return problems;
}

Status SettingsFile::save(const QMap<QString, QString> &values, const QStringList &conflictRules)
{
    if (const QStringList problems = check(values, conflictRules); !problems.isEmpty())
        return Status::failure(problems.join(QLatin1Char('\n')));
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return Status::failure(tr("cannot create the folder of %1").arg(m_path));
    {
        QSettings file(m_path, QSettings::IniFormat);
        for (auto it = values.cbegin(); it != values.cend(); ++it) {
            if (it.value().isEmpty())
                file.remove(it.key());
            else
                file.setValue(it.key(), it.value());
        }
        file.beginGroup(QStringLiteral("conflicts"));
        file.remove(QString());
        for (const QString &rule : conflictRules) {
            const qsizetype equals = rule.indexOf(QLatin1Char('='));
            if (equals > 0)
                file.setValue(rule.left(equals).trimmed(), rule.mid(equals + 1).trimmed());
        }
        file.endGroup();
        file.sync();
        if (file.status() != QSettings::NoError)
            return Status::failure(tr("cannot write %1 (is the folder writable?)").arg(m_path));
    }
    return Status::success();
}

} // namespace syncdesk::ui
