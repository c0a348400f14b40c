#pragma once

#include "ui/page.h"

#include "config/syncsettings.h"
#include "relay/relaystatus.h"

#include <QMap>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace syncdesk::ui {

class ApiKeysPanel;

// SyncDesk's settings: the databases (with a connection test), the task intervals, automatic
// ticketing, conflict strategies per entity and field, the REST API, its keys, the event relay to
// NATS, and the language. Saved to the settings file and applied at once where the engine allows
// (strategies, automatic tickets, task intervals, the REST API, the relay); the databases and the
// language at the next start.
class SettingsPage : public Page
{
    Q_OBJECT

public:
    SettingsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent = nullptr);

    QString title() const override { return tr("Settings"); }
    QString iconName() const override { return QStringLiteral("settings"); }
    void refresh() override;

    // The values the form would save, keyed as in the settings file; and the conflict rules.
    QMap<QString, QString> formValues() const;
    QStringList formConflictRules() const;
    bool save();
    void testConnection();
    void setStrategy(const QString &target, const QString &strategy); // "customer.phone", "manual_review"
    QString settingsPath() const;
    ApiKeysPanel *apiKeys() const { return m_apiKeys; }

Q_SIGNALS:
    void saved();
    void languageChosen(const QString &language);
    void connectionTested(bool ok, const QString &message);

private:
    QWidget *connectionGroup();
    QWidget *tasksGroup();
    QWidget *conflictGroup();
    QWidget *apiGroup();
    QWidget *relayGroup();
    void showRelay(const RelayStatus &status);
    QWidget *languageGroup();
    void load();
    void markOverrides();
    QComboBox *strategyBox(bool withDefault);
    // Hands what can change at run time to the engine and the REST API; returns what could not be.
    QStringList applyNow(const QStringList &rules);

    QLineEdit *m_databaseUrl = nullptr;
    QLineEdit *m_dashboardUrl = nullptr;
    QLabel *m_testResult = nullptr;
    QDoubleSpinBox *m_checkInterval = nullptr;
    QDoubleSpinBox *m_cleanupInterval = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QCheckBox *m_autoCreate = nullptr;
    QCheckBox *m_apiEnabled = nullptr;
    QLineEdit *m_bind = nullptr;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_relayEnabled = nullptr;
    QLineEdit *m_relayUrl = nullptr;
    QLineEdit *m_relayStream = nullptr;
    QLineEdit *m_relayPrefix = nullptr;
    QLabel *m_relayState = nullptr;
    QComboBox *m_language = nullptr;
    QLabel *m_overrides = nullptr;
    ApiKeysPanel *m_apiKeys = nullptr;
    // target ("customer", "customer.phone") -> strategy and fallback boxes
    QMap<QString, QPair<QComboBox *, QComboBox *>> m_strategies;
    SyncSettings m_applied; // what runs now: as started, then as saved and applied
};

} // namespace syncdesk::ui
