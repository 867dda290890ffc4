# De kennisbank (KB-1): zoeken, artikelen, feedback, suggesties terwijl een case wordt opgesteld,
# de editor voor medewerkers en het rapport over voorkomen cases.
nav-articles = Kennisbank
nav-admin-articles = Artikelen
kb-title = Kennisbank
kb-search-label = Artikelen zoeken
kb-search = Zoeken
kb-language = Taal
kb-language-any = Alle talen
kb-language-en = Engels
kb-language-nl = Nederlands
kb-language-fr = Frans
kb-language-nb = Noors
kb-language-sv = Zweeds
kb-no-results = Geen artikelen gevonden. Probeer andere zoekwoorden of open een case.
kb-updated = Bijgewerkt op { $when }
kb-applies-to = Van toepassing op
kb-feedback-question = Was dit artikel nuttig?
kb-feedback-yes = Ja, dit heeft geholpen
kb-feedback-no = Nee
kb-feedback-sign-in = Meld u aan om ons te laten weten of dit artikel u heeft geholpen.
kb-feedback-counts = { $count ->
    [0] Niemand heeft dit artikel nog beoordeeld.
    [one] 1 persoon vond dit nuttig.
   *[other] { $count } personen vonden dit nuttig.
}
kb-still-need-help = Hebt u nog steeds hulp nodig? Open een case.
flash-kb-feedback = Hartelijk dank voor uw feedback.

kb-suggestions-title = Artikelen die dit probleem mogelijk oplossen
kb-suggestions-none = Voer een titel en een beschrijving in om artikelen te zien die u mogelijk verder helpen.
kb-suggestions-find = Artikelen zoeken
kb-withdraw = Mijn probleem is opgelost: geen case openen
flash-case-deflected = Fijn dat het artikel uw probleem heeft opgelost. Er is geen case geopend.
flash-case-withdrawn = Er is geen case geopend.

kb-admin-title = Kennisbankartikelen
kb-new = Nieuw artikel
kb-edit-title = Artikel bewerken
kb-view = Bekijken zoals lezers het zien
kb-field-title = Titel
kb-field-body = Tekst (Markdown)
kb-markdown-hint = Markdown: # koppen, **vet**, lijsten, [links](https://…) en tabellen. HTML wordt als tekst weergegeven.
kb-field-visibility = Zichtbaar voor
kb-visibility-public = Iedereen
kb-visibility-signed-in = Alle aangemelde gebruikers
kb-visibility-enterprise = Alleen zakelijke gebruikers en partnergebruikers
kb-field-status = Status
kb-status-draft = Concept
kb-status-published = Gepubliceerd
kb-revisions = Revisies
kb-author = Auteur
kb-when = Datum
flash-kb-saved = Het artikel is opgeslagen.

kb-report-title = Rapport voorkomen cases
kb-report-period = { $count ->
    [one] De afgelopen dag.
   *[other] De afgelopen { $count } dagen.
}
kb-report-drafts = Cases in voorbereiding waarin een voorgesteld artikel is gelezen
kb-report-deflected = Ingetrokken na het lezen (case voorkomen)
kb-report-cases = Toch als case geopend
kb-report-opened = Gelezen tijdens het opstellen van een case
kb-report-helpful = Nuttig
kb-report-not-helpful = Niet nuttig

field-invalid-article-language = Kies een van de vijf talen: en, nl, fr, nb of sv.
field-invalid-visibility = Kies wie het artikel mag lezen: public, signed_in of enterprise.
field-invalid-article-status = Kies draft (concept) of published (gepubliceerd).
field-unknown-product = Er is geen product met deze ID.
field-unknown-product-line = Er is geen productlijn met deze ID.
field-invalid-draft = Dit caseconcept is niet geldig.
kb-read-before = Artikelen gelezen vóór het openen
