## Sidene i partnerkanalen

nav-partner-devices = Ikke-tilordnede enheter
nav-partner-customers = Kunder
nav-partner-repairs = Reparasjonssaker
nav-partner-claims = Krav om refusjon
nav-admin-partners = Partnere
nav-admin-claims = Krav om refusjon

flash-saved = Endringene dine er lagret.
flash-devices-moved = Enhetene er flyttet til kundens dashbord.
flash-missing-sent = Forespørselen din er sendt til kundestøtte.
flash-dashboard-created = Kundens dashbord er opprettet.
flash-repair-sent = Reparasjonssaken er sendt inn.
flash-claim-sent = Kravet ditt om refusjon er sendt inn til godkjenning.

service-plan-premium = Premium
service-plan-premium_plus = Premium+
programme-resell_monitor = Videresalg og overvåking
programme-service_delivery = Tjenestelevering
claim-status-submitted = Venter på godkjenning
claim-status-approved = Godkjent
claim-status-rejected = Avvist
claim-status-all = Alle krav
alert-severity-critical = Kritisk
alert-severity-warning = Advarsel
alert-severity-info = Informasjon
alert-routed-end_user = sendt til sluttbrukeren
alert-routed-partner = sendt til partneren
device-event-reported = Rapportert av salgsfeeden
device-event-transferred = Flyttet til et kundedashbord
device-event-enrolled = Registrert med kunde-PIN-en
device-event-agent_token = Agent installert

partner-devices-title = Ikke-tilordnede enheter
partner-devices-intro = Enhetene du har videresolgt som ennå ikke ligger på en kundes dashbord. Bare bedriften din kan se denne listen.
partner-devices-none = Ingen ikke-tilordnede enheter. Enheter vises her så snart en distributør rapporterer dem.
partner-select = Velg
partner-col-plan = Serviceplan
partner-col-sold-on = Salgsdato
partner-col-customer = Kunde
partner-col-devices = Enheter
partner-make-dashboard-first = Opprett først et kundedashbord for å kunne flytte enheter dit.
partner-move-to = Flytt de valgte enhetene til
partner-move = Flytt enheter
partner-missing-heading = Enheter som mangler i denne listen
partner-missing-intro = Hvis enheter du har videresolgt, ikke vises, sender du serienumrene deres til kundestøtte, så blir de lagt til.
partner-serials = Serienumre (ett per linje)
partner-note = Notat
partner-missing-send = Send forespørsel
partner-row = Rad { $row }

partner-device-title = Enhet
partner-unassigned = Ikke tilordnet
partner-device-name = Enhetsnavn
partner-agent = Enhetsagent
partner-agent-installed = Installert
partner-agent-none = Ikke installert
partner-agent-token = Enhetstoken
partner-agent-token-once = Kopier dette tokenet inn i enhetsagenten nå: det vises bare én gang.
partner-agent-install = Installer enhetsagenten
partner-agent-intro = Før enheten ligger på en kundes dashbord, går varslene fra den til sluttbrukeren. Skriv inn sluttbrukerens e-postadresse for å sende varslene dit.
partner-end-user-email = Sluttbrukerens e-postadresse
partner-agent-issue = Utsted et enhetstoken
partner-history = Historikk
partner-alerts = Varsler
partner-alerts-none = Ingen varsler.

partner-customers-title = Kunder
partner-customers-none = Du har ingen kundedashbord ennå.
partner-cpin = Kunde-PIN (cPIN)
partner-self-service = Selvbetjeningsvarsler
partner-on = På
partner-off = Av
partner-new-customer = Nytt kundedashbord
partner-customer-name = Kundenavn
partner-create-dashboard = Opprett dashbord

partner-customer-title = Kundens dashbord
partner-cpin-intro = Kunden legger til enhetene sine ved å skrive inn denne cPIN-en i enhetsagenten.
partner-dashboard-empty = Ingen enheter på dette dashbordet ennå.
partner-transfer-serials = Flytt enheter fra Ikke-tilordnede enheter (serienumre, ett per linje)
partner-transfer = Flytt enheter
partner-bulk-file = Fil (CSV eller Excel) med kolonnen serial_number
partner-bulk-enrol = Registrer enhetene fra filen
partner-moved = { $count ->
    [one] Én enhet er flyttet.
   *[other] { $count } enheter er flyttet.
}
partner-not-unassigned = Ingenting ble flyttet. Disse serienumrene er ikke blant de ikke-tilordnede enhetene dine: { $serials }
partner-settings-alerts = Innstillinger: Varsler
partner-alerts-locked = Selvbetjeningsvarsler slås på automatisk når den første enheten legges til på dette dashbordet. Først etter det kan du slå dem av.
partner-alerts-off = Slå av selvbetjeningsvarsler
partner-alerts-on = Slå på selvbetjeningsvarsler
partner-alerts-intro = Når selvbetjeningsvarsler er på, mottar sluttbrukeren av enheten hvert varsel og kan sende inn en reparasjonssak. Når de er av, kommer varslene i stedet til dette dashbordet.
partner-alerts-received = Varsler mottatt på dette dashbordet
partner-submit-repair = Send inn reparasjonssak

partner-cases-title = Reparasjonssaker
partner-claims-title = Krav om refusjon
partner-claims-none = Ingen krav.
partner-claim-parts = Deler
partner-labour-minutes = Arbeid (minutter)
partner-labour-amount = Beløp for arbeid
partner-amount = Beløp
partner-new-claim = Nytt krav om refusjon
partner-claim-case = Reparasjonssak
partner-part-number = Delenummer
partner-quantity = Antall
partner-line-amount = Beløp for denne linjen
partner-currency = Valuta
partner-claim-submit = Send inn krav

admin-partners-title = Partnere
admin-programmes = Partnerprogram
admin-programme = Program
admin-not-enrolled = Ikke innmeldt
admin-enrol = Meld inn
admin-change-programme = Endre program
admin-withdraw = Meld ut
admin-no-partners = Ingen partnerbedrifter ennå.
admin-feed-tokens = Feed-tokener
admin-token-once = Gi dette tokenet til distributøren nå: det vises bare én gang.
admin-token-created = Opprettet
admin-token-used = Sist brukt
admin-revoke = Trekk tilbake
admin-revoked = Trukket tilbake
admin-token-name = Distributør
admin-issue-token = Utsted et feed-token
admin-device-sales = Legg til rapporterte enheter
admin-device-sales-intro = Last opp en fil med enhetssalg med kolonnene serial_number, sku, service_plan, partner_company_id, sold_on og reference, for eksempel for å legge til enheter som en partner har rapportert at mangler.
admin-device-sales-done = Enheter lagt til: { $created }.
admin-device-sales-load = Last inn enheter
admin-claims-title = Krav om refusjon
admin-claim-approve = Godkjenn
admin-claim-reject = Avvis

alert-title = Maskinvarevarsel
alert-confirm = Send inn en reparasjonssak
alert-confirm-intro = Bekreft kontaktopplysningene dine. Varselet legges ved reparasjonssaken.
alert-case-opened = Reparasjonssaken din er sendt inn
alert-case-opened-intro = Ta vare på dette nummeret til all kontakt med kundestøtte. Du får oppdateringer på e-post.

home-alerts-title = Maskinvarevarsler på enhetene dine
home-alert-view = Vis
