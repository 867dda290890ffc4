# Aviseringar i appen (NTF-1): klockan, aviseringssidan och inställningssidan.
notices-title = Aviseringar
notices-bell = { $count ->
    [0] Inga olästa aviseringar
    [one] 1 oläst avisering
   *[other] { $count } olästa aviseringar
}
notices-none = Du har inga aviseringar.
notices-new = Ny
notices-show-all = Visa alla
notices-show-unread = Visa endast olästa
notices-older = Äldre aviseringar
notices-mark-all = { $count ->
    [one] Markera 1 som läst
   *[other] Markera alla { $count } som lästa
}
notices-settings-link = Aviseringsinställningar
notices-settings-title = Aviseringsinställningar
notices-settings-intro = Välj för varje typ av avisering om du vill få den i portalen, via e-post, båda eller inte alls. En inbjudan skickas alltid via e-post, eftersom det är länken i den som används för att acceptera den.
notices-settings-kind = Avisering
notices-settings-delivery = Hur du får den
flash-notices-read = Alla aviseringar har markerats som lästa.
flash-notices-settings-saved = Dina aviseringsinställningar har sparats.

notice-kind-case-reply = Ett svar i en tjänstebegäran som jag följer
notice-kind-case-status = En statusändring i en tjänstebegäran som jag följer
notice-kind-invitation = En inbjudan till ett företag
notice-kind-access-request = Ett svar på min åtkomstbegäran
notice-kind-sla-breach = Ett missat mål för servicenivå i mina köer
notice-kind-device-alert = En varning från en av mina enheter
notice-delivery-in-app = I portalen
notice-delivery-email = Via e-post
notice-delivery-both = I portalen och via e-post
notice-delivery-none = Inte alls

notice-case-reply = Nytt svar i tjänstebegäran { $number }: { $title }
notice-case-status = Tjänstebegäran { $number } har nu status { $status }: { $title }
notice-invitation = Du är inbjuden att ansluta till { $company }
notice-access-request = Din åtkomstbegäran { $number } har besvarats
notice-sla-breach = { $target } i tjänstebegäran { $number }: { $title }
notice-device-alert = Varning från enhet { $serial }: { $component }

field-invalid-notice-kind = Det här är inte en typ av avisering som du kan ställa in.
field-invalid-delivery = Välj i portalen, via e-post, båda eller inte alls.
field-too-many-ids = För många på en gång: skicka högst 200.
