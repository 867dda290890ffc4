# The knowledge base (KB-1): search, articles, feedback, suggestions while a case is written,
# the staff's editor and the deflection report.
nav-articles = Knowledge base
nav-admin-articles = Articles
kb-title = Knowledge base
kb-search-label = Search articles
kb-search = Search
kb-language = Language
kb-language-any = Any language
kb-language-en = English
kb-language-nl = Dutch
kb-language-fr = French
kb-language-nb = Norwegian
kb-language-sv = Swedish
kb-no-results = No articles found. Try other words, or open a case.
kb-updated = Updated { $when }
kb-applies-to = Applies to
kb-feedback-question = Was this article helpful?
kb-feedback-yes = Yes, it helped
kb-feedback-no = No
kb-feedback-sign-in = Sign in to tell us whether this article helped.
kb-feedback-counts = { $count ->
    [0] Nobody has rated this article yet.
    [one] 1 person found this helpful.
   *[other] { $count } people found this helpful.
}
kb-still-need-help = Still need help? Open a case.
flash-kb-feedback = Thank you for your feedback.

kb-suggestions-title = Articles that may solve this
kb-suggestions-none = Type a title and a description to see articles that may help.
kb-suggestions-find = Find articles
kb-withdraw = My problem is solved: do not open a case
flash-case-deflected = Good to hear the article solved it. No case was opened.
flash-case-withdrawn = No case was opened.

kb-admin-title = Knowledge articles
kb-new = New article
kb-edit-title = Edit article
kb-view = View as readers see it
kb-field-title = Title
kb-field-body = Text (Markdown)
kb-markdown-hint = Markdown: # headings, **bold**, lists, [links](https://…) and tables. HTML is shown as text.
kb-field-visibility = Visible to
kb-visibility-public = Everyone
kb-visibility-signed-in = Everyone signed in
kb-visibility-enterprise = Enterprise and partner users only
kb-field-status = State
kb-status-draft = Draft
kb-status-published = Published
kb-revisions = Revisions
kb-author = By
kb-when = When
flash-kb-saved = The article has been saved.

kb-report-title = Deflection report
kb-report-period = { $count ->
    [one] The last day.
   *[other] The last { $count } days.
}
kb-report-drafts = Cases being written in which a suggested article was read
kb-report-deflected = Withdrawn after reading (deflected)
kb-report-cases = Opened as a case anyway
kb-report-opened = Read while writing a case
kb-report-helpful = Helpful
kb-report-not-helpful = Not helpful

field-invalid-article-language = Choose one of the five languages: en, nl, fr, nb or sv.
field-invalid-visibility = Choose who may read it: public, signed_in or enterprise.
field-invalid-article-status = Choose draft or published.
field-unknown-product = There is no product with this id.
field-unknown-product-line = There is no product line with this id.
field-invalid-draft = This case draft is not valid.
kb-read-before = Articles read before opening
