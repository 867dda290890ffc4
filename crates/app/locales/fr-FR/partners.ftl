## Le canal partenaires (PTN-1 à PTN-6)

error-invalid-feed-token = Ce jeton de flux n'est pas valide ou a été révoqué.
error-invalid-device-token = Ce jeton d'appareil n'est pas valide pour cet appareil.
error-not-a-partner = Seule une société partenaire peut être inscrite au programme partenaires.
error-dashboard-name-taken = Vous disposez déjà d'un tableau de bord client portant ce nom.
error-alerts-locked-until-first-device = Les alertes en libre-service ne peuvent être désactivées qu'après l'ajout du premier appareil à ce tableau de bord.
error-unknown-device-or-cpin = Le code PIN client ou le numéro de série est inconnu.
error-concurrent-report = Certains de ces appareils ont été signalés au même moment par un autre flux. Renvoyez le lot.
error-alert-case-exists = Un dossier de réparation a déjà été soumis pour cette alerte.
error-service-partner-required = Seul un partenaire de prestation de services peut effectuer cette opération, pour les dossiers de sa file de réparation.
error-claim-exists = Une demande de remboursement pour ce dossier est déjà en attente ou approuvée.
error-claim-decided = Une décision a déjà été prise pour cette demande de remboursement.

field-invalid-cpin = Saisissez le code PIN client tel que vous l'avez reçu (par exemple C-7K3M9Q2X4P).
field-too-many = Trop de valeurs : saisissez-en 1 000 au maximum.
field-unknown-partner = Aucune société partenaire ne porte ce numéro.
field-serial-already-reported = Ce numéro de série a déjà été signalé pour une autre vente.
field-duplicate-serial = Ce numéro de série apparaît deux fois avec des informations différentes.
field-date-in-future = La date ne peut pas se situer dans le futur.
field-invalid-currency = Saisissez un code de devise à trois lettres, par exemple EUR.

partner-missing-title = { $count ->
    [one] Appareil absent de la page Appareils non attribués
   *[other] { $count } appareils absents de la page Appareils non attribués
}
partner-repair-title = Réparation : alerte { $code } ({ $component })
partner-alert-device = Appareil
partner-alert-code = Alerte

mail-alert-subject = Alerte matérielle sur votre appareil { $serial }
mail-alert-body = Votre appareil { $serial } a signalé un problème concernant le composant { $component } (alerte { $code }). Cliquez sur Afficher pour confirmer vos coordonnées et soumettre un dossier de réparation.
mail-claim-approved-subject = Demande de remboursement approuvée pour le dossier { $number }
mail-claim-approved-body = Votre demande de remboursement pour le dossier { $number } a été approuvée : { $amount }.
mail-claim-rejected-subject = Demande de remboursement refusée pour le dossier { $number }
mail-claim-rejected-body = Votre demande de remboursement pour le dossier { $number } ({ $amount }) a été refusée. Le motif figure ci-dessous.
