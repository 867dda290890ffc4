## Partnerkanalen (PTN-1 til PTN-6)

error-invalid-feed-token = Dette feed-tokenet er ikke gyldig eller er trukket tilbake.
error-invalid-device-token = Dette enhetstokenet er ikke gyldig for denne enheten.
error-not-a-partner = Bare en partnerbedrift kan meldes inn i partnerprogrammet.
error-dashboard-name-taken = Du har allerede et kundedashbord med dette navnet.
error-alerts-locked-until-first-device = Selvbetjeningsvarsler kan først slås av etter at den første enheten er lagt til på dette dashbordet.
error-unknown-device-or-cpin = Kunde-PIN-en eller serienummeret er ukjent.
error-concurrent-report = Noen av disse enhetene ble rapportert samtidig av en annen feed. Send batchen på nytt.
error-alert-case-exists = Det er allerede sendt inn en reparasjonssak for dette varselet.
error-service-partner-required = Bare en tjenesteleveringspartner kan gjøre dette, for saker i sin egen reparasjonskø.
error-claim-exists = Det finnes allerede et krav for denne saken som venter eller er godkjent.
error-claim-decided = Det er allerede tatt en avgjørelse om dette kravet.

field-invalid-cpin = Skriv inn kunde-PIN-en slik du mottok den (for eksempel C-7K3M9Q2X4P).
field-too-many = For mange verdier: skriv inn høyst 1 000.
field-unknown-partner = Det finnes ingen partnerbedrift med dette nummeret.
field-serial-already-reported = Dette serienummeret er rapportert tidligere med et annet salg.
field-duplicate-serial = Dette serienummeret forekommer to ganger med ulike opplysninger.
field-date-in-future = Datoen kan ikke ligge frem i tid.
field-invalid-currency = Skriv inn en valutakode på tre bokstaver, for eksempel EUR.

partner-missing-title = { $count ->
    [one] Enhet mangler i Ikke-tilordnede enheter
   *[other] { $count } enheter mangler i Ikke-tilordnede enheter
}
partner-repair-title = Reparasjon: varsel { $code } for { $component }
partner-alert-device = Enhet
partner-alert-code = Varsel

mail-alert-subject = Maskinvarevarsel for enheten din { $serial }
mail-alert-body = Enheten din { $serial } har rapportert et problem med komponenten { $component } (varsel { $code }). Klikk Vis for å bekrefte kontaktopplysningene dine og sende inn en reparasjonssak.
mail-claim-approved-subject = Krav godkjent for sak { $number }
mail-claim-approved-body = Kravet ditt om refusjon for sak { $number } er godkjent: { $amount }.
mail-claim-rejected-subject = Krav avvist for sak { $number }
mail-claim-rejected-body = Kravet ditt om refusjon for sak { $number } ({ $amount }) er avvist. Årsaken står nedenfor.
