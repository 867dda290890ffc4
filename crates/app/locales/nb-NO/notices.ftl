# Varsler i appen (NTF-1): bjellen, varselsiden og innstillingssiden.
notices-title = Varsler
notices-bell = { $count ->
    [0] Ingen uleste varsler
    [one] 1 ulest varsel
   *[other] { $count } uleste varsler
}
notices-none = Du har ingen varsler.
notices-new = Ny
notices-show-all = Vis alle
notices-show-unread = Vis bare uleste
notices-older = Eldre varsler
notices-mark-all = { $count ->
    [one] Merk 1 som lest
   *[other] Merk alle { $count } som lest
}
notices-settings-link = Varslingsinnstillinger
notices-settings-title = Varslingsinnstillinger
notices-settings-intro = Velg for hver type varsel om du vil få det i portalen, på e-post, begge deler eller ikke i det hele tatt. En invitasjon sendes alltid på e-post, fordi det er lenken i den som brukes til å godta den.
notices-settings-kind = Varsel
notices-settings-delivery = Slik mottar du det
flash-notices-read = Alle varsler er merket som lest.
flash-notices-settings-saved = Varslingsinnstillingene dine er lagret.

notice-kind-case-reply = Et svar i en sak jeg følger
notice-kind-case-status = En statusendring i en sak jeg følger
notice-kind-invitation = En invitasjon til en bedrift
notice-kind-access-request = Et svar på tilgangsforespørselen min
notice-kind-sla-breach = Et mål for tjenestenivå som ikke er nådd i køene mine
notice-kind-device-alert = Et varsel fra en av enhetene mine
notice-delivery-in-app = I portalen
notice-delivery-email = På e-post
notice-delivery-both = I portalen og på e-post
notice-delivery-none = Ikke i det hele tatt

notice-case-reply = Nytt svar i sak { $number }: { $title }
notice-case-status = Sak { $number } har nå status { $status }: { $title }
notice-invitation = Du er invitert til å bli med i { $company }
notice-access-request = Tilgangsforespørselen din { $number } er besvart
notice-sla-breach = { $target } i sak { $number }: { $title }
notice-device-alert = Varsel fra enhet { $serial }: { $component }

field-invalid-notice-kind = Dette er ikke en type varsel du kan stille inn.
field-invalid-delivery = Velg i portalen, på e-post, begge deler eller ikke i det hele tatt.
field-too-many-ids = For mange på en gang: send høyst 200.
