<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
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
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stopping after the current step…</source>
        <translation>Wird nach dem laufenden Schritt beendet…</translation>
    </message>
    <message>
        <source>REST API not available</source>
        <translation>REST-API nicht verfügbar</translation>
    </message>
    <message>
        <source>SyncDesk runs, but its REST API could not start: %1
Choose another port on the Settings page, or start with --no-http.</source>
        <translation>SyncDesk läuft, aber seine REST-API konnte nicht starten: %1
Wählen Sie auf der Seite Einstellungen einen anderen Port oder starten Sie mit --no-http.</translation>
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
    <message>
        <source>SyncDesk is not running</source>
        <translation>SyncDesk läuft nicht</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ApiKeysPanel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Key starts with</source>
        <translation>Schlüssel beginnt mit</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Zuletzt benutzt</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Name of the new key, e.g. the system that uses it</source>
        <translation>Name des neuen Schlüssels, z. B. das System, das ihn benutzt</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>Schlüssel erstellen</translation>
    </message>
    <message>
        <source>Revoke selected</source>
        <translation>Ausgewählten widerrufen</translation>
    </message>
    <message>
        <source>the API keys</source>
        <translation>die API-Schlüssel</translation>
    </message>
    <message>
        <source>Give the new key a name (who or what uses it) and a role.</source>
        <translation>Geben Sie dem neuen Schlüssel einen Namen (wer oder was ihn benutzt) und eine Rolle.</translation>
    </message>
    <message>
        <source>The key could not be created: %1. Choose another name and try again.</source>
        <translation>Der Schlüssel konnte nicht erstellt werden: %1. Wählen Sie einen anderen Namen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The key could not be revoked: %1.</source>
        <translation>Der Schlüssel konnte nicht widerrufen werden: %1.</translation>
    </message>
    <message>
        <source>Key &quot;%1&quot; revoked: requests with it are refused from now on.</source>
        <translation>Schlüssel „%1“ widerrufen: Anfragen damit werden ab jetzt abgelehnt.</translation>
    </message>
    <message>
        <source>no database configured</source>
        <translation>keine Datenbank eingerichtet</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::BulkResolveDialog</name>
    <message>
        <source>Resolve by rule</source>
        <translation>Per Regel auflösen</translation>
    </message>
    <message>
        <source>Any entity</source>
        <translation>Jede Entität</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>Entität</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Settle with</source>
        <translation>Auflösen mit</translation>
    </message>
    <message>
        <source>Resolve all that match</source>
        <translation>Alle passenden auflösen</translation>
    </message>
    <message>
        <source>Any field</source>
        <translation>Jedes Feld</translation>
    </message>
    <message>
        <source>any field</source>
        <translation>jedem Feld</translation>
    </message>
    <message>
        <source>Every open conflict of %1 in %2 will be settled with &quot;%3&quot;. Conflicts this cannot settle (text cannot be merged) stay open and are listed.</source>
        <translation>Jeder offene Konflikt von %1 in %2 wird mit „%3“ aufgelöst. Konflikte, die sich so nicht auflösen lassen (Text lässt sich nicht zusammenführen), bleiben offen und werden aufgeführt.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConflictActions</name>
    <message>
        <source>This conflict is already settled.</source>
        <translation>Dieser Konflikt ist bereits aufgelöst.</translation>
    </message>
    <message>
        <source>A deleted record is settled by deleting the other one too or restoring it.</source>
        <translation>Ein gelöschter Datensatz wird aufgelöst, indem auch der andere gelöscht oder er wiederhergestellt wird.</translation>
    </message>
    <message>
        <source>Text cannot be merged: choose a side, keep both or type the value.</source>
        <translation>Text lässt sich nicht zusammenführen: Wählen Sie eine Seite, behalten Sie beide oder geben Sie den Wert ein.</translation>
    </message>
    <message>
        <source>This field holds one value only: choose a side or type the value.</source>
        <translation>Dieses Feld hat nur einen Wert: Wählen Sie eine Seite oder geben Sie den Wert ein.</translation>
    </message>
    <message>
        <source>Only for records deleted on one side.</source>
        <translation>Nur für Datensätze, die auf einer Seite gelöscht wurden.</translation>
    </message>
    <message>
        <source>Not possible for this conflict.</source>
        <translation>Bei diesem Konflikt nicht möglich.</translation>
    </message>
    <message>
        <source>An e-mail address cannot be empty.</source>
        <translation>Eine E-Mail-Adresse darf nicht leer sein.</translation>
    </message>
    <message>
        <source>Use backend</source>
        <translation>Backend übernehmen</translation>
    </message>
    <message>
        <source>Use dashboard</source>
        <translation>Dashboard übernehmen</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>Beide behalten</translation>
    </message>
    <message>
        <source>Edit value…</source>
        <translation>Wert bearbeiten…</translation>
    </message>
    <message>
        <source>Latest wins</source>
        <translation>Neuester gewinnt</translation>
    </message>
    <message>
        <source>Delete on the other side</source>
        <translation>Auf der anderen Seite löschen</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>backend&apos;s value</source>
        <translation>Wert des Backends</translation>
    </message>
    <message>
        <source>dashboard&apos;s value</source>
        <translation>Wert des Dashboards</translation>
    </message>
    <message>
        <source>typed value</source>
        <translation>eingegebener Wert</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>zusammengeführt</translation>
    </message>
    <message>
        <source>latest wins</source>
        <translation>neuester gewinnt</translation>
    </message>
    <message>
        <source>deleted on the other side</source>
        <translation>auf der anderen Seite gelöscht</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>wiederhergestellt</translation>
    </message>
    <message>
        <source>both preserved</source>
        <translation>beide aufbewahrt</translation>
    </message>
    <message>
        <source>%1 needs one conflict&apos;s values; settle those one by one.</source>
        <translation>%1 braucht die Werte eines einzelnen Konflikts; lösen Sie diese einzeln auf.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConflictDetailView</name>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>Gemeinsamer Stand</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Select a conflict to compare both sides.</source>
        <translation>Wählen Sie einen Konflikt, um beide Seiten zu vergleichen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 &quot;%2&quot;&lt;/b&gt; was deleted on one side and changed or kept on the other · detected %3</source>
        <translation>&lt;b&gt;%1 „%2“&lt;/b&gt; wurde auf einer Seite gelöscht und auf der anderen geändert oder behalten · erkannt %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 &quot;%2&quot;&lt;/b&gt; · field &lt;b&gt;%3&lt;/b&gt; changed on both sides · detected %4 · strategy %5</source>
        <translation>&lt;b&gt;%1 „%2“&lt;/b&gt; · Feld &lt;b&gt;%3&lt;/b&gt; auf beiden Seiten geändert · erkannt %4 · Strategie %5</translation>
    </message>
    <message>
        <source>the backend&apos;s record is gone</source>
        <translation>der Datensatz im Backend existiert nicht mehr</translation>
    </message>
    <message>
        <source>the dashboard&apos;s record is gone</source>
        <translation>der Datensatz im Dashboard existiert nicht mehr</translation>
    </message>
    <message>
        <source>Open: this field stops syncing for this record until you decide.</source>
        <translation>Offen: Dieses Feld wird für diesen Datensatz nicht synchronisiert, bis Sie entscheiden.</translation>
    </message>
    <message>
        <source>Open: %1.</source>
        <translation>Offen: %1.</translation>
    </message>
    <message>
        <source>%1 by %2 on %3: %4, value &quot;%5&quot;.</source>
        <translation>%1 von %2 am %3: %4, Wert „%5“.</translation>
    </message>
    <message>
        <source>Preserved</source>
        <translation>Aufbewahrt</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Aufgelöst</translation>
    </message>
    <message>
        <source>Both sides become: %1</source>
        <translation>Beide Seiten werden: %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>Konflikte</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>Resolved (history)</source>
        <translation>Aufgelöst (Verlauf)</translation>
    </message>
    <message>
        <source>Preserved (history)</source>
        <translation>Aufbewahrt (Verlauf)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>All entities</source>
        <translation>Alle Entitäten</translation>
    </message>
    <message>
        <source>All fields</source>
        <translation>Alle Felder</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>Erkannt</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>Entität</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>(record deleted)</source>
        <translation>(Datensatz gelöscht)</translation>
    </message>
    <message>
        <source>Backend value</source>
        <translation>Wert im Backend</translation>
    </message>
    <message>
        <source>Dashboard value</source>
        <translation>Wert im Dashboard</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>Aufgelöst von</translation>
    </message>
    <message>
        <source>How</source>
        <translation>Wie</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Aufgelöst</translation>
    </message>
    <message>
        <source>Resolve selected</source>
        <translation>Auswahl auflösen</translation>
    </message>
    <message>
        <source>Select the open conflicts to resolve first.</source>
        <translation>Wählen Sie zuerst die offenen Konflikte aus, die aufgelöst werden sollen.</translation>
    </message>
    <message>
        <source>Resolve by rule…</source>
        <translation>Per Regel auflösen…</translation>
    </message>
    <message>
        <source>the conflicts</source>
        <translation>die Konflikte</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation>
            <numerusform>%n Konflikt</numerusform>
            <numerusform>%n Konflikte</numerusform>
        </translation>
    </message>
    <message>
        <source>conflict %1</source>
        <translation>Konflikt %1</translation>
    </message>
    <message>
        <source>Resolving conflict %1</source>
        <translation>Das Auflösen von Konflikt %1</translation>
    </message>
    <message>
        <source>Conflict %1 resolved (%2).</source>
        <translation>Konflikt %1 aufgelöst (%2).</translation>
    </message>
    <message>
        <source>Conflict %1 resolved: %2 is now &quot;%3&quot; on both sides.</source>
        <translation>Konflikt %1 aufgelöst: %2 ist jetzt auf beiden Seiten „%3“.</translation>
    </message>
    <message>
        <source>Resolving the conflicts</source>
        <translation>Das Auflösen der Konflikte</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) resolved.</source>
        <translation>
            <numerusform>%n Konflikt aufgelöst.</numerusform>
            <numerusform>%n Konflikte aufgelöst.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 conflict(s) resolved; %2 could not be: %3. Settle those one by one.</source>
        <translation>%1 Konflikt(e) aufgelöst; %2 nicht: %3. Lösen Sie diese einzeln auf.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConsistencyCheckController</name>
    <message>
        <source>Starting the consistency check…</source>
        <translation>Konsistenzprüfung wird gestartet…</translation>
    </message>
    <message>
        <source>Run in background</source>
        <translation>Im Hintergrund ausführen</translation>
    </message>
    <message>
        <source>Consistency check</source>
        <translation>Konsistenzprüfung</translation>
    </message>
    <message>
        <source>The consistency check could not start: %1. Check the database connection in the status bar and try again.</source>
        <translation>Die Konsistenzprüfung konnte nicht starten: %1. Prüfen Sie die Datenbankverbindung in der Statusleiste und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Checking consistency (run %1)…</source>
        <translation>Konsistenz wird geprüft (Lauf %1)…</translation>
    </message>
    <message>
        <source>Checking: %1</source>
        <translation>Prüfe: %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConsistencyPage</name>
    <message>
        <source>Consistency</source>
        <translation>Konsistenz</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Run now</source>
        <translation>Jetzt prüfen</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Triggered by</source>
        <translation>Ausgelöst von</translation>
    </message>
    <message>
        <source>Issues</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>Repariert</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>the consistency checks</source>
        <translation>die Konsistenzprüfungen</translation>
    </message>
    <message>
        <source>No consistency check has run yet. Press &quot;Run now&quot;.</source>
        <translation>Es lief noch keine Konsistenzprüfung. Klicken Sie auf „Jetzt prüfen“.</translation>
    </message>
    <message>
        <source>Run %1 is still running (%2 %).</source>
        <translation>Lauf %1 läuft noch (%2 %).</translation>
    </message>
    <message>
        <source>Run %1 failed: %2</source>
        <translation>Lauf %1 fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConsistencyReportDialog</name>
    <message>
        <source>Consistency check %1</source>
        <translation>Konsistenzprüfung %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;The consistency check failed:&lt;/b&gt; %1&lt;br&gt;Check the database connection and run it again.</source>
        <translation>&lt;b&gt;Die Konsistenzprüfung ist fehlgeschlagen:&lt;/b&gt; %1&lt;br&gt;Prüfen Sie die Datenbankverbindung und starten Sie sie erneut.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConsistencyReportView</name>
    <message>
        <source>Customers that exist on one side only</source>
        <translation>Kunden, die es nur auf einer Seite gibt</translation>
    </message>
    <message>
        <source>Tickets that exist on one side only</source>
        <translation>Tickets, die es nur auf einer Seite gibt</translation>
    </message>
    <message>
        <source>Linked customers whose fields differ with no change pending</source>
        <translation>Verknüpfte Kunden mit abweichenden Feldern ohne ausstehende Änderung</translation>
    </message>
    <message>
        <source>Linked tickets whose fields differ with no change pending</source>
        <translation>Verknüpfte Tickets mit abweichenden Feldern ohne ausstehende Änderung</translation>
    </message>
    <message>
        <source>Customer links whose record is gone on a side</source>
        <translation>Kundenverknüpfungen, deren Datensatz auf einer Seite fehlt</translation>
    </message>
    <message>
        <source>Ticket links whose record is gone on a side</source>
        <translation>Ticketverknüpfungen, deren Datensatz auf einer Seite fehlt</translation>
    </message>
    <message>
        <source>Conversations whose status contradicts their ticket&apos;s</source>
        <translation>Unterhaltungen, deren Status dem ihres Tickets widerspricht</translation>
    </message>
    <message>
        <source>Customers sharing an e-mail address on one side</source>
        <translation>Kunden mit derselben E-Mail-Adresse auf einer Seite</translation>
    </message>
    <message>
        <source>Changes due for more than five minutes and still not applied</source>
        <translation>Änderungen, die seit über fünf Minuten fällig und nicht übernommen sind</translation>
    </message>
    <message>
        <source>Dead changes waiting to be retried by hand</source>
        <translation>Tote Änderungen, die von Hand wiederholt werden müssen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Both systems are consistent.&lt;/b&gt; No issue found (%1 ms).</source>
        <translation>&lt;b&gt;Beide Systeme sind konsistent.&lt;/b&gt; Kein Problem gefunden (%1 ms).</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 issue(s) found, all repaired.&lt;/b&gt; The repairs are applied by the sync engine (%2 ms).</source>
        <translation>&lt;b&gt;%1 Problem(e) gefunden, alle repariert.&lt;/b&gt; Die Synchronisation übernimmt die Reparaturen (%2 ms).</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 issue(s) found, %2 repaired, %3 need a person.&lt;/b&gt; See the checks marked below (%4 ms).</source>
        <translation>&lt;b&gt;%1 Problem(e) gefunden, %2 repariert, %3 brauchen einen Menschen.&lt;/b&gt; Siehe die markierten Prüfungen unten (%4 ms).</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Gefunden</translation>
    </message>
    <message>
        <source>Repaired</source>
        <translation>Repariert</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>dashboard customer</source>
        <translation>Dashboard-Kunde</translation>
    </message>
    <message>
        <source>backend customer</source>
        <translation>Backend-Kunde</translation>
    </message>
    <message>
        <source>dashboard ticket</source>
        <translation>Dashboard-Ticket</translation>
    </message>
    <message>
        <source>backend ticket</source>
        <translation>Backend-Ticket</translation>
    </message>
    <message>
        <source>conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>%1, %2 #%3: missing in the %4</source>
        <translation>%1, %2 #%3: fehlt im %4</translation>
    </message>
    <message>
        <source>A record</source>
        <translation>Ein Datensatz</translation>
    </message>
    <message>
        <source>%1 %2 in the backend, %3 in the dashboard</source>
        <translation>%1 %2 im Backend, %3 im Dashboard</translation>
    </message>
    <message>
        <source>%1, backend #%2 / dashboard #%3: %4</source>
        <translation>%1, Backend #%2 / Dashboard #%3: %4</translation>
    </message>
    <message>
        <source>%1, backend #%2 / dashboard #%3: gone from the %4</source>
        <translation>%1, Backend #%2 / Dashboard #%3: nicht mehr im %4</translation>
    </message>
    <message>
        <source>Conversation #%1 “%2” is %3, its ticket #%4 “%5” is %6</source>
        <translation>Unterhaltung #%1 „%2“ ist %3, ihr Ticket #%4 „%5“ ist %6</translation>
    </message>
    <message>
        <source>%1: %2 customers %3</source>
        <translation>%1: %2-Kunden %3</translation>
    </message>
    <message>
        <source>Change #%1 to %2 #%3</source>
        <translation>Änderung #%1 an %2 #%3</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n attempt(s)</source>
        <translation>
            <numerusform>%1, %n Versuch</numerusform>
            <numerusform>%1, %n Versuche</numerusform>
        </translation>
    </message>
    <message>
        <source>%1
