# Meldingen in de app (NTF-1): de bel, de meldingenpagina en de instellingenpagina.
notices-title = Meldingen
notices-bell = { $count ->
    [0] Geen ongelezen meldingen
    [one] 1 ongelezen melding
   *[other] { $count } ongelezen meldingen
}
notices-none = U hebt geen meldingen.
notices-new = Nieuw
notices-show-all = Alle weergeven
notices-show-unread = Alleen ongelezen weergeven
notices-older = Oudere meldingen
notices-mark-all = { $count ->
    [one] 1 als gelezen markeren
   *[other] Alle { $count } als gelezen markeren
}
notices-settings-link = Instellingen voor meldingen
notices-settings-title = Instellingen voor meldingen
notices-settings-intro = Kies per soort melding of u deze in het portaal ontvangt, per e-mail, allebei of helemaal niet. Een uitnodiging wordt altijd per e-mail verzonden, omdat u die accepteert via de link in de e-mail.
notices-settings-kind = Melding
notices-settings-delivery = Hoe u deze ontvangt
flash-notices-read = Alle meldingen zijn als gelezen gemarkeerd.
flash-notices-settings-saved = Uw instellingen voor meldingen zijn opgeslagen.

notice-kind-case-reply = Een antwoord in een case die ik volg
notice-kind-case-status = Een statuswijziging van een case die ik volg
notice-kind-invitation = Een uitnodiging voor een bedrijf
notice-kind-access-request = Een antwoord op mijn toegangsaanvraag
notice-kind-sla-breach = Een overschreden streeftijd voor het serviceniveau in mijn wachtrijen
notice-kind-device-alert = Een waarschuwing van een van mijn apparaten
notice-delivery-in-app = In het portaal
notice-delivery-email = Per e-mail
notice-delivery-both = In het portaal en per e-mail
notice-delivery-none = Helemaal niet

notice-case-reply = Nieuw antwoord in case { $number }: { $title }
notice-case-status = Case { $number } heeft nu de status { $status }: { $title }
notice-invitation = U bent uitgenodigd om lid te worden van { $company }
notice-access-request = Uw toegangsaanvraag { $number } is beantwoord
notice-sla-breach = { $target } bij case { $number }: { $title }
notice-device-alert = Waarschuwing van apparaat { $serial }: { $component }

field-invalid-notice-kind = Dit is geen soort melding die u kunt instellen.
field-invalid-delivery = Kies in het portaal, per e-mail, allebei of helemaal niet.
field-too-many-ids = Te veel tegelijk: verzend er maximaal 200.
