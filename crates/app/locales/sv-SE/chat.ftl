# Livechatt (CHAT-1): starta en chatt, chattsidan, senaste chattar, en tjänstebegäran från en chatt och
# teknikernas chattkonsol.
nav-chat = Chatta med support
nav-chats = Chattar
chat-title = Chatta med support
chat-intro = En tekniker från vår supportdesk svarar dig här. Om alla tekniker är upptagna får du vänta i kö och ser din plats i kön.
chat-field-subject = Ämne
chat-field-message = Meddelande
chat-start = Starta chatten
chat-send = Skicka
chat-end = Avsluta chatten
chat-take = Ta den här chatten
chat-open = Öppna
chat-desk = Support
chat-position = { $count ->
    [one] Du står näst på tur.
   *[other] Din plats i kön: { $count }
}
chat-with = Du chattar med { $name }.
chat-joined = { $name } anslöt till chatten.
chat-status-waiting = I kö
chat-status-active = Pågår
chat-status-ended = Chatten har avslutats.
chat-closed = Vår chatt är stängd just nu. Skapa en tjänstebegäran så återkommer vi till dig under kontorstid.
chat-open-case-instead = Skapa en tjänstebegäran i stället
chat-recent = Senaste chattar
chat-recent-none = Du har inte chattat med oss ännu.
chat-transcript = Avskrift
chat-transcript-heading = Chatt: { $subject }
chat-became-case = Omvandlad till tjänstebegäran { $number }
chat-to-case = Omvandla till tjänstebegäran
flash-chat-ended = Chatten har avslutats. Avskriften sparas under Senaste chattar.
flash-chat-case = Tjänstebegäran har skapats med avskriften av chatten bifogad.

chat-case-title = Omvandla chatten till en tjänstebegäran
chat-case-intro = Avskriften av chatten blir beskrivningen av tjänstebegäran och bifogas som en fil. Berätta vad den gäller.
chat-case-about = Tjänstebegäran gäller
chat-case-serial = En produkt med serienummer
chat-case-agreement = Ett incidentavtal
chat-case-product = En produkt utan serienummer (dess produktnummer)
chat-case-value = Serienummer, avtals-ID eller produktnummer
chat-case-severity = Allvarlighetsgrad (1 är mest brådskande)

chat-console-title = Chattkonsol
chat-console-none = Inga chattar väntar eller pågår.
chat-customer = Kund
chat-queue = Kö
chat-state = Status

error-chat-closed = Chatten är stängd just nu. Skapa en tjänstebegäran i stället.
error-chat-customers-only = Endast ett verifierat kundkonto kan starta en chatt.
error-chat-ended = Den här chatten har avslutats.
error-chat-full = Den här chatten har nått det högsta antalet meddelanden. Starta en ny chatt.
error-chat-taken = En annan tekniker har redan tagit den här chatten.
error-cross-origin = Den här begäran kom inte från portalens egna sidor.
chat-console-position = Plats i kön: { $count }
chat-console-with = Med { $name }
chat-case-country = Utrustningens land (om din profil saknar ett)
