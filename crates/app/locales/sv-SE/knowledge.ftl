# Kunskapsbasen (KB-1): sökning, artiklar, feedback, förslag medan en tjänstebegäran fylls i,
# personalens redigerare och rapporten över undvikna tjänstebegäranden.
nav-articles = Kunskapsbas
nav-admin-articles = Artiklar
kb-title = Kunskapsbas
kb-search-label = Sök artiklar
kb-search = Sök
kb-language = Språk
kb-language-any = Alla språk
kb-language-en = Engelska
kb-language-nl = Nederländska
kb-language-fr = Franska
kb-language-nb = Norska
kb-language-sv = Svenska
kb-no-results = Inga artiklar hittades. Prova andra sökord eller skapa en tjänstebegäran.
kb-updated = Uppdaterad { $when }
kb-applies-to = Gäller för
kb-feedback-question = Var den här artikeln till hjälp?
kb-feedback-yes = Ja, den hjälpte
kb-feedback-no = Nej
kb-feedback-sign-in = Logga in för att berätta för oss om den här artikeln hjälpte dig.
kb-feedback-counts = { $count ->
    [0] Ingen har betygsatt den här artikeln ännu.
    [one] 1 person tyckte att den var till hjälp.
   *[other] { $count } personer tyckte att den var till hjälp.
}
kb-still-need-help = Behöver du fortfarande hjälp? Skapa en tjänstebegäran.
flash-kb-feedback = Tack för din feedback.

kb-suggestions-title = Artiklar som kan lösa problemet
kb-suggestions-none = Ange en rubrik och en beskrivning för att se artiklar som kan hjälpa dig.
kb-suggestions-find = Hitta artiklar
kb-withdraw = Mitt problem är löst: skapa ingen tjänstebegäran
flash-case-deflected = Vad bra att artikeln löste problemet. Ingen tjänstebegäran har skapats.
flash-case-withdrawn = Ingen tjänstebegäran har skapats.

kb-admin-title = Artiklar i kunskapsbasen
kb-new = Ny artikel
kb-edit-title = Redigera artikel
kb-view = Visa som läsarna ser den
kb-field-title = Rubrik
kb-field-body = Text (Markdown)
kb-markdown-hint = Markdown: # rubriker, **fetstil**, listor, [länkar](https://…) och tabeller. HTML visas som text.
kb-field-visibility = Synlig för
kb-visibility-public = Alla
kb-visibility-signed-in = Alla inloggade användare
kb-visibility-enterprise = Endast företags- och partneranvändare
kb-field-status = Status
kb-status-draft = Utkast
kb-status-published = Publicerad
kb-revisions = Revisioner
kb-author = Författare
kb-when = Tidpunkt
flash-kb-saved = Artikeln har sparats.

kb-report-title = Rapport över undvikna tjänstebegäranden
kb-report-period = { $count ->
    [one] Det senaste dygnet.
   *[other] De senaste { $count } dagarna.
}
kb-report-drafts = Tjänstebegäranden under ifyllnad där en föreslagen artikel lästes
kb-report-deflected = Återkallade efter läsning (tjänstebegäran undveks)
kb-report-cases = Skapade som tjänstebegäran ändå
kb-report-opened = Lästa under ifyllnad av en tjänstebegäran
kb-report-helpful = Till hjälp
kb-report-not-helpful = Inte till hjälp

field-invalid-article-language = Välj ett av de fem språken: en, nl, fr, nb eller sv.
field-invalid-visibility = Välj vem som får läsa artikeln: public, signed_in eller enterprise.
field-invalid-article-status = Välj draft (utkast) eller published (publicerad).
field-unknown-product = Det finns ingen produkt med detta ID.
field-unknown-product-line = Det finns ingen produktlinje med detta ID.
field-invalid-draft = Det här utkastet till tjänstebegäran är ogiltigt.
kb-read-before = Artiklar lästa innan ärendet öppnades
