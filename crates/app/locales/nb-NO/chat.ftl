# Livechat (CHAT-1): starte en chat, chattesiden, nylige chatter, en sak fra en chat og
# teknikernes chatkonsoll.
nav-chat = Chat med kundestøtte
nav-chats = Chatter
chat-title = Chat med kundestøtte
chat-intro = En tekniker fra kundestøtten vår svarer deg her. Hvis alle teknikerne er opptatt, venter du i kø og ser hvilken plass du har.
chat-field-subject = Emne
chat-field-message = Melding
chat-start = Start chatten
chat-send = Send
chat-end = Avslutt chatten
chat-take = Ta denne chatten
chat-open = Åpne
chat-desk = Kundestøtte
chat-position = { $count ->
    [one] Du er nestemann i køen.
   *[other] Din plass i køen: { $count }
}
chat-with = Du chatter med { $name }.
chat-joined = { $name } ble med i chatten.
chat-status-waiting = I kø
chat-status-active = Pågår
chat-status-ended = Chatten er avsluttet.
chat-closed = Chatten vår er stengt for øyeblikket. Opprett en sak, så kontakter vi deg i arbeidstiden.
chat-open-case-instead = Opprett en sak i stedet
chat-recent = Nylige chatter
chat-recent-none = Du har ikke chattet med oss ennå.
chat-transcript = Avskrift
chat-transcript-heading = Chat: { $subject }
chat-became-case = Gjort om til sak { $number }
chat-to-case = Gjør om til sak
flash-chat-ended = Chatten er avsluttet. Avskriften av den finner du under Nylige chatter.
flash-chat-case = Saken er opprettet, med avskriften av chatten vedlagt.

chat-case-title = Gjør chatten om til en sak
chat-case-intro = Saken får avskriften av chatten som beskrivelse og som vedlagt fil. Fortell oss hva saken gjelder.
chat-case-about = Saken gjelder
chat-case-serial = Et produkt med serienummer
chat-case-agreement = En hendelsesavtale
chat-case-product = Et produkt uten serienummer (produktnummeret)
chat-case-value = Serienummer, avtale-ID eller produktnummer
chat-case-severity = Alvorlighetsgrad (1 haster mest)

chat-console-title = Chatkonsoll
chat-console-none = Ingen chatter venter eller pågår.
chat-customer = Kunde
chat-queue = Kø
chat-state = Status

error-chat-closed = Chatten er stengt for øyeblikket. Opprett en sak i stedet.
error-chat-customers-only = Bare en bekreftet kundekonto kan starte en chat.
error-chat-ended = Denne chatten er avsluttet.
error-chat-full = Denne chatten har nådd maksimalt antall meldinger. Start en ny chat.
error-chat-taken = En annen tekniker har allerede tatt denne chatten.
error-cross-origin = Denne forespørselen kom ikke fra portalens egne sider.
chat-console-position = Plass i køen: { $count }
chat-console-with = Med { $name }
chat-case-country = Land for utstyret (hvis profilen din ikke har et)
