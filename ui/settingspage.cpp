#include "ui/settingspage.h"

#include "config/settingsloader.h"
#include "model/conflictpolicy.h"
#include "database/connectiontest.h"
#include "service/datasyncservice.h"
#include "model/entitydefinition.h"
#include "model/mapping.h"
#include "ui/apikeyspanel.h"
#include "ui/apiservercontrol.h"
#include "ui/liveeventrow.h"
#include "ui/messagebar.h"
#include "ui/settingsfile.h"
#include "ui/translationloader.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>

namespace syncdesk::ui {

namespace {

const QStringList kStrategies{QStringLiteral("latest_wins"), QStringLiteral("manual_review"),
                              QStringLiteral("merge"), QStringLiteral("preserve_both")};

QString strategyTitle(const QString &strategy)
{
    if (strategy == QLatin1String("latest_wins"))
        return SettingsPage::tr("Latest wins");
    if (strategy == QLatin1String("manual_review"))
        return SettingsPage::tr("Manual review");
    if (strategy == QLatin1String("merge"))
        return SettingsPage::tr("Merge");
    if (strategy == QLatin1String("preserve_both"))
        return SettingsPage::tr("Preserve both");
    return strategy;
}

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: palette(dark);"));
    return label;
}

} // namespace

SettingsPage::SettingsPage(const UiContext &context, BackgroundRunner *runner, QWidget *parent)
    : Page(context, runner, parent)
{
    setObjectName(QStringLiteral("settingsPage"));
    m_applied = context.settings;
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *inner = new QWidget(scroll);
    auto *layout = new QVBoxLayout(inner);
    m_overrides = note(QString(), inner);
    m_overrides->setStyleSheet(QStringLiteral("color: #ef6c00;"));
    layout->addWidget(m_overrides);
    layout->addWidget(connectionGroup());
    layout->addWidget(tasksGroup());
    layout->addWidget(conflictGroup());
    layout->addWidget(apiGroup());
    layout->addWidget(relayGroup());
    layout->addWidget(languageGroup());
    layout->addStretch(1);
    scroll->setWidget(inner);
    contentLayout()->addWidget(scroll, 1);

    auto *buttons = new QHBoxLayout;
    auto *where = note(tr("Settings file: %1").arg(settingsPath()), this);
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *revert = new QPushButton(tr("Revert"), this);
    auto *save = new QPushButton(tr("Save"), this);
    save->setObjectName(QStringLiteral("saveSettings"));
    save->setDefault(true);
    buttons->addWidget(where, 1);
    buttons->addWidget(revert);
    buttons->addWidget(save);
    contentLayout()->addLayout(buttons);
    connect(save, &QPushButton::clicked, this, &SettingsPage::save);
    connect(revert, &QPushButton::clicked, this, &SettingsPage::load);
    connect(m_apiKeys, &ApiKeysPanel::failed, messageBar(), &MessageBar::showError);
    connect(m_apiKeys, &ApiKeysPanel::changed, messageBar(), &MessageBar::showSuccess);
    load();
}

QString SettingsPage::settingsPath() const
{
    if (!context().settingsFile.isEmpty())
        return context().settingsFile;
    return context().settings.settingsFile.isEmpty() ? SettingsLoader::defaultSettingsFile()
                                                     : context().settings.settingsFile;
}

QWidget *SettingsPage::connectionGroup()
{
    auto *group = new QGroupBox(tr("Databases"), this);
    auto *form = new QFormLayout(group);
    m_databaseUrl = new QLineEdit(group);
    m_databaseUrl->setObjectName(QStringLiteral("databaseUrl"));
    m_databaseUrl->setPlaceholderText(
        tr("empty: SyncDesk's private PostgreSQL in %1").arg(context().settings.dataDir));
    m_dashboardUrl = new QLineEdit(group);
    m_dashboardUrl->setPlaceholderText(tr("empty: the same database as the backend"));
    auto *test = new QPushButton(tr("Test connection"), group);
    test->setObjectName(QStringLiteral("testConnection"));
    m_testResult = new QLabel(group);
    m_testResult->setWordWrap(true);
    m_testResult->setObjectName(QStringLiteral("connectionTestResult"));
    form->addRow(tr("Backend (DATABASE_URL)"), m_databaseUrl);
    form->addRow(tr("Dashboard (DASHBOARD_DATABASE_URL)"), m_dashboardUrl);
    form->addRow(test, m_testResult);
    form->addRow(note(
        tr("postgresql://user:password@host:5432/database?sslmode=require. Takes effect at the next start."),
        group));
    connect(test, &QPushButton::clicked, this, &SettingsPage::testConnection);
    return group;
}