Double-click to open it.</source>
        <translation>%1
Doppelklick öffnet den Datensatz.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConversationDetail</name>
    <message>
        <source>create a ticket</source>
        <translation>Ticket erstellen</translation>
    </message>
    <message>
        <source>link to an open ticket</source>
        <translation>mit offenem Ticket verknüpfen</translation>
    </message>
    <message>
        <source>needs review</source>
        <translation>Prüfung nötig</translation>
    </message>
    <message>
        <source>no action</source>
        <translation>nichts zu tun</translation>
    </message>
    <message>
        <source>Ticket needed:</source>
        <translation>Ticket nötig:</translation>
    </message>
    <message>
        <source>Analyze</source>
        <translation>Analysieren</translation>
    </message>
    <message>
        <source>Create ticket…</source>
        <translation>Ticket erstellen…</translation>
    </message>
    <message>
        <source>Link to ticket…</source>
        <translation>Mit Ticket verknüpfen…</translation>
    </message>
    <message>
        <source>Signal</source>
        <translation>Signal</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>Select a conversation to see its analysis and transcript.</source>
        <translation>Wählen Sie eine Unterhaltung, um Analyse und Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>This conversation already has a ticket.</source>
        <translation>Diese Unterhaltung hat bereits ein Ticket.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;lt;%3&amp;gt; · %4 · %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;lt;%3&amp;gt; · %4 · %5</translation>
    </message>
    <message>
        <source>not analysed</source>
        <translation>nicht analysiert</translation>
    </message>
    <message>
        <source>Not analysed yet: press Analyze.</source>
        <translation>Noch nicht analysiert: Klicken Sie auf „Analysieren“.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Result:&lt;/b&gt; %1 · &lt;b&gt;Category:&lt;/b&gt; %2 · &lt;b&gt;Priority:&lt;/b&gt; %3 · &lt;b&gt;Sentiment:&lt;/b&gt; %4 (%5)&lt;br&gt;&lt;b&gt;Suggested subject:&lt;/b&gt; %6&lt;br&gt;&lt;b&gt;Summary:&lt;/b&gt; %7</source>
        <translation>&lt;b&gt;Ergebnis:&lt;/b&gt; %1 · &lt;b&gt;Kategorie:&lt;/b&gt; %2 · &lt;b&gt;Priorität:&lt;/b&gt; %3 · &lt;b&gt;Stimmung:&lt;/b&gt; %4 (%5)&lt;br&gt;&lt;b&gt;Vorgeschlagener Betreff:&lt;/b&gt; %6&lt;br&gt;&lt;b&gt;Zusammenfassung:&lt;/b&gt; %7</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>negativ</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>positiv</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>neutral</translation>
    </message>
    <message>
        <source>No ticket yet.</source>
        <translation>Noch kein Ticket.</translation>
    </message>
    <message>
        <source>Ticket &lt;a href=&quot;%1&quot;&gt;#%1&lt;/a&gt; &quot;%2&quot; (%3), %4 by %5.</source>
        <translation>Ticket &lt;a href=&quot;%1&quot;&gt;#%1&lt;/a&gt; „%2“ (%3), %4 von %5.</translation>
    </message>
    <message>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <source>linked</source>
        <translation>verknüpft</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>AI agent</source>
        <translation>KI-Agent</translation>
    </message>
    <message>
        <source>Support agent</source>
        <translation>Support-Mitarbeiter</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ConversationsPage</name>
    <message>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <source>All conversations</source>
        <translation>Alle Unterhaltungen</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>Prüfung nötig</translation>
    </message>
    <message>
        <source>Above threshold without ticket</source>
        <translation>Über der Schwelle ohne Ticket</translation>
    </message>
    <message>
        <source>With a ticket</source>
        <translation>Mit Ticket</translation>
    </message>
    <message>
        <source>Not analysed</source>
        <translation>Nicht analysiert</translation>
    </message>
    <message>
        <source>Subject or customer (Ctrl+F)</source>
        <translation>Betreff oder Kunde (Strg+F)</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Sentiment</source>
        <translation>Stimmung</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>the conversations</source>
        <translation>die Unterhaltungen</translation>
    </message>
    <message>
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n Unterhaltung</numerusform>
            <numerusform>%n Unterhaltungen</numerusform>
        </translation>
    </message>
    <message>
        <source>conversation %1</source>
        <translation>Unterhaltung %1</translation>
    </message>
    <message>
        <source>Analysing conversation %1</source>
        <translation>Das Analysieren von Unterhaltung %1</translation>
    </message>
    <message>
        <source>Conversation %1 analysed: %2 (confidence %3 %).</source>
        <translation>Unterhaltung %1 analysiert: %2 (Konfidenz %3 %).</translation>
    </message>
    <message>
        <source>Creating a ticket</source>
        <translation>Das Erstellen des Tickets</translation>
    </message>
    <message>
        <source>Ticket #%1 created on both sides and linked to conversation %2.</source>
        <translation>Ticket #%1 auf beiden Seiten erstellt und mit Unterhaltung %2 verknüpft.</translation>
    </message>
    <message>
        <source>Linking the ticket</source>
        <translation>Das Verknüpfen des Tickets</translation>
    </message>
    <message>
        <source>Conversation %1 linked to ticket #%2.</source>
        <translation>Unterhaltung %1 mit Ticket #%2 verknüpft.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::CreateTicketDialog</name>
    <message>
        <source>Create a ticket from conversation %1</source>
        <translation>Ticket aus Unterhaltung %1 erstellen</translation>
    </message>
    <message>
        <source>Empty: SyncDesk writes a summary of the conversation</source>
        <translation>Leer: SyncDesk schreibt eine Zusammenfassung der Unterhaltung</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Create ticket on both sides</source>
        <translation>Ticket auf beiden Seiten erstellen</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::CustomersPage</name>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>the customers</source>
        <translation>die Kunden</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Jetzt synchronisieren</translation>
    </message>
    <message>
        <source>Reconcile this customer at once instead of waiting for its next change</source>
        <translation>Diesen Kunden sofort abgleichen, statt auf seine nächste Änderung zu warten</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>User #</source>
        <translation>Benutzer #</translation>
    </message>
    <message>
        <source>Name (backend)</source>
        <translation>Name (Backend)</translation>
    </message>
    <message>
        <source>E-mail (backend)</source>
        <translation>E-Mail (Backend)</translation>
    </message>
    <message>
        <source>Phone (backend)</source>
        <translation>Telefon (Backend)</translation>
    </message>
    <message>
        <source>Customer #</source>
        <translation>Kunde #</translation>
    </message>
    <message>
        <source>Name (dashboard)</source>
        <translation>Name (Dashboard)</translation>
    </message>
    <message>
        <source>E-mail (dashboard)</source>
        <translation>E-Mail (Dashboard)</translation>
    </message>
    <message>
        <source>Phone (dashboard)</source>
        <translation>Telefon (Dashboard)</translation>
    </message>
    <message>
        <source>Company (dashboard)</source>
        <translation>Firma (Dashboard)</translation>
    </message>
    <message>
        <source>Syncing user %1</source>
        <translation>Das Synchronisieren von Benutzer %1</translation>
    </message>
    <message>
        <source>User %1 reconciled with customer %2 (%3).</source>
        <translation>Benutzer %1 mit Kunde %2 abgeglichen (%3).</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::EditValueDialog</name>
    <message>
        <source>Edit value</source>
        <translation>Wert bearbeiten</translation>
    </message>
    <message>
        <source>The values for both sides, separated by commas:</source>
        <translation>Die Werte für beide Seiten, durch Kommas getrennt:</translation>
    </message>
    <message>
        <source>The value for both sides (empty clears it):</source>
        <translation>Der Wert für beide Seiten (leer löscht ihn):</translation>
    </message>
    <message>
        <source>Use this value</source>
        <translation>Diesen Wert übernehmen</translation>
    </message>
    <message>
        <source>Both sides will read: %1</source>
        <translation>Beide Seiten lauten dann: %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ErrorText</name>
    <message>
        <source>%1 failed: %2. The record may have been deleted meanwhile; press F5 to refresh the list.</source>
        <translation>%1 ist fehlgeschlagen: %2. Der Datensatz wurde vielleicht inzwischen gelöscht; drücken Sie F5, um die Liste zu aktualisieren.</translation>
    </message>
    <message>
        <source>%1 failed: %2. Someone or something changed it first; press F5 to see its current state.</source>
        <translation>%1 ist fehlgeschlagen: %2. Jemand oder etwas hat ihn zuerst geändert; drücken Sie F5, um den aktuellen Stand zu sehen.</translation>
    </message>
    <message>
        <source>%1 was refused: %2. Correct the value and try again.</source>
        <translation>%1 wurde abgelehnt: %2. Korrigieren Sie den Wert und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 failed because the database cannot be reached (%2). Check that PostgreSQL is running; SyncDesk reconnects by itself, then try again.</source>
        <translation>%1 ist fehlgeschlagen, weil die Datenbank nicht erreichbar ist (%2). Prüfen Sie, ob PostgreSQL läuft; SyncDesk verbindet sich selbst neu, versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>%1 failed: %2. Try again; if it keeps failing, look at the log (category syncdesk) and report it.</source>
        <translation>%1 ist fehlgeschlagen: %2. Versuchen Sie es erneut; schlägt es weiter fehl, sehen Sie ins Protokoll (Kategorie syncdesk) und melden Sie es.</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Cannot load %1: %2. Check the database connection (status bar) and press F5 to try again.</source>
        <translation>%1 können nicht geladen werden: %2. Prüfen Sie die Datenbankverbindung (Statusleiste) und drücken Sie F5, um es erneut zu versuchen.</translation>
    </message>
    <message>
        <source>The sync engine is not running. Restart SyncDesk; if it does not start, the message at start-up says why.</source>
        <translation>Die Synchronisation läuft nicht. Starten Sie SyncDesk neu; startet es nicht, sagt die Meldung beim Start, warum.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::FieldComparison</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LinkTicketDialog</name>
    <message>
        <source>Link conversation %1 to a ticket</source>
        <translation>Unterhaltung %1 mit einem Ticket verknüpfen</translation>
    </message>
    <message>
        <source>Open tickets of %1 come first; search to find any other ticket.</source>
        <translation>Offene Tickets von %1 stehen zuerst; suchen Sie, um andere Tickets zu finden.</translation>
    </message>
    <message>
        <source>Search subject, customer or assignee</source>
        <translation>Betreff, Kunde oder Bearbeiter suchen</translation>
    </message>
    <message>
        <source>Include resolved and closed</source>
        <translation>Gelöste und geschlossene einbeziehen</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Verknüpfen</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>the tickets</source>
        <translation>die Tickets</translation>
    </message>
    <message>
        <source>No matching ticket. Search for another, include closed ones, or create a new ticket instead.</source>
        <translation>Kein passendes Ticket. Suchen Sie ein anderes, beziehen Sie geschlossene ein oder erstellen Sie stattdessen ein neues Ticket.</translation>
    </message>
    <message numerus="yes">
        <source>%n ticket(s) found; bold ones belong to this customer.</source>
        <translation>
            <numerusform>%n Ticket gefunden; fett gedruckte gehören diesem Kunden.</numerusform>
            <numerusform>%n Tickets gefunden; fett gedruckte gehören diesem Kunden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LiveEventDetail</name>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Retry this change</source>
        <translation>Diese Änderung wiederholen</translation>
    </message>
    <message>
        <source>Review in Conflicts</source>
        <translation>Unter Konflikte prüfen</translation>
    </message>
    <message>
        <source>Select an event to see what changed.</source>
        <translation>Wählen Sie ein Ereignis, um zu sehen, was sich geändert hat.</translation>
    </message>
    <message>
        <source>Captured changes: %1</source>
        <translation>Erfasste Änderungen: %1</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>%1 of %2 %3 in the %4, attempt %5, status %6.</source>
        <translation>%1 von %2 %3 im %4, Versuch %5, Status %6.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LiveEventModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>Entität</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Was geschah</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LiveEventRow</name>
    <message>
        <source>Synced</source>
        <translation>Synchronisiert</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Conflict resolved</source>
        <translation>Konflikt aufgelöst</translation>
    </message>
    <message>
        <source>Ticket status</source>
        <translation>Ticketstatus</translation>
    </message>
    <message>
        <source>Ticket created</source>
        <translation>Ticket erstellt</translation>
    </message>
    <message>
        <source>Conversation linked</source>
        <translation>Unterhaltung verknüpft</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Dead</source>
        <translation>Tot</translation>
    </message>
    <message>
        <source>Task finished</source>
        <translation>Aufgabe beendet</translation>
    </message>
    <message>
        <source>synced</source>
        <translation>synchronisiert</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>aufgelöst</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>tot</translation>
    </message>
    <message>
        <source>retried</source>
        <translation>wiederholt</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>both</source>
        <translation>beide</translation>
    </message>
    <message>
        <source>customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>%1 %2: %3 to the dashboard, %4 to the backend</source>
        <translation>%1 %2: %3 ins Dashboard, %4 ins Backend</translation>
    </message>
    <message>
        <source>%1 %2: %3 to the dashboard</source>
        <translation>%1 %2: %3 ins Dashboard</translation>
    </message>
    <message>
        <source>%1 %2: %3 to the backend</source>
        <translation>%1 %2: %3 ins Backend</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 field %2 changed on both sides (%3, %4)</source>
        <translation>%1: Feld %2 auf beiden Seiten geändert (%3, %4)</translation>
    </message>
    <message>
        <source>Conflict %1 resolved (%2) by %3</source>
        <translation>Konflikt %1 aufgelöst (%2) von %3</translation>
    </message>
    <message>
        <source>Ticket &quot;%1&quot;: %2 → %3</source>
        <translation>Ticket „%1“: %2 → %3</translation>
    </message>
    <message>
        <source>Ticket &quot;%1&quot; created from conversation %2</source>
        <translation>Ticket „%1“ aus Unterhaltung %2 erstellt</translation>
    </message>
    <message>
        <source>Conversation %1 linked to ticket %2</source>
        <translation>Unterhaltung %1 mit Ticket %2 verknüpft</translation>
    </message>
    <message>
        <source>Conversation %1 analysed: %2 (confidence %3, %4)</source>
        <translation>Unterhaltung %1 analysiert: %2 (Konfidenz %3, %4)</translation>
    </message>
    <message>
        <source>Change %1 is dead after %2 attempts: %3</source>
        <translation>Änderung %1 ist nach %2 Versuchen tot: %3</translation>
    </message>
    <message>
        <source>Change %1 failed (attempt %2): %3</source>
        <translation>Änderung %1 fehlgeschlagen (Versuch %2): %3</translation>
    </message>
    <message>
        <source>%1 finished: %2</source>
        <translation>%1 beendet: %2</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::LiveEventsPage</name>
    <message>
        <source>Live events</source>
        <translation>Live-Ereignisse</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Folgen</translation>
    </message>
    <message>
        <source>Keep the newest event in view</source>
        <translation>Das neueste Ereignis im Blick behalten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Hold new events back while you read; they are added when you continue</source>
        <translation>Neue Ereignisse zurückhalten, während Sie lesen; sie erscheinen, wenn Sie fortfahren</translation>
    </message>
    <message>
        <source>Both sides</source>
        <translation>Beide Seiten</translation>
    </message>
    <message>
        <source>From the backend</source>
        <translation>Aus dem Backend</translation>
    </message>
    <message>
        <source>From the dashboard</source>
        <translation>Aus dem Dashboard</translation>
    </message>
    <message>
        <source>All entities</source>
        <translation>Alle Entitäten</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>Jeder Zustand</translation>
    </message>
    <message>
        <source>Filter by text (Ctrl+F)</source>
        <translation>Nach Text filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Empty the list (the events stay in the database)</source>
        <translation>Liste leeren (die Ereignisse bleiben in der Datenbank)</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>Auswahl wiederholen</translation>
    </message>
    <message>
        <source>Queue the selected dead changes again</source>
        <translation>Die ausgewählten toten Änderungen erneut einreihen</translation>
    </message>
    <message>
        <source>Retry all dead</source>
        <translation>Alle toten wiederholen</translation>
    </message>
    <message>
        <source>Queue every dead change in the database again</source>
        <translation>Alle toten Änderungen der Datenbank erneut einreihen</translation>
    </message>
    <message>
        <source>the captured change %1</source>
        <translation>die erfasste Änderung %1</translation>
    </message>
    <message>
        <source>the dead changes</source>
        <translation>die toten Änderungen</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Fortfahren</translation>
    </message>
    <message>
        <source>%1 shown of %2 kept · %3 received</source>
        <translation>%1 angezeigt von %2 behaltenen · %3 empfangen</translation>
    </message>
    <message numerus="yes">
        <source>paused, %n new event(s) held back</source>
        <translation>
            <numerusform>angehalten, %n neues Ereignis zurückgehalten</numerusform>
            <numerusform>angehalten, %n neue Ereignisse zurückgehalten</numerusform>
        </translation>
    </message>
    <message>
        <source>Select one or more dead changes (state &quot;dead&quot;) to retry them.</source>
        <translation>Wählen Sie eine oder mehrere tote Änderungen (Zustand „tot“), um sie zu wiederholen.</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>Das Wiederholen</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) queued again; the engine applies them now.</source>
        <translation>
            <numerusform>%n Änderung erneut eingereiht; die Synchronisation übernimmt sie jetzt.</numerusform>
            <numerusform>%n Änderungen erneut eingereiht; die Synchronisation übernimmt sie jetzt.</numerusform>
        </translation>
    </message>
    <message>
        <source>There was no dead change to retry.</source>
        <translation>Es gab keine tote Änderung zu wiederholen.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::MainWindow</name>
    <message>
        <source>SyncDesk</source>
        <translation>SyncDesk</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Cannot read the record counts: %1</source>
        <translation>Die Anzahl der Datensätze kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Consistency check %1 running…</source>
        <translation>Konsistenzprüfung %1 läuft…</translation>
    </message>
    <message>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation>&amp;Synchronisation</translation>
    </message>
    <message>
        <source>Run &amp;consistency check</source>
        <translation>&amp;Konsistenzprüfung starten</translation>
    </message>
    <message>
        <source>Clean &amp;up now</source>
        <translation>Jetzt a&amp;ufräumen</translation>
    </message>
    <message>
        <source>&amp;Pause or resume sync</source>
        <translation>Synchronisation &amp;anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About SyncDesk</source>
        <translation>&amp;Über SyncDesk</translation>
    </message>
    <message>
        <source>About SyncDesk</source>
        <translation>Über SyncDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;SyncDesk %1&lt;/b&gt;&lt;p&gt;Keeps customers, tickets and AI-agent conversations consistent between the product backend and the helpdesk dashboard.&lt;/p&gt;&lt;p&gt;Database: %2&lt;/p&gt;&lt;p&gt;The conversation analyzer&apos;s model was trained on the Bitext customer-support intent data (CDLA-Sharing-1.0), on CLINC150 by Larson et al., &quot;An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction&quot;, EMNLP-IJCNLP 2019 (CC BY 3.0), and on conversations written for SyncDesk.&lt;/p&gt;</source>
        <translation>&lt;b&gt;SyncDesk %1&lt;/b&gt;&lt;p&gt;Hält Kunden, Tickets und KI-Agent-Unterhaltungen zwischen dem Produkt-Backend und dem Helpdesk-Dashboard konsistent.&lt;/p&gt;&lt;p&gt;Datenbank: %2&lt;/p&gt;&lt;p&gt;Das Modell der Gesprächsanalyse wurde mit den Kundenservice-Intent-Daten von Bitext (CDLA-Sharing-1.0), mit CLINC150 von Larson et al., &quot;An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction&quot;, EMNLP-IJCNLP 2019 (CC BY 3.0), und mit für SyncDesk geschriebenen Unterhaltungen trainiert.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::MessageBar</name>
    <message>
        <source>Close this message</source>
        <translation>Diese Meldung schließen</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::NewApiKeyDialog</name>
    <message>
        <source>New API key</source>
        <translation>Neuer API-Schlüssel</translation>
    </message>
    <message>
        <source>The key &quot;%1&quot; was created. Copy it now: it is shown only this once, SyncDesk keeps only a hash of it. Send it as the header &lt;code&gt;X-API-Key&lt;/code&gt;.</source>
        <translation>Der Schlüssel „%1“ wurde erstellt. Kopieren Sie ihn jetzt: Er wird nur dieses eine Mal angezeigt, SyncDesk speichert nur einen Hash davon. Senden Sie ihn im Header &lt;code&gt;X-API-Key&lt;/code&gt;.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>Dead events</source>
        <translation>Tote Ereignisse</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>Offene Konflikte</translation>
    </message>
    <message>
        <source>Last consistency check</source>
        <translation>Letzte Konsistenzprüfung</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>Open the live events to retry them</source>
        <translation>Zu den Live-Ereignissen, um sie zu wiederholen</translation>
    </message>
    <message>
        <source>Open the conflicts to review them</source>
        <translation>Zu den Konflikten, um sie zu prüfen</translation>
    </message>
    <message>
        <source>Open the consistency history</source>
        <translation>Zum Verlauf der Konsistenzprüfungen</translation>
    </message>
    <message>
        <source>Run consistency check</source>
        <translation>Konsistenzprüfung starten</translation>
    </message>
    <message>
        <source>Clean up now</source>
        <translation>Jetzt aufräumen</translation>
    </message>
    <message>
        <source>Drops applied changes and history older than the retention period</source>
        <translation>Entfernt übernommene Änderungen und Verlauf, die älter als die Aufbewahrungsfrist sind</translation>
    </message>
    <message>
        <source>Pause sync</source>
        <translation>Synchronisation anhalten</translation>
    </message>
    <message>
        <source>the last consistency check</source>
        <translation>die letzte Konsistenzprüfung</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>Run one with the button below.</source>
        <translation>Starten Sie eine mit der Schaltfläche unten.</translation>
    </message>
    <message>
        <source>running now</source>
        <translation>läuft gerade</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 issue(s), %2 repaired</source>
        <translation>%1 Problem(e), %2 repariert</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Changes are captured and wait until you resume.</source>
        <translation>Änderungen werden erfasst und warten, bis Sie fortsetzen.</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Synchronisiert</translation>
    </message>
    <message>
        <source>oldest waits %1</source>
        <translation>älteste wartet %1</translation>
    </message>
    <message>
        <source>nothing waits</source>
        <translation>nichts wartet</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 applied since start</source>
        <translation>%1 seit dem Start übernommen</translation>
    </message>
    <message>
        <source>retry them on the Live events page</source>
        <translation>auf der Seite Live-Ereignisse wiederholen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>warten auf eine Entscheidung</translation>
    </message>
    <message>
        <source>nothing to review</source>
        <translation>nichts zu prüfen</translation>
    </message>
    <message>
        <source>Next scheduled check: %1</source>
        <translation>Nächste geplante Prüfung: %1</translation>
    </message>
    <message>
        <source>Resume sync</source>
        <translation>Synchronisation fortsetzen</translation>
    </message>
    <message>
        <source>helpdesk; %1 users in the product</source>
        <translation>im Helpdesk; %1 Benutzer im Produkt</translation>
    </message>
    <message>
        <source>helpdesk; %1 in the product, %2 conversations</source>
        <translation>im Helpdesk; %1 im Produkt, %2 Unterhaltungen</translation>
    </message>
    <message>
        <source>Sync resumed: the changes that waited are being applied.</source>
        <translation>Synchronisation fortgesetzt: Die wartenden Änderungen werden übernommen.</translation>
    </message>
    <message>
        <source>Sync paused. Changes are still captured and are applied when you resume.</source>
        <translation>Synchronisation angehalten. Änderungen werden weiter erfasst und beim Fortsetzen übernommen.</translation>
    </message>
    <message>
        <source>Cleaning up…</source>
        <translation>Räume auf…</translation>
    </message>
    <message>
        <source>Clean-up done: %1.</source>
        <translation>Aufräumen fertig: %1.</translation>
    </message>
    <message>
        <source>Clean-up failed: %1. Check the database connection and try again.</source>
        <translation>Aufräumen fehlgeschlagen: %1. Prüfen Sie die Datenbankverbindung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Health monitor</source>
        <translation>Zustandsüberwachung</translation>
    </message>
    <message>
        <source>Consistency check</source>
        <translation>Konsistenzprüfung</translation>
    </message>
    <message>
        <source>Clean-up</source>
        <translation>Aufräumen</translation>
    </message>
    <message>
        <source>%1: running now</source>
        <translation>%1: läuft gerade</translation>
    </message>
    <message>
        <source>%1: next at %2</source>
        <translation>%1: nächste um %2</translation>
    </message>
    <message>
        <source>%1: not scheduled</source>
        <translation>%1: nicht geplant</translation>
    </message>
    <message>
        <source> (last: %1)</source>
        <translation> (zuletzt: %1)</translation>
    </message>
    <message>
        <source>Live: last 15 minutes</source>
        <translation>Live: letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>What the chart shows: the live status, or the queue&apos;s record of the last hour or day</source>
        <translation>Was das Diagramm zeigt: den Live-Status oder die Aufzeichnung der Warteschlange der letzten Stunde oder des letzten Tages</translation>
    </message>
    <message>
        <source>the throughput history</source>
        <translation>den Verlauf des Durchsatzes</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 workers busy, %n background task(s)</source>
        <translation>
            <numerusform>%1 von %2 Workern beschäftigt, %n Hintergrundaufgabe</numerusform>
            <numerusform>%1 von %2 Workern beschäftigt, %n Hintergrundaufgaben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::Page</name>
    <message>
        <source>no database configured</source>
        <translation>keine Datenbank eingerichtet</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::RecordsPage</name>
    <message>
        <source>in sync</source>
        <translation>synchron</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>differs</source>
        <translation>weicht ab</translation>
    </message>
    <message>
        <source>backend only</source>
        <translation>nur Backend</translation>
    </message>
    <message>
        <source>dashboard only</source>
        <translation>nur Dashboard</translation>
    </message>
    <message>
        <source>Linked, but these fields disagree with no change pending: %1. A consistency check repairs it.</source>
        <translation>Verknüpft, aber diese Felder weichen ohne ausstehende Änderung ab: %1. Eine Konsistenzprüfung repariert das.</translation>
    </message>
    <message numerus="yes">
        <source>%n captured change(s) wait to be applied.</source>
        <translation>
            <numerusform>%n erfasste Änderung wartet auf Übernahme.</numerusform>
            <numerusform>%n erfasste Änderungen warten auf Übernahme.</numerusform>
        </translation>
    </message>
    <message>
        <source>An open conflict waits for a decision on the Conflicts page.</source>
        <translation>Ein offener Konflikt wartet auf der Seite Konflikte auf eine Entscheidung.</translation>
    </message>
    <message>
        <source>Name, e-mail, company or subject (Ctrl+F)</source>
        <translation>Name, E-Mail, Firma oder Betreff (Strg+F)</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>Jeder Zustand</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <source>Select a record to compare both systems.</source>
        <translation>Wählen Sie einen Datensatz, um beide Systeme zu vergleichen.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>nothing found</source>
        <translation>nichts gefunden</translation>
    </message>
    <message>
        <source>%1–%2 of %3</source>
        <translation>%1–%2 von %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · backend %2 · dashboard %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · Backend %2 · Dashboard %3</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SearchPage</name>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Search customers, tickets, conversations and messages of both systems</source>
        <translation>Kunden, Tickets, Unterhaltungen und Nachrichten beider Systeme durchsuchen</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Match</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open a result on its page.</source>
        <translation>Doppelklicken oder Eingabe drücken, um ein Ergebnis auf seiner Seite zu öffnen.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>the search results</source>
        <translation>die Suchergebnisse</translation>
    </message>
    <message>
        <source>best %1 of %2</source>
        <translation>beste %1 von %2</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>in conversation #%1</source>
        <translation>in Unterhaltung #%1</translation>
    </message>
    <message>
        <source>conversation #%1</source>
        <translation>Unterhaltung #%1</translation>
    </message>
    <message>
        <source>%1, ticket #%2</source>
        <translation>%1, Ticket #%2</translation>
    </message>
    <message>
        <source>backend #%1 only</source>
        <translation>nur Backend #%1</translation>
    </message>
    <message>
        <source>dashboard #%1 only</source>
        <translation>nur Dashboard #%1</translation>
    </message>
    <message>
        <source>backend #%1 = dashboard #%2</source>
        <translation>Backend #%1 = Dashboard #%2</translation>
    </message>
    <message numerus="yes">
        <source>backend #%1, dashboard #%2: %3 differ(s)</source>
        <translation>
            <numerusform>Backend #%1, Dashboard #%2: %3 weicht ab</numerusform>
            <numerusform>Backend #%1, Dashboard #%2: %3 weichen ab</numerusform>
        </translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Systems</source>
        <translation>Systeme</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ServiceStatusBar</name>
    <message>
        <source>Starting…</source>
        <translation>Startet…</translation>
    </message>
    <message>
        <source>%1 Backend</source>
        <translation>%1 Backend</translation>
    </message>
    <message>
        <source>The product backend&apos;s database is reachable.</source>
        <translation>Die Datenbank des Produkt-Backends ist erreichbar.</translation>
    </message>
    <message>
        <source>The product backend&apos;s database cannot be reached.</source>
        <translation>Die Datenbank des Produkt-Backends ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>%1 Dashboard</source>
        <translation>%1 Dashboard</translation>
    </message>
    <message>
        <source>The helpdesk dashboard&apos;s database is reachable.</source>
        <translation>Die Datenbank des Helpdesk-Dashboards ist erreichbar.</translation>
    </message>
    <message>
        <source>The helpdesk dashboard&apos;s database cannot be reached.</source>
        <translation>Die Datenbank des Helpdesk-Dashboards ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>Queue: %1</source>
        <translation>Warteschlange: %1</translation>
    </message>
    <message>
        <source>Captured changes waiting to be applied; the oldest waits for %1 s.</source>
        <translation>Erfasste Änderungen, die auf Übernahme warten; die älteste wartet seit %1 s.</translation>
    </message>
    <message>
        <source>%1 events/s</source>
        <translation>%1 Ereignisse/s</translation>
    </message>
    <message numerus="yes">
        <source>%n open conflict(s)</source>
        <translation>
            <numerusform>%n offener Konflikt</numerusform>
            <numerusform>%n offene Konflikte</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Sync stopped&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;Synchronisation gestoppt&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Degraded&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;Beeinträchtigt&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#ef6c00&apos;&gt;Paused&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#ef6c00&apos;&gt;Pausiert&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Changes are captured but not applied until sync is resumed.</source>
        <translation>Änderungen werden erfasst, aber erst nach dem Fortsetzen übernommen.</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#2e7d32&apos;&gt;Syncing&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#2e7d32&apos;&gt;Synchronisiert&lt;/b&gt;</translation>
    </message>
    <message>
        <source>%1 of %2 workers busy</source>
        <translation>%1 von %2 Workern beschäftigt</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SettingsFile</name>
    <message>
        <source>%1 is not a SyncDesk setting</source>
        <translation>%1 ist keine Einstellung von SyncDesk</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Conflict strategies: %1</source>
        <translation>Konfliktstrategien: %1</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>der Ordner von %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot write %1 (is the folder writable?)</source>
        <translation>%1 kann nicht geschrieben werden (ist der Ordner beschreibbar?)</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Latest wins</source>
        <translation>Neuester gewinnt</translation>
    </message>
    <message>
        <source>Manual review</source>
        <translation>Manuelle Prüfung</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Preserve both</source>
        <translation>Beide aufbewahren</translation>
    </message>
    <message>
        <source>Settings file: %1</source>
        <translation>Einstellungsdatei: %1</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Databases</source>
        <translation>Datenbanken</translation>
    </message>
    <message>
        <source>empty: SyncDesk&apos;s private PostgreSQL in %1</source>
        <translation>leer: das private PostgreSQL von SyncDesk in %1</translation>
    </message>
    <message>
        <source>empty: the same database as the backend</source>
        <translation>leer: dieselbe Datenbank wie das Backend</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Backend (DATABASE_URL)</source>
        <translation>Backend (DATABASE_URL)</translation>
    </message>
    <message>
        <source>Dashboard (DASHBOARD_DATABASE_URL)</source>
        <translation>Dashboard (DASHBOARD_DATABASE_URL)</translation>
    </message>
    <message>
        <source>postgresql://user:password@host:5432/database?sslmode=require. Takes effect at the next start.</source>
        <translation>postgresql://benutzer:passwort@host:5432/datenbank?sslmode=require. Wirkt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Background tasks and tickets</source>
        <translation>Hintergrundaufgaben und Tickets</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>Create or link tickets automatically at or above the threshold</source>
        <translation>Tickets ab der Schwelle automatisch erstellen oder verknüpfen</translation>
    </message>
    <message>
        <source>Consistency check every</source>
        <translation>Konsistenzprüfung alle</translation>
    </message>
    <message>
        <source>Clean up every</source>
        <translation>Aufräumen alle</translation>
    </message>
    <message>
        <source>Auto-ticket threshold</source>
        <translation>Schwelle für automatische Tickets</translation>
    </message>
    <message>
        <source>Conflict strategies</source>
        <translation>Konfliktstrategien</translation>
    </message>
    <message>
        <source>When both sides change a field to different values. Applies at once.</source>
        <translation>Wenn beide Seiten ein Feld unterschiedlich ändern. Wirkt sofort.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (default)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (Vorgabe)</translation>
    </message>
    <message>
        <source>When the values cannot be merged (plain text)</source>
        <translation>Wenn sich die Werte nicht zusammenführen lassen (reiner Text)</translation>
    </message>
    <message>
        <source>REST API</source>
        <translation>REST-API</translation>
    </message>
    <message>
        <source>Serve the REST API</source>
        <translation>REST-API anbieten</translation>
    </message>
    <message>
        <source>Listen on address</source>
        <translation>Auf Adresse lauschen</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>&lt;b&gt;API keys&lt;/b&gt;</source>
        <translation>&lt;b&gt;API-Schlüssel&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Window language</source>
        <translation>Sprache der Oberfläche</translation>
    </message>
    <message>
        <source>Set in the environment, which wins over the settings file: %1. Saving here changes the file only.</source>
        <translation>In der Umgebung gesetzt, was Vorrang vor der Einstellungsdatei hat: %1. Speichern ändert hier nur die Datei.</translation>
    </message>
    <message>
        <source>The settings were not saved: %1. Correct the value and save again.</source>
        <translation>Die Einstellungen wurden nicht gespeichert: %1. Korrigieren Sie den Wert und speichern Sie erneut.</translation>
    </message>
    <message>
        <source>No URL: SyncDesk uses its private PostgreSQL, which it starts itself.</source>
        <translation>Keine URL: SyncDesk nutzt sein privates PostgreSQL, das es selbst startet.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;Cannot connect: %1&lt;/span&gt;&lt;br&gt;Check host, port, user and password, and that the server accepts connections from this computer.</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;Keine Verbindung: %1&lt;/span&gt;&lt;br&gt;Prüfen Sie Host, Port, Benutzer und Passwort und ob der Server Verbindungen von diesem Rechner annimmt.</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#2e7d32&apos;&gt;Connected&lt;/span&gt; to %1 as %2 (%3); %4.</source>
        <translation>&lt;span style=&apos;color:#2e7d32&apos;&gt;Verbunden&lt;/span&gt; mit %1 als %2 (%3); %4.</translation>
    </message>
    <message numerus="yes">
        <source>SyncDesk&apos;s schema is there (%n migration(s))</source>
        <translation>
            <numerusform>das Schema von SyncDesk ist vorhanden (%n Migration)</numerusform>
            <numerusform>das Schema von SyncDesk ist vorhanden (%n Migrationen)</numerusform>
        </translation>
    </message>
    <message>
        <source>SyncDesk will create its schema there at the next start</source>
        <translation>SyncDesk legt sein Schema dort beim nächsten Start an</translation>
    </message>
    <message>
        <source>Conversations below the threshold are only analysed. With the switch off, SyncDesk only recommends and a person decides. Applies when saved; the next checks count from then.</source>
        <translation>Unterhaltungen unter der Schwelle werden nur analysiert. Ist der Schalter aus, empfiehlt SyncDesk nur, und ein Mensch entscheidet. Wirkt beim Speichern; die nächsten Prüfungen zählen ab dann.</translation>
    </message>
    <message>
        <source>127.0.0.1 serves this computer only; 0.0.0.0 every network (then a JWT secret or an API key is required). Applies when saved.</source>
        <translation>127.0.0.1 bedient nur diesen Rechner, 0.0.0.0 jedes Netz (dann ist ein JWT-Secret oder ein API-Schlüssel nötig). Wirkt beim Speichern.</translation>
    </message>
    <message>
        <source>127.0.0.1 serves this computer only; 0.0.0.0 every network (then a JWT secret or an API key is required). Takes effect at the next start.</source>
        <translation>127.0.0.1 bedient nur diesen Rechner, 0.0.0.0 jedes Netz (dann ist ein JWT-Secret oder ein API-Schlüssel nötig). Wirkt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>the database connections</source>
        <translation>die Datenbankverbindungen</translation>
    </message>
    <message>
        <source>the REST API</source>
        <translation>die REST-API</translation>
    </message>
    <message>
        <source>the engine settings</source>
        <translation>die Einstellungen der Synchronisation</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Gespeichert in %1.</translation>
    </message>
    <message>
        <source> Everything applies now.</source>
        <translation> Alles wirkt sofort.</translation>
    </message>
    <message>
        <source> Applies now, except at the next start: %1.</source>
        <translation> Wirkt sofort, außer ab dem nächsten Start: %1.</translation>
    </message>
    <message>
        <source>Not applied now: %1</source>
        <translation>Jetzt nicht übernommen: %1</translation>
    </message>
    <message>
        <source>conflict strategies for %1 (they apply at the next start)</source>
        <translation>Konfliktstrategien für %1 (sie wirken ab dem nächsten Start)</translation>
    </message>
    <message>
        <source>the REST API (%1); it runs as before</source>
        <translation>die REST-API (%1); sie läuft wie bisher</translation>
    </message>
    <message>
        <source>Applies when saved: the window opens again in the new language.</source>
        <translation>Wirkt beim Speichern: Das Fenster öffnet sich neu in der gewählten Sprache.</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::ThroughputChart</name>
    <message>
        <source>Throughput and queue, last 15 minutes</source>
        <translation>Durchsatz und Warteschlange, letzte 15 Minuten</translation>
    </message>
    <message>
        <source>Events applied per second</source>
        <translation>Übernommene Ereignisse pro Sekunde</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Länge der Warteschlange</translation>
    </message>
    <message>
        <source>events/s</source>
        <translation>Ereignisse/s</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>Throughput and queue, last hour (per minute)</source>
        <translation>Durchsatz und Warteschlange, letzte Stunde (pro Minute)</translation>
    </message>
    <message>
        <source>Throughput and queue, last 24 hours (per 5 minutes)</source>
        <translation>Durchsatz und Warteschlange, letzte 24 Stunden (pro 5 Minuten)</translation>
    </message>
