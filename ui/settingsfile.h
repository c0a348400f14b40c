#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QMap>
#include <QString>
#include <QStringList>

namespace syncdesk::ui {

// The settings file as the Settings page edits it: an INI file keyed by the environment variable
// names, conflict rules in [conflicts]. Values are checked with the same rules SettingsLoader applies
// at start, so what the page saves, SyncDesk will start with. Keys it does not edit are left alone.
class SettingsFile
{
    Q_DECLARE_TR_FUNCTIONS(syncdesk::ui::SettingsFile)

public:
    explicit SettingsFile(QString path);

    const QString &path() const { return m_path; }
    // Values in the file (only the keys SyncDesk knows), and its conflict rules
    // ("customer.phone=merge/manual_review").
    QMap<QString, QString> values() const;
    QStringList conflictRules() const;

    // One line per problem, naming the setting; empty when all is well.
    static QStringList check(const QMap<QString, QString> &values, const QStringList &conflictRules);
    // Writes `values` (an empty value removes the key, so the default applies) and replaces the
    // [conflicts] section with `conflictRules`. Refuses values that would stop SyncDesk from starting.
    Status save(const QMap<QString, QString> &values, const QStringList &conflictRules);

private:
    QString m_path;
};

} // namespace syncdesk::ui