QWidget *SettingsPage::tasksGroup()
{
    auto *group = new QGroupBox(tr("Background tasks and tickets"), this);
    auto *form = new QFormLayout(group);
    const auto hours = [group](double minimum) {
        auto *box = new QDoubleSpinBox(group);
        box->setRange(minimum, 8760);
        box->setDecimals(2);
        box->setSuffix(tr(" h"));
        return box;
    };
    m_checkInterval = hours(1.0 / 60.0);
    m_cleanupInterval = hours(1.0 / 60.0);
    m_checkInterval->setObjectName(QStringLiteral("consistencyInterval"));
    m_cleanupInterval->setObjectName(QStringLiteral("cleanupInterval"));
    m_threshold = new QDoubleSpinBox(group);
    m_threshold->setObjectName(QStringLiteral("autoTicketThreshold"));
    m_threshold->setRange(0, 1);
    m_threshold->setSingleStep(0.05);
    m_threshold->setDecimals(2);
    m_autoCreate = new QCheckBox(tr("Create or link tickets automatically at or above the threshold"), group);
    m_autoCreate->setObjectName(QStringLiteral("autoCreateTickets"));
    form->addRow(tr("Consistency check every"), m_checkInterval);
    form->addRow(tr("Clean up every"), m_cleanupInterval);
    form->addRow(tr("Auto-ticket threshold"), m_threshold);
    form->addRow(QString(), m_autoCreate);
    form->addRow(note(tr("Conversations below the threshold are only analysed. With the switch off, SyncDesk "
                         "only recommends "
                         "and a person decides. Applies when saved; the next checks count from then."),
                      group));
    return group;
}

QComboBox *SettingsPage::strategyBox(bool fallback)
{
    auto *box = new QComboBox(this);
    for (const QString &strategy : kStrategies) {
        if (!fallback || strategy != QLatin1String("merge"))
            box->addItem(strategyTitle(strategy), strategy);
    }
    return box;
}

QWidget *SettingsPage::conflictGroup()
{
    auto *group = new QGroupBox(tr("Conflict strategies"), this);
    auto *grid = new QGridLayout(group);
    grid->addWidget(note(tr("When both sides change a field to different values. Applies at once."), group),
                    0, 0, 1, 3);
    int row = 1;
    for (const EntityDefinition &entity : m_applied.mapping->entities) {
        QStringList targets{entity.name};
        for (const QString &field : entity.fieldNames())
            targets << entity.name + QLatin1Char('.') + field;
        for (const QString &target : targets) {
            const bool isEntity = !target.contains(QLatin1Char('.'));
            auto *label =
                new QLabel(isEntity ? tr("<b>%1</b> (default)").arg(LiveEventRow::entityTitle(entity.name))
                                    : QStringLiteral("    %1").arg(target.section(QLatin1Char('.'), 1)),
                           group);
            QComboBox *strategy = strategyBox(false);
            QComboBox *fallback = strategyBox(true);
            strategy->setObjectName(QStringLiteral("strategy_%1").arg(target));
            fallback->setToolTip(tr("When the values cannot be merged (plain text)"));
            grid->addWidget(label, row, 0);
            grid->addWidget(strategy, row, 1);
            grid->addWidget(fallback, row, 2);
            connect(strategy, &QComboBox::currentIndexChanged, fallback, [strategy, fallback]() {
                fallback->setVisible(strategy->currentData().toString() == QLatin1String("merge"));
            });
            m_strategies.insert(target, {strategy, fallback});
            ++row;
        }
    }
    grid->setColumnStretch(3, 1);
    return group;
}

