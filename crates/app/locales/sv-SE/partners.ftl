## Partnerkanalen (PTN-1 till PTN-6)

error-invalid-feed-token = Den här flödestoken är ogiltig eller har återkallats.
error-invalid-device-token = Den här enhetstoken är inte giltig för den här enheten.
error-not-a-partner = Endast ett partnerföretag kan registreras i partnerprogrammet.
error-dashboard-name-taken = Du har redan en kundinstrumentpanel med det här namnet.
error-alerts-locked-until-first-device = Självbetjäningsvarningar kan stängas av först när den första enheten har lagts till i den här instrumentpanelen.
error-unknown-device-or-cpin = Vi känner inte till kundens PIN-kod eller serienumret.
error-concurrent-report = Några av de här enheterna rapporterades samtidigt av ett annat flöde. Skicka batchen igen.
error-alert-case-exists = En tjänstebegäran för reparation har redan skickats för den här varningen.
error-service-partner-required = Endast en tjänsteleveranspartner kan göra detta, för tjänstebegäranden i sin egen reparationskö.
error-claim-exists = Det finns redan ett ersättningsanspråk för den här tjänstebegäran som väntar eller har godkänts.
error-claim-decided = Det här ersättningsanspråket har redan avgjorts.

field-invalid-cpin = Ange kundens PIN-kod så som du fick den (till exempel C-7K3M9Q2X4P).
field-too-many = För många värden: ange högst 1 000.
field-unknown-partner = Det finns inget partnerföretag med det här numret.
field-serial-already-reported = Det här serienumret har redan rapporterats med en annan försäljning.
field-duplicate-serial = Det här serienumret förekommer två gånger med olika uppgifter.
field-date-in-future = Datumet kan inte ligga i framtiden.
field-invalid-currency = Ange en valutakod med tre bokstäver, till exempel EUR.

partner-missing-title = { $count ->
    [one] Enhet saknas i Ej tilldelade enheter
   *[other] { $count } enheter saknas i Ej tilldelade enheter
}
partner-repair-title = Reparation: varning { $code } för { $component }
partner-alert-device = Enhet
partner-alert-code = Varning

mail-alert-subject = Maskinvaruvarning för din enhet { $serial }
mail-alert-body = Din enhet { $serial } har rapporterat ett problem med komponenten { $component } (varning { $code }). Klicka på Visa för att bekräfta dina kontaktuppgifter och skicka en tjänstebegäran för reparation.
mail-claim-approved-subject = Ersättningsanspråk godkänt för tjänstebegäran { $number }
mail-claim-approved-body = Ditt ersättningsanspråk för tjänstebegäran { $number } har godkänts: { $amount }.
mail-claim-rejected-subject = Ersättningsanspråk avvisat för tjänstebegäran { $number }
mail-claim-rejected-body = Ditt ersättningsanspråk för tjänstebegäran { $number } ({ $amount }) har avvisats. Orsaken anges nedan.