</context>
<context>
    <name>syncdesk::ui::TicketsPage</name>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>the tickets</source>
        <translation>die Tickets</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Status ändern</translation>
    </message>
    <message>
        <source>Sets the status on both sides, updates the linked conversations and notifies the customer</source>
        <translation>Setzt den Status auf beiden Seiten, aktualisiert die verknüpften Unterhaltungen und benachrichtigt den Kunden</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Backend #</source>
        <translation>Backend #</translation>
    </message>
    <message>
        <source>Subject (backend)</source>
        <translation>Betreff (Backend)</translation>
    </message>
    <message>
        <source>Status (backend)</source>
        <translation>Status (Backend)</translation>
    </message>
    <message>
        <source>Priority (backend)</source>
        <translation>Priorität (Backend)</translation>
    </message>
    <message>
        <source>Dashboard #</source>
        <translation>Dashboard #</translation>
    </message>
    <message>
        <source>Subject (dashboard)</source>
        <translation>Betreff (Dashboard)</translation>
    </message>
    <message>
        <source>Status (dashboard)</source>
        <translation>Status (Dashboard)</translation>
    </message>
    <message>
        <source>Priority (dashboard)</source>
        <translation>Priorität (Dashboard)</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Only tickets the helpdesk has can change status here; this one is not synced yet.</source>
        <translation>Hier kann nur der Status von Tickets geändert werden, die das Helpdesk hat; dieses ist noch nicht synchronisiert.</translation>
    </message>
    <message>
        <source>Changing the status of ticket %1</source>
        <translation>Das Ändern des Status von Ticket %1</translation>
    </message>
    <message>
        <source>Ticket #%1 is now %2 on both sides; its conversations follow and the customer is notified.</source>
        <translation>Ticket #%1 ist jetzt auf beiden Seiten %2; seine Unterhaltungen folgen, und der Kunde wird benachrichtigt.</translation>
    </message>
</context>
</TS>
