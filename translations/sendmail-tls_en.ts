<?xml version="1.0" encoding="UTF-8"?>

<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>ApplyProgressModel</name>
        <message>
            <source>Running…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Done</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Skipped</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 · %2 ms</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>$ %1  (%2, %3 ms)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>exit %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No command ran in this step.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>DestinationDialog</name>
        <message>
            <source>Mail to this destination goes in clear text, even once its TLS works again, until the exception ends.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS is tried; when the handshake fails the delivery is retried in clear text at once: nothing gets stuck, but that mail travels unencrypted (sendmail 8.16 or later).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS is tried; when the handshake fails the mail stays in the queue until it succeeds.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The exception is removed: the destination follows the global switch (or a parent domain's exception).</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>DestinationRulesModel</name>
        <message numerus="yes">
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n minute</numerusform>
                <numerusform>%n minutes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n hour</numerusform>
                <numerusform>%n hours</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n day</numerusform>
                <numerusform>%n days</numerusform>
            </translation>
        </message>
        <message>
            <source>Try_TLS:%1 %2 (access file line %3)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS_Clt_Features:%1 %2 (access file line %3)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A failed TLS handshake falls back to clear text (decided by %1).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Not effective: the access map is not consulted or the client modifier overrides it.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>GuiApplication</name>
        <message>
            <source>Sendmail TLS Admin</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Read, explain and change sendmail's outbound STARTTLS settings on many hosts.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Use a dark palette.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Save screenshots of the main views (on the Demo host) into DIR and quit.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Show the windows in LANGUAGE (a locale name such as &quot;de&quot;) or with the translation FILE.qm instead of the system's language.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HistoryList</name>
        <message>
            <source>here and on the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>on the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>on this computer</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HistoryPanel</name>
        <message>
            <source>not loaded</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>not planned</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (now)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (then)</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HostConnector</name>
        <message>
            <source>Demo tree (restart simulated)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>unknown host kind</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>cannot create %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>cannot copy the demo tree to %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this build has no SSH support</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HostConnectorSsh</name>
        <message>
            <source>not remembered: %1 (nothing was written anywhere else)</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HostProfile</name>
        <message>
            <source>Debian / Ubuntu</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>RHEL / Rocky / Fedora</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>FreeBSD</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Files only (no running sendmail)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Custom</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HostStore</name>
        <message>
            <source>SSH agent / default keys</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Key file</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Password</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>bundled demo tree</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this build has no SSH support</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>HostTask</name>
        <message>
            <source>Cancelled.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No host is selected.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>KeychainStore</name>
        <message>
            <source>the program is ending</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>asked on the UI thread, which must not wait</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the system keychain did not answer within 90 s</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the system keychain refused: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this build has no keychain support</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>MxSuggestion</name>
        <message>
            <source>Try_TLS and TLS_Clt_Features keys are the server's name: sendmail looks up the server for this domain.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (its mailertable entry %1 routes it with %2)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (no MX record: the domain's own address)</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>PolicyPanel</name>
        <message>
            <source> Ends %1 (%2).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> &lt;span style=&quot;color:%1&quot;&gt;It %2 (%3) and is still in force: see Problems.&lt;/span&gt;</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>ProbeColumn</name>
        <message>
            <source>%1 ms</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>ProbeDialog</name>
        <message>
            <source>The probe ended without an answer.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>ProbeVerdict</name>
        <message>
            <source>An exception for this server (fallback to clear text, or TLS off) lets the mail through until it is fixed.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>from this computer the handshake works.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>from this computer the handshake fails, so the server's TLS is likely broken for everyone.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this computer is not offered STARTTLS.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this computer cannot connect to the server either.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this computer has no answer either.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Both handshakes work: %1 can deliver to this server over TLS now. Mail still waiting in the queue goes at its next queue run (or retry it).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake works but this computer's fails: sendmail on %1 is not affected; the difference is on this computer's side (its TLS library or its network path).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake works; this computer is not offered STARTTLS (something on its network path removes it), which does not matter for %1's mail.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake works; this computer cannot reach the server, which does not matter for %1's mail.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake works: sendmail on %1 can deliver to this server over TLS.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake fails but this computer's works: the problem is on the host's side (its OpenSSL or its network path). </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Both handshakes fail: the server's TLS is broken, not %1's. </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake fails; this computer cannot compare (%1). </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>no connection</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS not offered to it</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's handshake fails: sendmail on %1 defers the mail for this server (&quot;TLS handshake failed&quot;). </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server does not offer STARTTLS to %1: sendmail delivers in clear text there, so no TLS setting changes anything for this server.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> It does offer it to this computer: something on the host's network path removes it (a firewall that inspects SMTP?).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 cannot connect to the server%2: this is not a TLS problem and no TLS exception helps; the mail waits until the server can be reached.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> This computer can reach it: look at the host's network path (firewall, routing, DNS).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cancelled: probe again to compare.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Waiting for %1's answer; %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The probe could not run on %1 (see its column); waiting for this computer's answer.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The probe could not run on %1 (see its column); %2</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>QDockWidget</name>
        <message>
            <source>Float</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>QPlatformTheme</name>
        <message>
            <source>OK</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Close</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Apply</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reset</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Help</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Discard</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Yes</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Abort</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Retry</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Ignore</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Open</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Restore Defaults</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Close without Saving</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Don't Save</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Save All</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Yes to All</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No to All</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>QueuePanel</name>
        <message>
            <source>Fall &amp;back to clear text</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Turn TLS &amp;off</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>StagedEditsStore</name>
        <message>
            <source>Not staged again: &quot;%1&quot; was kept when the files said %2; they now say %3.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cannot create %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Could not read a kept edit (&quot;%1&quot;): it is not staged again.</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>StagedPreview</name>
        <message>
            <source>nothing staged</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>not read yet</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>cannot plan: %1