QWidget *SettingsPage::apiGroup()
{
    auto *group = new QGroupBox(tr("REST API"), this);
    auto *layout = new QVBoxLayout(group);
    auto *form = new QFormLayout;
    m_apiEnabled = new QCheckBox(tr("Serve the REST API"), group);
    m_apiEnabled->setObjectName(QStringLiteral("apiEnabled"));
    m_bind = new QLineEdit(group);
    m_bind->setObjectName(QStringLiteral("apiBind"));
    m_port = new QSpinBox(group);
    m_port->setObjectName(QStringLiteral("apiPort"));
    m_port->setRange(0, 65535);
    form->addRow(QString(), m_apiEnabled);
    form->addRow(tr("Listen on address"), m_bind);
    form->addRow(tr("Port"), m_port);
    layout->addLayout(form);
    layout->addWidget(note(context().api ? tr("127.0.0.1 serves this computer only; 0.0.0.0 every network (then "
                                              "a JWT secret or an API key is required). Applies when saved.")
                                           : tr("127.0.0.1 serves this computer only; 0.0.0.0 every network (then "
                                              "a JWT secret or an API key is required). Takes effect at the next "
                                              "start."),
                           group));
    layout->addWidget(new QLabel(tr("<b>API keys</b>"), group));
    m_apiKeys = new ApiKeysPanel(context(), runner(), group);
    layout->addWidget(m_apiKeys);
    return group;
}

QWidget *SettingsPage::relayGroup()
{
    auto *group = new QGroupBox(tr("Events to NATS"), this);
    auto *layout = new QVBoxLayout(group);
    auto *form = new QFormLayout;
    m_relayEnabled = new QCheckBox(tr("Relay every applied change to NATS JetStream"), group);
    m_relayEnabled->setObjectName(QStringLiteral("relayEnabled"));
    m_relayUrl = new QLineEdit(group);
    m_relayUrl->setObjectName(QStringLiteral("relayUrl"));
    m_relayUrl->setPlaceholderText(tr("nats://host:4222 or tls://host:4222; empty: no relay"));
    m_relayStream = new QLineEdit(group);
    m_relayStream->setObjectName(QStringLiteral("relayStream"));
    m_relayPrefix = new QLineEdit(group);
    m_relayPrefix->setObjectName(QStringLiteral("relayPrefix"));
    m_relayState = new QLabel(group);
    m_relayState->setObjectName(QStringLiteral("relayState"));
    m_relayState->setWordWrap(true);
    form->addRow(QString(), m_relayEnabled);
    form->addRow(tr("Server"), m_relayUrl);
    form->addRow(tr("Stream"), m_relayStream);
    form->addRow(tr("Subject prefix"), m_relayPrefix);
    form->addRow(tr("State"), m_relayState);
    layout->addLayout(form);
    layout->addWidget(note(tr("Events go out as <prefix>.<entity>.<kind>, each once, in order per record; while the "
                              "server is away they wait in the database. Credentials and TLS are set in the settings "
                              "file (SYNC_NATS_CREDENTIALS, SYNC_NATS_NKEY, SYNC_NATS_TLS_CA). Applies when saved."),
                           group));
    if (DataSyncService *engine = context().engine) {
        connect(engine, &DataSyncService::statusChanged, this, [this](const ServiceStatus &status) { showRelay(status.relay); });
        showRelay(engine->status().relay);
    }
    return group;
}

void SettingsPage::showRelay(const RelayStatus &status)
{
    QString text;
    if (!status.enabled)
        text = status.configured ? tr("Switched off.") : tr("Off: no server set.");
    else if (!status.problem.isEmpty())
        text = tr("<span style='color:#c62828'>Not reaching the broker: %1</span>").arg(status.problem.toHtmlEscaped());
    else if (!status.leader)
        text = tr("Another SyncDesk on this database publishes its events.");
    else
        text = tr("<span style='color:#2e7d32'>Connected</span> to %1, stream %2.")
                   .arg(status.server.toHtmlEscaped(), status.stream.toHtmlEscaped());
    if (status.enabled || status.published > 0)
        text += QLatin1Char(' ') + tr("%1 published, %2 waiting (the oldest for %3 s).")
                                       .arg(QLocale().toString(status.published), QLocale().toString(status.lagEvents))
                                       .arg(status.lagSeconds, 0, 'f', 1);
    if (status.expiredEvents > 0)
        text += QLatin1Char(' ') + tr("%1 events were removed unpublished after the retention.").arg(QLocale().toString(status.expiredEvents));
    m_relayState->setText(text);
}

