# Livechat (CHAT-1): een chat starten, de chatpagina, recente chats, een case vanuit een chat en de
# chatconsole van de engineers.
nav-chat = Chatten met support
nav-chats = Chats
chat-title = Chatten met support
chat-intro = Een engineer van onze supportdesk helpt u hier verder. Zijn alle engineers bezet, dan komt u in de wachtrij en ziet u uw plaats daarin.
chat-field-subject = Onderwerp
chat-field-message = Bericht
chat-start = Chat starten
chat-send = Verzenden
chat-end = Chat beëindigen
chat-take = Deze chat aannemen
chat-open = Openen
chat-desk = Supportteam
chat-position = { $count ->
    [one] U bent de volgende in de wachtrij.
   *[other] Uw plaats in de wachtrij: { $count }
}
chat-with = U chat met { $name }.
chat-joined = { $name } neemt nu deel aan de chat.
chat-status-waiting = In de wachtrij
chat-status-active = In behandeling
chat-status-ended = De chat is beëindigd.
chat-closed = Onze chatservice is momenteel gesloten. Open een case, dan nemen we tijdens werktijden contact met u op.
chat-open-case-instead = In plaats daarvan een case openen
chat-recent = Recente chats
chat-recent-none = U hebt nog niet met ons gechat.
chat-transcript = Transcript
chat-transcript-heading = Chat: { $subject }
chat-became-case = Omgezet in case { $number }
chat-to-case = Omzetten in een case
flash-chat-ended = De chat is beëindigd. Het transcript wordt bewaard onder Recente chats.
flash-chat-case = De case is geopend, met het transcript van de chat als bijlage.

chat-case-title = De chat omzetten in een case
chat-case-intro = De case krijgt het transcript van de chat als beschrijving en als bijlage. Geef aan waar de case over gaat.
chat-case-about = De case gaat over
chat-case-serial = Een product met een serienummer
chat-case-agreement = Een incidentenovereenkomst
chat-case-product = Een product zonder serienummer (het productnummer)
chat-case-value = Serienummer, overeenkomst-ID of productnummer
chat-case-severity = Ernst (1 is het dringendst)

chat-console-title = Chatconsole
chat-console-none = Er zijn geen wachtende of lopende chats.
chat-customer = Klant
chat-queue = Wachtrij
chat-state = Status

error-chat-closed = De chatservice is momenteel gesloten. Open in plaats daarvan een case.
error-chat-customers-only = Alleen een geverifieerd klantaccount kan een chat starten.
error-chat-ended = Deze chat is beëindigd.
error-chat-full = Deze chat heeft het maximale aantal berichten bereikt. Start een nieuwe chat.
error-chat-taken = Een andere engineer heeft deze chat al aangenomen.
error-cross-origin = Dit verzoek is niet afkomstig van de eigen pagina's van het portaal.
chat-console-position = Plaats in de wachtrij: { $count }
chat-console-with = Met { $name }
chat-case-country = Land van de apparatuur (als uw profiel er geen heeft)
