<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>MainWindow</name>
    <message>
        <source>SyncDesk</source>
        <translation>SyncDesk</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message numerus="yes">
        <source>Connected · %n pending change(s)</source>
        <translation>
            <numerusform>Verbunden · %n ausstehende Änderung</numerusform>
            <numerusform>Verbunden · %n ausstehende Änderungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Database unreachable</source>
        <translation>Datenbank nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Main backend</source>
        <translation>Haupt-Backend</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>Helpdesk dashboard</source>
        <translation>Helpdesk-Dashboard</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Change queue</source>
        <translation>Änderungswarteschlange</translation>
    </message>
    <message>
        <source>Pending changes</source>
        <translation>Ausstehende Änderungen</translation>
    </message>
    <message>
        <source>Oldest pending</source>
        <translation>Älteste ausstehende</translation>
    </message>
    <message>
        <source>Captured in the last minute</source>
        <translation>In der letzten Minute erfasst</translation>
    </message>
    <message>
        <source>Dead events</source>
        <translation>Tote Ereignisse</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s) ago</source>
        <translation>
            <numerusform>vor %n Sekunde</numerusform>
            <numerusform>vor %n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Cannot read the database: %1</source>
        <translation>Die Datenbank kann nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::app::Launcher</name>
    <message>
        <source>Starting the database…</source>
        <translation>Datenbank wird gestartet…</translation>
    </message>
    <message>
        <source>SyncDesk cannot start</source>
        <translation>SyncDesk kann nicht starten</translation>
    </message>
</context>
<context>
    <name>syncdesk::app::SyncRuntime</name>
    <message>
        <source>private PostgreSQL in %1 (%2)</source>
        <translation>privates PostgreSQL in %1 (%2)</translation>
    </message>
    <message>
        <source>; dashboard: %1</source>
        <translation>; Dashboard: %1</translation>
    </message>
</context>
</TS>