</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>(the files already say this: nothing to change)
</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>StuckServerFix</name>
        <message numerus="yes">
            <source>%n message(s)</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>smtls::gui::ApplyDialog</name>
        <message>
            <source>Applying</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Retry</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Runs it again on the hosts where it did not go through</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Show &amp;log</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Every step of every host with the commands it ran and their output</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stops the hosts that have not installed yet; an installed host finishes or rolls back</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Finished: %1. %2Show log lists every command.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expand a host for its steps; Retry runs it again where it did not go through. </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expand a host for its steps. </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host is busy reading or applying; nothing was changed.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Nothing is staged for this host.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applying &quot;%1&quot;…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 on %2…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Trying again on %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Apply log</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1: still running
</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cancelling: hosts that have not installed yet stop before changing anything…</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::ApplyProgressModel</name>
        <message>
            <source>%1 failed</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Finished</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Waiting</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Running</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Step</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Result</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::DestinationDialog</name>
        <message>
            <source>&amp;Probe…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;In</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Until</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Ne&amp;ver</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Edit exception</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Add exception</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>mx.example.com, example.com, 192.0.2.25 or 192.0.2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server sendmail connects to (MX host or relay): a host name, a parent domain, an IPv4/IPv6 address or an address prefix</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Off: do not try STARTTLS</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Fallback: try STARTTLS, clear text if the handshake fails</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>On: try STARTTLS</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Inherit: remove the exception</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expires in</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Unit</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expires on</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The exception ends when this day begins (this computer's time zone)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The exception stays until someone removes it</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Keep: %1 (%2)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>e.g. their certificate expired, ticket #123</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Written into the note above the rule, with today's date, and kept with the snapshot</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Does this server offer STARTTLS, and does the handshake work? Asked from the host and from this computer, side by side</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Destination:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;TLS:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expires:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Why:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Saving replaces the note above the rule, which says: &quot;%1&quot;</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 has passed meanwhile: pick a new expiry</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Use the global switch for all servers.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A recipient address is not a destination: choose the server its mail goes to.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>days</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>hours</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::DestinationRulesModel</name>
        <message>
            <source>in %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>expired %1 ago</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 (staged)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged, not applied yet: this exception is added.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged, not applied yet: this exception is changed.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged, not applied yet: this exception is removed.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>This exception does not end by itself.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Ends %1 (%2 in the note); sendmail-tls expire, or Fix under Problems once it has passed, removes it.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expired %1 (%2 in the note) but still in force: sendmail does not read expiries. Fix it under Problems (Remove the expired exception), or run sendmail-tls expire.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>on: STARTTLS tried; fallback: tried, and a failed handshake is retried in clear text at once; off: not tried</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>When the exception ends by itself (from the note above its rule)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Destination</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Expires</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Why</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Added</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Line</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>added</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>changed</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>removed</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>never</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>unreadable</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::DiffPreviewDialog</name>
        <message>
            <source>Preview of the staged changes</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>Working out the changes of %n host(s)…</source>
            <translation>
                <numerusform>Working out the changes of %n host…</numerusform>
                <numerusform>Working out the changes of %n hosts…</numerusform>
            </translation>
        </message>
        <message>
            <source>Why (kept with the snapshot)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Reason:</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>&amp;Apply to %n host(s)</source>
            <translation>
                <numerusform>&amp;Apply to %n host</numerusform>
                <numerusform>&amp;Apply to %n hosts</numerusform>
            </translation>
        </message>
        <message>
            <source>Validates on each host, installs, activates, and rolls back on failure</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::HistoryPanel</name>
        <message>
            <source>&amp;Undo this change…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>R&amp;estore files as before this change…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Takes back just the selected change on the files as they are now; every later change stays. Validated and applied like any change.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Puts the files back as they were before the selected change, discarding every later change (they are listed before anything happens).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reading %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Select a host to see its snapshots.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reading the snapshots of %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 kept on this computer (%2)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>this computer's snapshots could not be read: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the host's own folder is not read without root</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 on the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the host's own snapshots could not be read: %1</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%n snapshot(s) of %1: %2.</source>
            <translation>
                <numerusform>%n snapshot of %1: %2.</numerusform>
                <numerusform>%n snapshots of %1: %2.</numerusform>
            </translation>
        </message>
        <message>
            <source># %1
# by %2 at %3%4
# kept %5
%6</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Working out the undo of &quot;%1&quot; on the files as they are now…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cannot undo this change alone</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Undo the later change first, or restore the files as they were before this change, which discards the later changes (they are listed first).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Restore files as before this change…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Leave the files as they are</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Undo this change</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Undo &quot;%1&quot; (snapshot %2 of %3) on %4?

Only the lines this change wrote are put back; %5. The files are validated and installed like any change; a new snapshot is taken first.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>no change was made after it</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Undo on %1</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>the %n later change(s) {stays|stay}</source>
            <translation>
                <numerusform>the %n later change stays</numerusform>
                <numerusform>the %n later changes stay</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>smtls::gui::HostDialog</name>
        <message>
            <source>&amp;Test connection</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Add host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Edit host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A host name, an address or a Host alias of ssh_config</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A host name, an address, or a Host alias of ~/.ssh/config</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>From ssh_config, else your user name</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Commands run through sudo when this is not root</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>~/.ssh/config and /etc/ssh/ssh_config</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The ssh_config file this host's alias is resolved with (as ssh -F FILE)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>From ssh_config, else ~/.ssh/known_hosts</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Where this host's key is checked and, when you accept it, remembered</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Detect on connect</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Group:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;User:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Log &amp;in with:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Choose the private key</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Private keys (id_* *.pem *.key);;All files (*)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Key file:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>ssh_&amp;config file:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Choose an ssh_config file</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>All files (*)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>known_&amp;hosts file:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Choose a known_hosts file</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;System:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Connect, check the host key and log in with what this form says</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Save</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Choose…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Connected: logged in to %1, host key checked; system: %2.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> Sendmail %1.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Failed: %1</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::HostImportDialog</name>
        <message>
            <source>Import hosts from ssh_config</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 cannot be used: %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 names no Host without wildcards.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Check the hosts to add from %1 (its Include files too):</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>user %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>port %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>key %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>already in the list</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Import</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Close without importing</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>&amp;Import %n host(s)</source>
            <translation>
                <numerusform>&amp;Import %n host</numerusform>
                <numerusform>&amp;Import %n hosts</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>smtls::gui::HostKeyDialog</name>
        <message>
            <source>Unknown host key</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;p&gt;The host &lt;b&gt;%1&lt;/b&gt; (port %2) is not in your known hosts file yet.&lt;/p&gt;&lt;p&gt;Compare this fingerprint with the one the server's administrator gives you (&lt;tt&gt;ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub&lt;/tt&gt; on the server):&lt;/p&gt;</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Accept &amp;once</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Accept and &amp;remember</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Do not connect</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Trusts this key until the program ends; nothing is written</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Adds the key to %1</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::HostListModel</name>
        <message>
            <source>not read yet</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS off</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS fallback</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS on</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%n exception(s)</source>
            <translation>
                <numerusform>%n exception</numerusform>
                <numerusform>%n exceptions</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s)</source>
            <translation>
                <numerusform>%n problem</numerusform>
                <numerusform>%n problems</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 pending</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>last: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>last apply %1: %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>