QWidget *SettingsPage::languageGroup()
{
    auto *group = new QGroupBox(tr("Language"), this);
    auto *form = new QFormLayout(group);
    m_language = new QComboBox(group);
    m_language->setObjectName(QStringLiteral("language"));
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    form->addRow(tr("Window language"), m_language);
    form->addRow(note(tr("Applies when saved: the window opens again in the new language."), group));
    return group;
}

void SettingsPage::refresh()
{
    m_apiKeys->reload();
}

void SettingsPage::load()
{
    const SyncSettings &settings = m_applied;
    m_databaseUrl->setText(settings.databaseUrl ? settings.databaseUrl->toDisplayString() : QString());
    m_dashboardUrl->setText(settings.dashboardDatabaseUrl ? settings.dashboardDatabaseUrl->toDisplayString()
                                                          : QString());
    m_databaseUrl->setModified(false);
    m_dashboardUrl->setModified(false);
    m_checkInterval->setValue(settings.consistencyCheckIntervalHours);
    m_cleanupInterval->setValue(settings.eventCleanupIntervalHours);
    m_threshold->setValue(settings.autoTicketThreshold);
    m_autoCreate->setChecked(settings.autoCreateTickets);
    m_bind->setText(settings.httpBind);
    m_port->setValue(settings.httpPort);
    m_apiEnabled->setChecked(settings.httpEnabled);
    m_relayEnabled->setChecked(settings.relay.enabled);
    m_relayUrl->setText(settings.relay.displayUrl());
    m_relayUrl->setModified(false);
    m_relayStream->setText(settings.relay.stream);
    m_relayPrefix->setText(settings.relay.subjectPrefix);
    m_language->setCurrentIndex(std::max(0, m_language->findData(TranslationLoader::preferredLanguage())));

    const auto policy = context().engine ? context().engine->conflictPolicy()
                                         : std::make_shared<const ConflictPolicy>(ConflictPolicy::defaults());
    for (auto it = m_strategies.cbegin(); it != m_strategies.cend(); ++it) {
        const QStringList parts = it.key().split(QLatin1Char('.'));
        // An entity's default is what a field without its own rule gets: ask for a field that has none.
        const FieldStrategy strategy = policy->strategyFor(parts.at(0), parts.value(1, QStringLiteral("*")));
        it.value().first->setCurrentIndex(
            std::max(0, it.value().first->findData(toString(strategy.strategy))));
        it.value().second->setCurrentIndex(
            std::max(0, it.value().second->findData(toString(strategy.fallback))));
        it.value().second->setVisible(strategy.strategy == ConflictStrategy::Merge);
    }
    markOverrides();
}

void SettingsPage::markOverrides()
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QStringList overridden;
    for (const QString &key : formValues().keys()) {
        if (environment.contains(key))
            overridden << key;
    }
    m_overrides->setVisible(!overridden.isEmpty());
    m_overrides->setText(tr("Set in the environment, which wins over the settings file: %1. Saving here "
                            "changes the file only.")
                             .arg(overridden.join(QStringLiteral(", "))));
}

