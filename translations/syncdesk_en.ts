<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>syncdesk::ui::ConflictsPage</name>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n conflict</numerusform>
            <numerusform>%n conflicts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) resolved.</source>
        <translation>
            <numerusform>%n conflict resolved.</numerusform>
            <numerusform>%n conflicts resolved.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConsistencyReportView</name>
    <message numerus="yes">
        <source>%1, %n attempt(s)</source>
        <translation>
            <numerusform>%1, %n attempt</numerusform>
            <numerusform>%1, %n attempts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConversationsPage</name>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LinkTicketDialog</name>
    <message numerus="yes">
        <source>%n ticket(s) found; bold ones belong to this customer.</source>
        <translation>
            <numerusform>%n ticket found; bold ones belong to this customer.</numerusform>
            <numerusform>%n tickets found; bold ones belong to this customer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LiveEventsPage</name>
    <message numerus="yes">
        <source>paused, %n new event(s) held back</source>
        <translation>
            <numerusform>paused, %n new event held back</numerusform>
            <numerusform>paused, %n new events held back</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) queued again; the engine applies them now.</source>
        <translation>
            <numerusform>%n change queued again; the engine applies it now.</numerusform>
            <numerusform>%n changes queued again; the engine applies them now.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::OverviewPage</name>
    <message numerus="yes">
        <source>%1 of %2 workers busy, %n background task(s)</source>
        <translation>
            <numerusform>%1 of %2 workers busy, %n background task</numerusform>
            <numerusform>%1 of %2 workers busy, %n background tasks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RecordsPage</name>
    <message numerus="yes">
        <source>%n captured change(s) wait to be applied.</source>
        <translation>
            <numerusform>%n captured change waits to be applied.</numerusform>
            <numerusform>%n captured changes wait to be applied.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SearchPage</name>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n result</numerusform>
            <numerusform>%n results</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>backend #%1, dashboard #%2: %3 differ(s)</source>
        <translation>
            <numerusform>backend #%1, dashboard #%2: %3 differs</numerusform>
            <numerusform>backend #%1, dashboard #%2: %3 differ</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ServiceStatusBar</name>
    <message numerus="yes">
        <source>%n open conflict(s)</source>
        <translation>
            <numerusform>%n open conflict</numerusform>
            <numerusform>%n open conflicts</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SettingsPage</name>
    <message numerus="yes">
        <source>SyncDesk&apos;s schema is there (%n migration(s))</source>
        <translation>
            <numerusform>SyncDesk&apos;s schema is there (%n migration)</numerusform>
            <numerusform>SyncDesk&apos;s schema is there (%n migrations)</numerusform>
        </translation>
    </message>
</context>
</TS>