sendmail %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>
Last apply: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>State</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>reading…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>unreachable</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>reachable</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::HostsPanel</name>
        <message>
            <source>Ctrl+click or Shift+arrows to select several hosts: edits and Apply go to all of them</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Add a host (SSH), Ctrl+N</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Edit the selected host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Remove the selected host from the list</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Import hosts from ~/.ssh/config (Ctrl+Shift+I)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Read the selected hosts again (F5)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>This computer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>reachable · TLS on · 3 exception(s) · 1 problem(s)</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::LogModel</name>
        <message>
            <source>%1 ms</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Time</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Command</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Exit</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Duration</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::MainWindow</name>
        <message>
            <source>Sendmail TLS Admin</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged edits of the current host, oldest first. Click an entry to undo back to it; nothing is sent until you apply.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;as read from the host&gt;</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Preview and apply…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Policy</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Pe&amp;nding changes</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Hi&amp;story</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Queue</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Log: every command run</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Show &amp;all commands in the log (also internal helper scripts)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Main</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Undo</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Redo</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The diff of every file on every selected host, then Apply (Ctrl+Enter)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Re&amp;read hosts</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Add host…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Import hosts from ssh_config…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Add &amp;exception…</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source> · %n problem(s) with the staged changes</source>
            <translation>
                <numerusform> · %n problem with the staged changes</numerusform>
                <numerusform> · %n problems with the staged changes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conflict(s)</source>
            <translation>
                <numerusform>%n conflict</numerusform>
                <numerusform>%n conflicts</numerusform>
            </translation>
        </message>
        <message>
            <source>Pe&amp;nding changes (%1)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Conflicts with the files as read now (not staged):