QMap<QString, QString> SettingsPage::formValues() const
{
    QMap<QString, QString> values;
    // A URL shown masked is written only when someone typed a new one.
    if (m_databaseUrl->isModified())
        values.insert(QStringLiteral("DATABASE_URL"), m_databaseUrl->text().trimmed());
    if (m_dashboardUrl->isModified())
        values.insert(QStringLiteral("DASHBOARD_DATABASE_URL"), m_dashboardUrl->text().trimmed());
    values.insert(QStringLiteral("SYNC_CONSISTENCY_CHECK_INTERVAL"),
                  QString::number(m_checkInterval->value()));
    values.insert(QStringLiteral("SYNC_EVENT_CLEANUP_INTERVAL"), QString::number(m_cleanupInterval->value()));
    values.insert(QStringLiteral("SYNC_AUTO_TICKET_THRESHOLD"), QString::number(m_threshold->value()));
    values.insert(QStringLiteral("SYNC_AUTO_CREATE_TICKETS"),
                  m_autoCreate->isChecked() ? QStringLiteral("true") : QStringLiteral("false"));
    values.insert(QStringLiteral("SYNC_HTTP_BIND"), m_bind->text().trimmed());
    values.insert(QStringLiteral("SYNC_HTTP_PORT"), QString::number(m_port->value()));
    values.insert(QStringLiteral("SYNC_HTTP_ENABLED"),
                  m_apiEnabled->isChecked() ? QStringLiteral("true") : QStringLiteral("false"));
    if (m_relayUrl->isModified()) // shown with its password masked
        values.insert(QStringLiteral("SYNC_NATS_URL"), m_relayUrl->text().trimmed());
    values.insert(QStringLiteral("SYNC_NATS_ENABLED"),
                  m_relayEnabled->isChecked() ? QStringLiteral("true") : QStringLiteral("false"));
    values.insert(QStringLiteral("SYNC_NATS_STREAM"), m_relayStream->text().trimmed());
    values.insert(QStringLiteral("SYNC_NATS_SUBJECT_PREFIX"), m_relayPrefix->text().trimmed());
    return values;
}

QStringList SettingsPage::formConflictRules() const
{
    QStringList rules;
    for (auto it = m_strategies.cbegin(); it != m_strategies.cend(); ++it) {
        QString rule = it.key() + QLatin1Char('=') + it.value().first->currentData().toString();
        if (it.value().first->currentData().toString() == QLatin1String("merge"))
            rule += QLatin1Char('/') + it.value().second->currentData().toString();
        rules << rule;
    }
    return rules;
}

void SettingsPage::setStrategy(const QString &target, const QString &strategy)
{
    if (const auto boxes = m_strategies.value(target); boxes.first)
        boxes.first->setCurrentIndex(std::max(0, boxes.first->findData(strategy)));
}

bool SettingsPage::save()
{
    SettingsFile file(settingsPath());
    const QStringList rules = formConflictRules();
    if (Status saved = file.save(formValues(), rules); !saved) {
        messageBar()->showError(
            tr("The settings were not saved: %1. Correct the value and save again.").arg(saved.error()));
        return false;
    }
    const bool languageChanged = m_language->currentData().toString() != TranslationLoader::preferredLanguage();
    TranslationLoader::setPreferredLanguage(m_language->currentData().toString());
    const bool databasesChanged = m_databaseUrl->isModified() || m_dashboardUrl->isModified();
    m_databaseUrl->setModified(false);
    m_dashboardUrl->setModified(false);

    const QStringList problems = applyNow(rules);
    QStringList later;
    if (databasesChanged)
        later << tr("the database connections");
    if (!context().api)
        later << tr("the REST API");
    if (!context().engine)
        later << tr("the engine settings");
    QString text = tr("Saved to %1.").arg(file.path());
    text += later.isEmpty() ? tr(" Everything applies now.")
                            : tr(" Applies now, except at the next start: %1.").arg(later.join(QStringLiteral(", ")));
    if (problems.isEmpty())
        messageBar()->showSuccess(text);
    else
        messageBar()->showError(text + QLatin1Char(' ') + tr("Not applied now: %1").arg(problems.join(QStringLiteral("; "))));
    // The form keeps what was typed: saved URLs are used at the next start, and a refused API change is
    // explained in the message rather than silently undone.
    markOverrides();
    Q_EMIT saved();
    if (languageChanged)
        Q_EMIT languageChosen(m_language->currentData().toString()); // the window is built again in it
    return true;
}

