## Partnerkanalens sidor

nav-partner-devices = Ej tilldelade enheter
nav-partner-customers = Kunder
nav-partner-repairs = Tjänstebegäranden för reparation
nav-partner-claims = Ersättningsanspråk
nav-admin-partners = Partner
nav-admin-claims = Ersättningsanspråk

flash-saved = Dina ändringar har sparats.
flash-devices-moved = Enheterna har flyttats till kundinstrumentpanelen.
flash-missing-sent = Din begäran har skickats till support.
flash-dashboard-created = Kundinstrumentpanelen har skapats.
flash-repair-sent = Tjänstebegäran för reparation har skickats.
flash-claim-sent = Ditt ersättningsanspråk har skickats för godkännande.

service-plan-premium = Premium
service-plan-premium_plus = Premium+
programme-resell_monitor = Återförsäljning och övervakning
programme-service_delivery = Tjänsteleverans
claim-status-submitted = Väntar på godkännande
claim-status-approved = Godkänt
claim-status-rejected = Avvisat
claim-status-all = Alla ersättningsanspråk
alert-severity-critical = Kritisk
alert-severity-warning = Varning
alert-severity-info = Information
alert-routed-end_user = skickad till slutanvändaren
alert-routed-partner = skickad till partnern
device-event-reported = Rapporterad av försäljningsflödet
device-event-transferred = Flyttad till en kundinstrumentpanel
device-event-enrolled = Registrerad med kundens PIN-kod
device-event-agent_token = Agent installerad

partner-devices-title = Ej tilldelade enheter
partner-devices-intro = De enheter som du har återförsålt och som ännu inte finns på en kundinstrumentpanel. Endast ditt företag kan se den här listan.
partner-devices-none = Inga ej tilldelade enheter. Enheterna visas här så snart en distributör rapporterar dem.
partner-select = Välj
partner-col-plan = Serviceplan
partner-col-sold-on = Försäljningsdatum
partner-col-customer = Kund
partner-col-devices = Enheter
partner-make-dashboard-first = Skapa först en kundinstrumentpanel för att kunna flytta enheter till den.
partner-move-to = Flytta de markerade enheterna till
partner-move = Flytta enheter
partner-missing-heading = Enheter som saknas i listan
partner-missing-intro = Om enheter som du har återförsålt inte visas skickar du deras serienummer till support, så läggs de till.
partner-serials = Serienummer (ett per rad)
partner-note = Anteckning
partner-missing-send = Skicka begäran
partner-row = Rad { $row }

partner-device-title = Enhet
partner-unassigned = Ej tilldelad
partner-device-name = Enhetsnamn
partner-agent = Enhetsagent
partner-agent-installed = Installerad
partner-agent-none = Inte installerad
partner-agent-token = Enhetstoken
partner-agent-token-once = Kopiera den här token till enhetsagenten nu: den visas bara en gång.
partner-agent-install = Installera enhetsagenten
partner-agent-intro = Innan enheten finns på en kundinstrumentpanel skickas dess varningar till slutanvändaren. Ange slutanvändarens e-postadress för att skicka varningarna dit.
partner-end-user-email = Slutanvändarens e-postadress
partner-agent-issue = Utfärda en enhetstoken
partner-history = Historik
partner-alerts = Varningar
partner-alerts-none = Inga varningar.

partner-customers-title = Kunder
partner-customers-none = Du har inga kundinstrumentpaneler ännu.
partner-cpin = Kundens PIN-kod (cPIN)
partner-self-service = Självbetjäningsvarningar
partner-on = På
partner-off = Av
partner-new-customer = Ny kundinstrumentpanel
partner-customer-name = Kundnamn
partner-create-dashboard = Skapa instrumentpanel

partner-customer-title = Kundinstrumentpanel
partner-cpin-intro = Kunden lägger till sina enheter genom att ange den här cPIN-koden i enhetsagenten.
partner-dashboard-empty = Det finns inga enheter på den här instrumentpanelen ännu.
partner-transfer-serials = Flytta enheter från Ej tilldelade enheter (serienummer, ett per rad)
partner-transfer = Flytta enheter
partner-bulk-file = Fil (CSV eller Excel) med kolumnen serial_number
partner-bulk-enrol = Registrera enheterna från filen
partner-moved = { $count ->
    [one] En enhet har flyttats.
   *[other] { $count } enheter har flyttats.
}
partner-not-unassigned = Ingenting flyttades. De här serienumren finns inte bland dina ej tilldelade enheter: { $serials }
partner-settings-alerts = Inställningar: Varningar
partner-alerts-locked = Självbetjäningsvarningar slås på automatiskt när den första enheten läggs till i den här instrumentpanelen. Först därefter kan du stänga av dem.
partner-alerts-off = Stäng av självbetjäningsvarningar
partner-alerts-on = Slå på självbetjäningsvarningar
partner-alerts-intro = När självbetjäningsvarningar är på får enhetens slutanvändare varje varning och kan skicka en tjänstebegäran för reparation. När de är avstängda kommer varningarna i stället till den här instrumentpanelen.
partner-alerts-received = Varningar som tagits emot på den här instrumentpanelen
partner-submit-repair = Skicka tjänstebegäran för reparation

partner-cases-title = Tjänstebegäranden för reparation
partner-claims-title = Ersättningsanspråk
partner-claims-none = Inga ersättningsanspråk.
partner-claim-parts = Delar
partner-labour-minutes = Arbete (minuter)
partner-labour-amount = Belopp för arbete
partner-amount = Belopp
partner-new-claim = Nytt ersättningsanspråk
partner-claim-case = Tjänstebegäran för reparation
partner-part-number = Delnummer
partner-quantity = Antal
partner-line-amount = Belopp för den här raden
partner-currency = Valuta
partner-claim-submit = Skicka ersättningsanspråk

admin-partners-title = Partner
admin-programmes = Partnerprogram
admin-programme = Program
admin-not-enrolled = Ej registrerat
admin-enrol = Registrera
admin-change-programme = Ändra program
admin-withdraw = Avregistrera
admin-no-partners = Inga partnerföretag ännu.
admin-feed-tokens = Flödestoken
admin-token-once = Ge den här token till distributören nu: den visas bara en gång.
admin-token-created = Skapad
admin-token-used = Senast använd
admin-revoke = Återkalla
admin-revoked = Återkallad
admin-token-name = Distributör
admin-issue-token = Utfärda en flödestoken
admin-device-sales = Lägg till rapporterade enheter
admin-device-sales-intro = Ladda upp en fil med enhetsförsäljningar med kolumnerna serial_number, sku, service_plan, partner_company_id, sold_on och reference, till exempel för att lägga till enheter som en partner har rapporterat saknas.
admin-device-sales-done = Tillagda enheter: { $created }.
admin-device-sales-load = Läs in enheter
admin-claims-title = Ersättningsanspråk
admin-claim-approve = Godkänn
admin-claim-reject = Avvisa

alert-title = Maskinvaruvarning
alert-confirm = Skicka en tjänstebegäran för reparation
alert-confirm-intro = Bekräfta dina kontaktuppgifter. Varningen bifogas tjänstebegäran för reparation.
alert-case-opened = Din tjänstebegäran för reparation har skickats
alert-case-opened-intro = Spara det här numret inför all kontakt med support. Du får uppdateringar via e-post.

home-alerts-title = Maskinvaruvarningar på dina enheter
home-alert-view = Visa
