## De pagina's van het partnerkanaal

nav-partner-devices = Niet-toegewezen apparaten
nav-partner-customers = Klanten
nav-partner-repairs = Reparatiecases
nav-partner-claims = Claims
nav-admin-partners = Partners
nav-admin-claims = Claims

flash-saved = Uw wijzigingen zijn opgeslagen.
flash-devices-moved = De apparaten zijn naar het klantdashboard verplaatst.
flash-missing-sent = Uw aanvraag is naar het supportteam verzonden.
flash-dashboard-created = Het klantdashboard is aangemaakt.
flash-repair-sent = De reparatiecase is ingediend.
flash-claim-sent = Uw claim is ter goedkeuring ingediend.

service-plan-premium = Premium
service-plan-premium_plus = Premium+
programme-resell_monitor = Doorverkoop en monitoring
programme-service_delivery = Dienstverlening
claim-status-submitted = Wacht op goedkeuring
claim-status-approved = Goedgekeurd
claim-status-rejected = Afgewezen
claim-status-all = Alle claims
alert-severity-critical = Kritiek
alert-severity-warning = Waarschuwing
alert-severity-info = Informatie
alert-routed-end_user = verzonden naar de eindgebruiker
alert-routed-partner = verzonden naar de partner
device-event-reported = Gemeld via de verkoopfeed
device-event-transferred = Verplaatst naar een klantdashboard
device-event-enrolled = Ingeschreven met de klant-PIN
device-event-agent_token = Agent geïnstalleerd

partner-devices-title = Niet-toegewezen apparaten
partner-devices-intro = De apparaten die u hebt doorverkocht en die nog niet op het dashboard van een klant staan. Alleen uw bedrijf kan deze lijst zien.
partner-devices-none = Geen niet-toegewezen apparaten. Apparaten verschijnen hier zodra een distributeur ze meldt.
partner-select = Selecteren
partner-col-plan = Serviceplan
partner-col-sold-on = Verkoopdatum
partner-col-customer = Klant
partner-col-devices = Apparaten
partner-make-dashboard-first = Maak eerst een klantdashboard aan om er apparaten naartoe te verplaatsen.
partner-move-to = Geselecteerde apparaten verplaatsen naar
partner-move = Apparaten verplaatsen
partner-missing-heading = Apparaten die in deze lijst ontbreken
partner-missing-intro = Worden apparaten die u hebt doorverkocht niet weergegeven? Stuur de serienummers naar het supportteam, dan worden ze toegevoegd.
partner-serials = Serienummers (één per regel)
partner-note = Notitie
partner-missing-send = Aanvraag verzenden
partner-row = Rij { $row }

partner-device-title = Apparaat
partner-unassigned = Niet toegewezen
partner-device-name = Apparaatnaam
partner-agent = Apparaatagent
partner-agent-installed = Geïnstalleerd
partner-agent-none = Niet geïnstalleerd
partner-agent-token = Apparaattoken
partner-agent-token-once = Kopieer dit token nu naar de apparaatagent: het wordt maar één keer weergegeven.
partner-agent-install = De apparaatagent installeren
partner-agent-intro = Zolang het apparaat niet op het dashboard van een klant staat, gaan de waarschuwingen ervan naar de eindgebruiker. Voer het e-mailadres van de eindgebruiker in om de waarschuwingen naar die persoon te sturen.
partner-end-user-email = E-mailadres van de eindgebruiker
partner-agent-issue = Een apparaattoken uitgeven
partner-history = Geschiedenis
partner-alerts = Waarschuwingen
partner-alerts-none = Geen waarschuwingen.

partner-customers-title = Klanten
partner-customers-none = U hebt nog geen klantdashboards.
partner-cpin = Klant-PIN (cPIN)
partner-self-service = Selfservicewaarschuwingen
partner-on = Aan
partner-off = Uit
partner-new-customer = Nieuw klantdashboard
partner-customer-name = Klantnaam
partner-create-dashboard = Dashboard aanmaken