</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is built in and cannot be edited</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Imported %1 of the hosts of ~/.ssh/config.</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%1: %n staged edit(s)</source>
            <translation>
                <numerusform>%1: %n staged edit</numerusform>
                <numerusform>%1: %n staged edits</numerusform>
            </translation>
        </message>
        <message>
            <source>Staged edits not applied</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Some edits are staged but not applied:
%1

Nothing has been sent to these hosts.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Keep for next time saves them on this computer (per host, no passwords); the next start stages them again on the files it reads then.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Apply…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Keep for next time</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Discard</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged edits not kept</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::MxSuggestion</name>
        <message>
            <source>Still asking %1 which servers sendmail uses for %2…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>This looks like a recipient address, but %1 An exception names the server sendmail connects to.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Asking %1 which servers sendmail uses for %2…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Select a host to see which servers sendmail uses for %1.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The Demo host has no mail routing of its own to ask; on a real host its servers are listed here.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient address. %2
%3</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>no answer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient address. %2
Could not ask %3 which servers sendmail uses for %4: %5</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Could not ask %1 whether %2 is a recipient domain: %3</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>As %1's sendmail resolves it, its mail goes to:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient address. %2
%3's sendmail finds no server for %4%5</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient address. %2
%3%4</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient domain: a key %1 would not help. %2
%3%4</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is a recipient domain whose servers are under it: a key %1 matches them as a parent domain, and every other server under %1 too. %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Use %1 (%2)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>no address found</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (%1 more: sendmail-tls mx %2 lists them)</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::PolicyPanel</name>
        <message>
            <source>&amp;Add…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Add a destination exception</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Edit…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Change the selected exception</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Remove the selected exception (the destination inherits the global setting)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Fix</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stages the fix of the selected problem: previewed and applied like any change</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Outbound STARTTLS for all servers</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Mechanism:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>How &quot;never&quot; is written; with &quot;never&quot; chosen, another mechanism is staged at once</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Automatic</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Access default (Try_TLS:)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Client modifier (M=S)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Staged: nothing is sent until you apply</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Destination exceptions</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A server name or address, e.g. mx1.broken-tls.example or 192.0.2.7; or a recipient, to find its servers</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Its IP address (optional)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server's address, e.g. 192.0.2.7: then rules on addresses count too (as explain --addr)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Server address</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Problems found</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No host selected</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Policy of %1 (with staged changes)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Policy of %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Policy of %1; edits go to all %2 selected hosts</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Select a host on the left.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>not read yet</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reading %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Working out the policy of %1 with the staged changes…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>access default (access line %1)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>client modifier M=S (sendmail.mc line %1)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Now: STARTTLS is off for all servers, through %1.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> and </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Now: STARTTLS is tried with every server unless an exception says otherwise, and a failed handshake falls back to clear text (TLSFallbacktoClear, sendmail.mc line %1).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Now: STARTTLS is tried with every server unless an exception says otherwise.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> — fix: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>… and %1 more (sendmail-tls status lists them all)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No problems found.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Fix: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;b&gt;This is a recipient, not a server.&lt;/b&gt; Sendmail looks up the servers of its domain (MX); STARTTLS is decided per server: see the servers below.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>'%1' is not a server name.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Not a server name or address: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>'%1' is not a complete IPv4 or IPv6 address.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>built-in default</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 line %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;b&gt;This is a recipient domain; sendmail looks up its servers&lt;/b&gt; (below) and decides per server. As a server name of its own: </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;b&gt;%1&lt;/b&gt; — decided by &lt;tt&gt;%2&lt;/tt&gt; (%3). %4</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS will be tried</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS will NOT be tried</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;br&gt;&lt;b&gt;If the handshake fails, it falls back to clear text&lt;/b&gt; — decided by &lt;tt&gt;%1&lt;/tt&gt;%2. %3</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&lt;br&gt;Rules on the server's IP address were not considered: give its address to include them.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 runs sendmail %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Not offered: %1, and the fallback to clear text (TLSFallbacktoClear, TLS_Clt_Features Flags=C) exists since sendmail 8.16. Use &quot;off&quot; for the servers whose handshake fails, or upgrade sendmail.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (recommended)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Try STARTTLS</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>A server whose handshake fails gets no mail: it waits in the queue until TLS works there or an exception lets it through.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Try STARTTLS, fall back to &amp;clear text</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Nothing gets stuck, but mail to a server whose handshake fails leaves unencrypted, silently; sendmail 8.16 or later, rebuilt and restarted.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Never tr&amp;y STARTTLS</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>All mail leaves unencrypted, also to the servers whose TLS works. </source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Written as the access default when the access map is used (no restart; destinations set to &quot;on&quot; still get STARTTLS), else as M=S.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Written as &quot;Try_TLS: NO&quot; in the access map: no restart, and destinations set to &quot;on&quot; still get STARTTLS.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Written as M=S in CLIENT_OPTIONS: sendmail.cf is rebuilt and sendmail restarted, and no destination rule can turn STARTTLS back on.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Explain: is STARTTLS tried with…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Server, address or recipient</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Is STARTTLS tried, and why?</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::ProbeColumn</name>
        <message>
            <source>Outcome:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Probing… %1 s</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Probing…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cancelled</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Could not probe</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Handshake works</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Handshake fails</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>STARTTLS not offered</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No connection</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 port %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Yes</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source> (expired)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No: %1 (sendmail still delivers over it)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>no reason given</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::ProbeDialog</name>
        <message>
            <source>&amp;Probe again</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Cancel probe</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Probe STARTTLS of %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Server:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server sendmail connects to: the MX host or relay, or an address</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>P&amp;ort:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>25 is where sendmail delivers; 587 and 465 are for clients, not for mail between servers</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stops both probes (the host's openssl and this computer's connection)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>From %1 (the mail host)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>From the mail host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>From this computer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the mail host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No mail host is selected: only this computer probes.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Probing %1 from %2 and from this computer…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>&amp;Probe</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::QueuePanel</name>
        <message>
            <source>&amp;Refresh</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Cancel</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Probe &amp;this server…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stops the reading or the retry on the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reads the host's queues and mail log again (F5)</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Connects to the selected server as this host's sendmail would: is STARTTLS offered, does the handshake work</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reading cancelled. Refresh reads the queue again.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Select a host to see the mail stuck in its queues.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stuck mail on %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>read at %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No mail waits in the queues of %1 (%2).</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%1: %n message(s) waiting, at %2</source>
            <translation>
                <numerusform>%1: %n message waiting, at %2</numerusform>
                <numerusform>%1: %n messages waiting, at %2</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n server(s)</source>
            <translation>
                <numerusform>%n server</numerusform>
                <numerusform>%n servers</numerusform>
            </translation>
        </message>
        <message>
            <source> and %1 whose server is not known</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>No mail log was readable: servers come from the MX answer of the host's sendmail.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Mail log: %1.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The queue could not be read: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Offered for a server whose TLS handshake fails.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The fix of %1 is still running.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host's configuration has not been read yet.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host is busy reading or applying.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stages the exception for %1 (%2, noted &quot;%3&quot;), shows the preview, applies, then runs the queue for exactly these messages</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS tried, clear text when the handshake fails</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>TLS not tried: this sendmail is older than 8.16</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>; %n server(s) {fails|fail} the TLS handshake</source>
            <translation>
                <numerusform>; %n server fails the TLS handshake</numerusform>
                <numerusform>; %n servers fail the TLS handshake</numerusform>
            </translation>
        </message>
        <message>
            <source>Fall &amp;back to clear text for this server and retry its messages</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::QueueReader</name>
        <message>
            <source>Connecting to %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the reader gave no answer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reading the queues and the mail log of %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Asking the host's sendmail where mail for %1 goes…</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::RestoreDialog</name>
        <message>
            <source>Restore files as before this change</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Restore the files of %1 as they were before &quot;%2&quot; (%3)? No change was made after it.</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>Restore the files of %1 as they were before &quot;%2&quot; (%3)? This also throws away %n later change(s), listed below. To take back only this change and keep the later ones, use Undo this change instead.</source>
            <translation>
                <numerusform>Restore the files of %1 as they were before &quot;%2&quot; (%3)? This also throws away %n later change, listed below. To take back only this change and keep the later ones, use Undo this change instead.</numerusform>
                <numerusform>Restore the files of %1 as they were before &quot;%2&quot; (%3)? This also throws away %n later changes, listed below. To take back only this change and keep the later ones, use Undo this change instead.</numerusform>
            </translation>
        </message>
        <message>
            <source>What changes in the files as they are now:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The files already are as they were before this change.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Keep the files as they are</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Restore %1</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>Restore and discard %n later change(s)</source>
            <translation>
                <numerusform>Restore and discard %n later change</numerusform>
                <numerusform>Restore and discard %n later changes</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>smtls::gui::RetryResultsModel</name>
        <message>
            <source>Queue id</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Server</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Result</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Status now</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::RulesTable</name>
        <message>
            <source>expired 23 hours ago</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%Ln exception(s)</source>
            <translation>
                <numerusform>%Ln exception</numerusform>
                <numerusform>%Ln exceptions</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 — sorting…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 — filtering…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Filter the exceptions</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Shows the exceptions whose destination, state, expiry or reason contains this text</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%1 of %Ln exception(s) shown</source>
            <translation>
                <numerusform>%1 of %Ln exception shown</numerusform>
                <numerusform>%1 of %Ln exceptions shown</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>smtls::gui::SecretDialog</name>
        <message>
            <source>&amp;Remember in the system keychain</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Administrator rights on %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Log in to %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Password:</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Stored by the desktop's secret service, never in a file of this program</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::SnapshotModel</name>
        <message>
            <source>Undone on %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Discarded by the restore on %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Not applied: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>In the files</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 on this computer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 on the host</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Snapshot %1 of %2</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>When</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Change</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>User</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Reason</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Kept</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>State</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::StuckServerFix</name>
        <message>
            <source>Fall back to clear text</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Turn TLS off</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 for this server for %2 days and retry its %3</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the server has no name</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host is no longer listed: nothing was changed.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 is busy reading or applying: nothing was staged. Try again when it is done.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 has not been read yet: nothing was staged.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Nothing was staged: %1</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>Preview: &quot;%1&quot; and %n other staged edit(s) of %2, applied together.</source>
            <translation>
                <numerusform>Preview: &quot;%1&quot; and %n other staged edit of %2, applied together.</numerusform>
                <numerusform>Preview: &quot;%1&quot; and %n other staged edits of %2, applied together.</numerusform>
            </translation>
        </message>
        <message>
            <source>Preview: &quot;%1&quot; on %2.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Nothing was applied: the preview was closed. The exception stays staged under Pending changes (undo it there, or apply it later); no message was retried.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The host is no longer listed: nothing was applied.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applying on %1…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The apply did not go through (%1: %2): no message was retried.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applied, but the host is no longer listed: no message was retried.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applied. Retrying the %1 of %2…</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>the retry gave no answer</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applied; the retry was cancelled. The messages wait for sendmail's next queue run.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Applied, but the retry failed: %1. The messages wait for sendmail's next queue run.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 of %2 delivered</source>
            <translation type="unfinished"/>
        </message>
    </context>
    <context>
        <name>smtls::gui::StuckServersModel</name>
        <message>
            <source>%1 min</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>%1 h</source>
            <translation type="unfinished"/>
        </message>
        <message numerus="yes">
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n day</numerusform>
                <numerusform>%n days</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 and %2 more</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Handshake fails</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Server not known</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Neither the mail log nor an MX answer names the server these messages wait for.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Placed by the MX answer: the mail log no longer has these messages.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server of the last delivery attempt in the mail log.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The last attempt failed the TLS handshake. sendmail does not fall back to clear text by itself: the mail stays deferred until the rule for this server changes.</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The oldest message was queued %1 (local time).</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Queue ids, oldest first: %1</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The server sendmail tried (the MX host or relay): the key a TLS rule needs</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Whether the last attempt failed the TLS handshake</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>How long the oldest of its messages has been waiting</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>The newest attempt's status, as the mail log or the queue file says it</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Server</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Messages</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Oldest</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Domains</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Last status</source>
            <translation type="unfinished"/>
        </message>
        <message>
            <source>Queue ids</source>
            <translation type="unfinished"/>
        </message>
    </context>
</TS>
