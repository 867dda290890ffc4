# Kunnskapsbasen (KB-1): søk, artikler, tilbakemeldinger, forslag mens en sak fylles ut,
# redigeringsverktøyet for personalet og rapporten over unngåtte saker.
nav-articles = Kunnskapsbase
nav-admin-articles = Artikler
kb-title = Kunnskapsbase
kb-search-label = Søk i artikler
kb-search = Søk
kb-language = Språk
kb-language-any = Alle språk
kb-language-en = Engelsk
kb-language-nl = Nederlandsk
kb-language-fr = Fransk
kb-language-nb = Norsk
kb-language-sv = Svensk
kb-no-results = Fant ingen artikler. Prøv andre ord, eller opprett en sak.
kb-updated = Oppdatert { $when }
kb-applies-to = Gjelder for
kb-feedback-question = Var denne artikkelen nyttig?
kb-feedback-yes = Ja, den hjalp
kb-feedback-no = Nei
kb-feedback-sign-in = Logg inn for å fortelle oss om denne artikkelen hjalp deg.
kb-feedback-counts = { $count ->
    [0] Ingen har vurdert denne artikkelen ennå.
    [one] 1 person syntes denne var nyttig.
   *[other] { $count } personer syntes denne var nyttig.
}
kb-still-need-help = Trenger du fortsatt hjelp? Opprett en sak.
flash-kb-feedback = Takk for tilbakemeldingen.

kb-suggestions-title = Artikler som kanskje løser problemet
kb-suggestions-none = Skriv inn en tittel og en beskrivelse for å se artikler som kan hjelpe.
kb-suggestions-find = Finn artikler
kb-withdraw = Problemet mitt er løst: ikke opprett en sak
flash-case-deflected = Så bra at artikkelen løste problemet. Det ble ikke opprettet noen sak.
flash-case-withdrawn = Det ble ikke opprettet noen sak.

kb-admin-title = Artikler i kunnskapsbasen
kb-new = Ny artikkel
kb-edit-title = Rediger artikkel
kb-view = Vis slik leserne ser den
kb-field-title = Tittel
kb-field-body = Tekst (Markdown)
kb-markdown-hint = Markdown: # overskrifter, **fet skrift**, lister, [lenker](https://…) og tabeller. HTML vises som tekst.
kb-field-visibility = Synlig for
kb-visibility-public = Alle
kb-visibility-signed-in = Alle innloggede brukere
kb-visibility-enterprise = Bare bedrifts- og partnerbrukere
kb-field-status = Status
kb-status-draft = Utkast
kb-status-published = Publisert
kb-revisions = Revisjoner
kb-author = Forfatter
kb-when = Tidspunkt
flash-kb-saved = Artikkelen er lagret.

kb-report-title = Rapport over unngåtte saker
kb-report-period = { $count ->
    [one] Det siste døgnet.
   *[other] De siste { $count } dagene.
}
kb-report-drafts = Saker under utfylling der en foreslått artikkel ble lest
kb-report-deflected = Trukket tilbake etter lesing (sak unngått)
kb-report-cases = Opprettet som sak likevel
kb-report-opened = Lest under utfylling av en sak
kb-report-helpful = Nyttig
kb-report-not-helpful = Ikke nyttig

field-invalid-article-language = Velg ett av de fem språkene: en, nl, fr, nb eller sv.
field-invalid-visibility = Velg hvem som kan lese artikkelen: public, signed_in eller enterprise.
field-invalid-article-status = Velg draft (utkast) eller published (publisert).
field-unknown-product = Det finnes ikke noe produkt med denne ID-en.
field-unknown-product-line = Det finnes ingen produktlinje med denne ID-en.
field-invalid-draft = Dette saksutkastet er ikke gyldig.
kb-read-before = Artikler lest før saken ble åpnet
