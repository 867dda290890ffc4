# Chat en direct (CHAT-1) : démarrer un chat, la page du chat, les chats récents, un dossier créé à partir d'un chat et la
# console de chat des ingénieurs.
nav-chat = Chat avec l'assistance
nav-chats = Chats
chat-title = Chat avec l'assistance
chat-intro = Un ingénieur de notre centre de support vous répond ici. Si tous les ingénieurs sont occupés, vous patientez dans la file d'attente et votre position s'affiche.
chat-field-subject = Objet
chat-field-message = Message
chat-start = Démarrer le chat
chat-send = Envoyer
chat-end = Mettre fin au chat
chat-take = Prendre en charge ce chat
chat-open = Ouvrir
chat-desk = Assistance
chat-position = { $count ->
    [one] Vous êtes en première position dans la file d'attente.
   *[other] Votre position dans la file d'attente : { $count }
}
chat-with = Vous discutez avec { $name }.
chat-joined = { $name } a rejoint le chat.
chat-status-waiting = En attente
chat-status-active = En cours
chat-status-ended = Le chat est terminé.
chat-closed = Notre service de chat est actuellement fermé. Ouvrez un dossier et nous reviendrons vers vous pendant les heures ouvrées.
chat-open-case-instead = Ouvrir plutôt un dossier
chat-recent = Chats récents
chat-recent-none = Vous n'avez encore eu aucun chat avec nous.
chat-transcript = Transcription
chat-transcript-heading = Chat : { $subject }
chat-became-case = Converti en dossier { $number }
chat-to-case = Convertir en dossier
flash-chat-ended = Le chat est terminé. Sa transcription est conservée dans la section Chats récents.
flash-chat-case = Le dossier a été ouvert, avec la transcription du chat en pièce jointe.

chat-case-title = Convertir le chat en dossier
chat-case-intro = La transcription du chat sert de description au dossier et y est jointe sous forme de fichier. Indiquez-nous l'objet du dossier.
chat-case-about = Le dossier concerne
chat-case-serial = Un produit avec un numéro de série
chat-case-agreement = Un accord d'incidents
chat-case-product = Un produit sans numéro de série (sa référence de produit)
chat-case-value = Numéro de série, ID d'accord ou référence du produit
chat-case-severity = Gravité (1 correspond au niveau le plus urgent)

chat-console-title = Console de chat
chat-console-none = Aucun chat en attente ou en cours.
chat-customer = Client
chat-queue = File d'attente
chat-state = État

error-chat-closed = Le service de chat est actuellement fermé. Ouvrez plutôt un dossier.
error-chat-customers-only = Seul un compte client vérifié peut démarrer un chat.
error-chat-ended = Ce chat est terminé.
error-chat-full = Ce chat a atteint le nombre maximal de messages. Démarrez-en un nouveau.
error-chat-taken = Un autre ingénieur a déjà pris en charge ce chat.
error-cross-origin = Cette requête ne provient pas des pages du portail lui-même.
chat-console-position = Position dans la file : { $count }
chat-console-with = Avec { $name }
chat-case-country = Pays de l'équipement (si votre profil n'en indique pas)
