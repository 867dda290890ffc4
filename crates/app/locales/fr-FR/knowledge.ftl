# La base de connaissances (KB-1) : recherche, articles, commentaires, suggestions pendant la rédaction d'un dossier,
# l'éditeur du personnel et le rapport sur les dossiers évités.
nav-articles = Base de connaissances
nav-admin-articles = Articles
kb-title = Base de connaissances
kb-search-label = Rechercher des articles
kb-search = Rechercher
kb-language = Langue
kb-language-any = Toutes les langues
kb-language-en = Anglais
kb-language-nl = Néerlandais
kb-language-fr = Français
kb-language-nb = Norvégien
kb-language-sv = Suédois
kb-no-results = Aucun article trouvé. Essayez d'autres mots-clés ou ouvrez un dossier.
kb-updated = Mis à jour le { $when }
kb-applies-to = S'applique à
kb-feedback-question = Cet article vous a-t-il été utile ?
kb-feedback-yes = Oui, il m'a été utile
kb-feedback-no = Non
kb-feedback-sign-in = Connectez-vous pour nous indiquer si cet article vous a été utile.
kb-feedback-counts = { $count ->
    [0] Personne n'a encore évalué cet article.
    [one] 1 personne a trouvé cet article utile.
   *[other] { $count } personnes ont trouvé cet article utile.
}
kb-still-need-help = Vous avez encore besoin d'aide ? Ouvrez un dossier.
flash-kb-feedback = Merci pour vos commentaires.

kb-suggestions-title = Articles susceptibles de résoudre ce problème
kb-suggestions-none = Saisissez un titre et une description pour afficher les articles susceptibles de vous aider.
kb-suggestions-find = Rechercher des articles
kb-withdraw = Mon problème est résolu : ne pas ouvrir de dossier
flash-case-deflected = Nous sommes ravis que l'article ait résolu votre problème. Aucun dossier n'a été ouvert.
flash-case-withdrawn = Aucun dossier n'a été ouvert.

kb-admin-title = Articles de la base de connaissances
kb-new = Nouvel article
kb-edit-title = Modifier l'article
kb-view = Afficher tel que les lecteurs le voient
kb-field-title = Titre
kb-field-body = Texte (Markdown)
kb-markdown-hint = Markdown : # titres, **gras**, listes, [liens](https://…) et tableaux. Le HTML est affiché sous forme de texte.
kb-field-visibility = Visible par
kb-visibility-public = Tout le monde
kb-visibility-signed-in = Tous les utilisateurs connectés
kb-visibility-enterprise = Utilisateurs entreprise et partenaires uniquement
kb-field-status = État
kb-status-draft = Brouillon
kb-status-published = Publié
kb-revisions = Révisions
kb-author = Auteur
kb-when = Date
flash-kb-saved = L'article a été enregistré.

kb-report-title = Rapport sur les dossiers évités
kb-report-period = { $count ->
    [one] Le dernier jour.
   *[other] Les { $count } derniers jours.
}
kb-report-drafts = Dossiers en cours de rédaction dans lesquels un article suggéré a été consulté
kb-report-deflected = Abandonnés après lecture (dossier évité)
kb-report-cases = Ouverts malgré tout en tant que dossier
kb-report-opened = Consultés pendant la rédaction d'un dossier
kb-report-helpful = Utile
kb-report-not-helpful = Pas utile

field-invalid-article-language = Choisissez l'une des cinq langues : en, nl, fr, nb ou sv.
field-invalid-visibility = Choisissez qui peut lire l'article : public, signed_in ou enterprise.
field-invalid-article-status = Choisissez draft (brouillon) ou published (publié).
field-unknown-product = Aucun produit ne porte cet ID.
field-unknown-product-line = Aucune gamme de produits ne porte cet ID.
field-invalid-draft = Ce brouillon de dossier n'est pas valide.
kb-read-before = Articles lus avant l'ouverture
