## Het partnerkanaal (PTN-1 t/m PTN-6)

error-invalid-feed-token = Dit feedtoken is niet geldig of is ingetrokken.
error-invalid-device-token = Dit apparaattoken is niet geldig voor dit apparaat.
error-not-a-partner = Alleen een partnerbedrijf kan worden ingeschreven in het partnerprogramma.
error-dashboard-name-taken = U hebt al een klantdashboard met deze naam.
error-alerts-locked-until-first-device = Selfservicewaarschuwingen kunnen pas worden uitgeschakeld nadat het eerste apparaat aan dit dashboard is toegevoegd.
error-unknown-device-or-cpin = De klant-PIN of het serienummer is niet bekend.
error-concurrent-report = Sommige van deze apparaten zijn op hetzelfde moment door een andere feed gemeld. Verstuur de batch opnieuw.
error-alert-case-exists = Voor deze waarschuwing is al een reparatiecase ingediend.
error-service-partner-required = Alleen een servicepartner kan dit doen, voor cases in de eigen reparatiewachtrij.
error-claim-exists = Voor deze case is al een claim in behandeling of goedgekeurd.
error-claim-decided = Over deze claim is al een beslissing genomen.

field-invalid-cpin = Voer de klant-PIN in zoals u die hebt ontvangen (bijvoorbeeld C-7K3M9Q2X4P).
field-too-many = Te veel waarden: voer er maximaal 1.000 in.
field-unknown-partner = Er bestaat geen partnerbedrijf met dit nummer.
field-serial-already-reported = Dit serienummer is al eerder gemeld bij een andere verkoop.
field-duplicate-serial = Dit serienummer komt twee keer voor met verschillende gegevens.
field-date-in-future = De datum mag niet in de toekomst liggen.
field-invalid-currency = Voer een valutacode van drie letters in, zoals EUR.

partner-missing-title = { $count ->
    [one] Apparaat ontbreekt in Niet-toegewezen apparaten
   *[other] { $count } apparaten ontbreken in Niet-toegewezen apparaten
}
partner-repair-title = Reparatie: waarschuwing { $code } voor { $component }
partner-alert-device = Apparaat
partner-alert-code = Waarschuwing

mail-alert-subject = Hardwarewaarschuwing voor uw apparaat { $serial }
mail-alert-body = Uw apparaat { $serial } heeft een probleem met de component { $component } gemeld (waarschuwing { $code }). Klik op Bekijken om uw contactgegevens te bevestigen en een reparatieaanvraag in te dienen.
mail-claim-approved-subject = Claim goedgekeurd voor ondersteuningsaanvraag { $number }
mail-claim-approved-body = Uw vergoedingsclaim voor ondersteuningsaanvraag { $number } is goedgekeurd: { $amount }.
mail-claim-rejected-subject = Claim afgewezen voor ondersteuningsaanvraag { $number }
mail-claim-rejected-body = Uw vergoedingsclaim voor ondersteuningsaanvraag { $number } ({ $amount }) is afgewezen. Hieronder leest u de reden.
