# Notifications dans l'application (NTF-1) : la cloche, la page des notifications et la page des paramètres.
notices-title = Notifications
notices-bell = { $count ->
    [0] Aucune notification non lue
    [one] 1 notification non lue
   *[other] { $count } notifications non lues
}
notices-none = Vous n'avez aucune notification.
notices-new = Nouvelle
notices-show-all = Tout afficher
notices-show-unread = Afficher uniquement les non lues
notices-older = Notifications plus anciennes
notices-mark-all = { $count ->
    [one] Marquer 1 notification comme lue
   *[other] Marquer les { $count } notifications comme lues
}
notices-settings-link = Paramètres des notifications
notices-settings-title = Paramètres des notifications
notices-settings-intro = Choisissez, pour chaque type de notification, si vous la recevez sur le portail, par e-mail, les deux ou pas du tout. Une invitation est toujours envoyée par e-mail, car c'est son lien qui permet de l'accepter.
notices-settings-kind = Notification
notices-settings-delivery = Mode de réception
flash-notices-read = Toutes les notifications ont été marquées comme lues.
flash-notices-settings-saved = Vos paramètres de notification ont été enregistrés.

notice-kind-case-reply = Une réponse dans un dossier que je suis
notice-kind-case-status = Un changement d'état d'un dossier que je suis
notice-kind-invitation = Une invitation à rejoindre une société
notice-kind-access-request = Une réponse à ma demande d'accès
notice-kind-sla-breach = Un objectif de niveau de service dépassé dans mes files d'attente
notice-kind-device-alert = Une alerte de l'un de mes appareils
notice-delivery-in-app = Sur le portail
notice-delivery-email = Par e-mail
notice-delivery-both = Sur le portail et par e-mail
notice-delivery-none = Pas du tout

notice-case-reply = Nouvelle réponse dans le dossier { $number } : { $title }
notice-case-status = Le dossier { $number } est désormais à l'état { $status } : { $title }
notice-invitation = Vous êtes invité(e) à rejoindre { $company }
notice-access-request = Votre demande d'accès { $number } a été traitée
notice-sla-breach = { $target } pour le dossier { $number } : { $title }
notice-device-alert = Alerte de l'appareil { $serial } : { $component }

field-invalid-notice-kind = Ce type de notification ne peut pas être paramétré.
field-invalid-delivery = Choisissez sur le portail, par e-mail, les deux ou pas du tout.
field-too-many-ids = Trop d'éléments à la fois : envoyez-en 200 au maximum.