QStringList SettingsPage::applyNow(const QStringList &rules)
{
    QStringList problems;
    if (DataSyncService *engine = context().engine) {
        // Conflict strategies and automatic tickets: the workers read them with their next batch.
        QStringList notApplied;
        for (const QString &rule : rules) {
            const QString target = rule.section(QLatin1Char('='), 0, 0);
            const QString value = rule.section(QLatin1Char('='), 1);
            const auto strategy = conflictStrategyFromString(value.section(QLatin1Char('/'), 0, 0));
            const auto fallback = conflictStrategyFromString(value.section(QLatin1Char('/'), 1).isEmpty()
                                                                 ? QStringLiteral("latest_wins")
                                                                 : value.section(QLatin1Char('/'), 1));
            if (!strategy || !fallback || !engine->setConflictRule(target, FieldStrategy{*strategy, *fallback}))
                notApplied << target;
        }
        if (!notApplied.isEmpty())
            problems << tr("conflict strategies for %1 (they apply at the next start)").arg(notApplied.join(QStringLiteral(", ")));
        if (Status set = engine->setAutoTicketing(m_threshold->value(), m_autoCreate->isChecked()); set) {
            m_applied.autoTicketThreshold = m_threshold->value();
            m_applied.autoCreateTickets = m_autoCreate->isChecked();
        } else {
            problems << set.error();
        }
        if (Status set = engine->setTaskIntervals(m_checkInterval->value(), m_cleanupInterval->value()); set) {
            m_applied.consistencyCheckIntervalHours = m_checkInterval->value();
            m_applied.eventCleanupIntervalHours = m_cleanupInterval->value();
        } else {
            problems << set.error();
        }
        RelaySettings relay = m_applied.relay;
        relay.enabled = m_relayEnabled->isChecked();
        if (m_relayUrl->isModified())
            relay.url = m_relayUrl->text().trimmed();
        relay.stream = m_relayStream->text().trimmed();
        relay.subjectPrefix = m_relayPrefix->text().trimmed();
        if (relay == m_applied.relay) {
            // Nothing changed: the relay keeps running as it is.
        } else if (Status set = engine->applyRelaySettings(relay); set) {
            m_applied.relay = relay;
            m_relayUrl->setModified(false);
        } else {
            problems << tr("the event relay (%1); it runs as before").arg(set.error());
        }
    }
    if (ApiServerControl *api = context().api) {
        const QString bind = m_bind->text().trimmed();
        if (Status applied = api->applyApiSettings(m_apiEnabled->isChecked(), bind, m_port->value()); applied) {
            m_applied.httpEnabled = m_apiEnabled->isChecked();
            m_applied.httpBind = bind;
            m_applied.httpPort = m_port->value();
        } else {
            problems << tr("the REST API (%1); it runs as before").arg(applied.error());
        }
    }
    return problems;
}

void SettingsPage::testConnection()
{
    QString url = m_databaseUrl->text().trimmed();
    if (!m_databaseUrl->isModified() && context().settings.databaseUrl)
        url = context().settings.databaseUrl->toString(); // the field shows it masked
    if (url.isEmpty()) {
        m_testResult->setText(tr("No URL: SyncDesk uses its private PostgreSQL, which it starts itself."));
        Q_EMIT connectionTested(true, m_testResult->text());
        return;
    }
    m_testResult->setText(tr("Connecting…"));
    runner()->run(
        this, [url]() { return ConnectionTest::run(url); },
        [this](const Result<ConnectionTestReport> &report) {
            if (!report) {
                m_testResult->setText(
                    tr("<span style='color:#c62828'>Cannot connect: %1</span><br>Check host, port, user and "
                       "password, and that the server accepts connections from this computer.")
                        .arg(report.error().toHtmlEscaped()));
                Q_EMIT connectionTested(false, m_testResult->text());
                return;
            }
            m_testResult->setText(
                tr("<span style='color:#2e7d32'>Connected</span> to %1 as %2 (%3); %4.")
                    .arg(report->database.toHtmlEscaped(), report->user.toHtmlEscaped(),
                         report->serverVersion.toHtmlEscaped(),
                         report->schemaVersion > 0
                             ? tr("SyncDesk's schema is there (%n migration(s))", nullptr,
                                  report->schemaVersion)
                             : tr("SyncDesk will create its schema there at the next start")));
            Q_EMIT connectionTested(true, m_testResult->text());
        });
}

} // namespace syncdesk::ui