partner-customer-title = Klantdashboard
partner-cpin-intro = De klant voegt zijn apparaten toe door deze cPIN in de apparaatagent in te voeren.
partner-dashboard-empty = Er staan nog geen apparaten op dit dashboard.
partner-transfer-serials = Apparaten verplaatsen uit Niet-toegewezen apparaten (serienummers, één per regel)
partner-transfer = Apparaten verplaatsen
partner-bulk-file = Bestand (CSV of Excel) met een kolom serial_number
partner-bulk-enrol = Apparaten uit het bestand inschrijven
partner-moved = { $count ->
    [one] Er is één apparaat verplaatst.
   *[other] Er zijn { $count } apparaten verplaatst.
}
partner-not-unassigned = Er is niets verplaatst. Deze serienummers horen niet bij uw niet-toegewezen apparaten: { $serials }
partner-settings-alerts = Instellingen: Waarschuwingen
partner-alerts-locked = Selfservicewaarschuwingen worden automatisch ingeschakeld zodra het eerste apparaat aan dit dashboard wordt toegevoegd. Pas daarna kunt u ze uitschakelen.
partner-alerts-off = Selfservicewaarschuwingen uitschakelen
partner-alerts-on = Selfservicewaarschuwingen inschakelen
partner-alerts-intro = Als selfservicewaarschuwingen zijn ingeschakeld, ontvangt de eindgebruiker van het apparaat elke waarschuwing en kan die een reparatiecase indienen. Als ze zijn uitgeschakeld, komen de waarschuwingen in plaats daarvan op dit dashboard binnen.
partner-alerts-received = Op dit dashboard ontvangen waarschuwingen
partner-submit-repair = Reparatiecase indienen

partner-cases-title = Reparatiecases
partner-claims-title = Claims
partner-claims-none = Geen claims.
partner-claim-parts = Onderdelen
partner-labour-minutes = Arbeid (minuten)
partner-labour-amount = Arbeidskosten
partner-amount = Bedrag
partner-new-claim = Nieuwe vergoedingsclaim
partner-claim-case = Reparatiecase
partner-part-number = Onderdeelnummer
partner-quantity = Aantal
partner-line-amount = Bedrag voor deze regel
partner-currency = Valuta
partner-claim-submit = Claim indienen

admin-partners-title = Partners
admin-programmes = Partnerprogramma
admin-programme = Programma
admin-not-enrolled = Niet ingeschreven
admin-enrol = Inschrijven
admin-change-programme = Programma wijzigen
admin-withdraw = Uitschrijven
admin-no-partners = Nog geen partnerbedrijven.
admin-feed-tokens = Feedtokens
admin-token-once = Geef dit token nu aan de distributeur: het wordt maar één keer weergegeven.
admin-token-created = Aangemaakt
admin-token-used = Laatst gebruikt
admin-revoke = Intrekken
admin-revoked = Ingetrokken
admin-token-name = Distributeur
admin-issue-token = Een feedtoken uitgeven
admin-device-sales = Gemelde apparaten toevoegen
admin-device-sales-intro = Upload een bestand met apparaatverkopen met de kolommen serial_number, sku, service_plan, partner_company_id, sold_on en reference, bijvoorbeeld om apparaten toe te voegen die volgens een partner ontbreken.
admin-device-sales-done = Toegevoegde apparaten: { $created }.
admin-device-sales-load = Apparaten laden
admin-claims-title = Vergoedingsclaims
admin-claim-approve = Goedkeuren
admin-claim-reject = Afwijzen

alert-title = Hardwarewaarschuwing
alert-confirm = Een reparatiecase indienen
alert-confirm-intro = Bevestig uw contactgegevens. De waarschuwing wordt aan de reparatiecase gekoppeld.
alert-case-opened = Uw reparatiecase is ingediend
alert-case-opened-intro = Houd dit nummer bij de hand wanneer u contact opneemt met het supportteam. U ontvangt updates per e-mail.

home-alerts-title = Hardwarewaarschuwingen op uw apparaten
home-alert-view = Bekijken
