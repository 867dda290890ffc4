## Les pages du canal partenaires

nav-partner-devices = Appareils non attribués
nav-partner-customers = Clients
nav-partner-repairs = Dossiers de réparation
nav-partner-claims = Demandes de remboursement
nav-admin-partners = Partenaires
nav-admin-claims = Demandes de remboursement

flash-saved = Vos modifications ont été enregistrées.
flash-devices-moved = Les appareils ont été déplacés vers le tableau de bord du client.
flash-missing-sent = Votre demande a été envoyée à l'assistance.
flash-dashboard-created = Le tableau de bord client a été créé.
flash-repair-sent = Le dossier de réparation a été soumis.
flash-claim-sent = Votre demande de remboursement a été soumise pour approbation.

service-plan-premium = Premium
service-plan-premium_plus = Premium+
programme-resell_monitor = Revente et supervision
programme-service_delivery = Prestation de services
claim-status-submitted = En attente d'approbation
claim-status-approved = Approuvée
claim-status-rejected = Refusée
claim-status-all = Toutes les demandes
alert-severity-critical = Critique
alert-severity-warning = Avertissement
alert-severity-info = Information
alert-routed-end_user = envoyée à l'utilisateur final
alert-routed-partner = envoyée au partenaire
device-event-reported = Signalé par le flux de ventes
device-event-transferred = Déplacé vers un tableau de bord client
device-event-enrolled = Inscrit avec le code PIN client
device-event-agent_token = Agent installé

partner-devices-title = Appareils non attribués
partner-devices-intro = Les appareils que vous avez revendus et qui ne figurent encore sur aucun tableau de bord client. Seule votre société peut consulter cette liste.
partner-devices-none = Aucun appareil non attribué. Les appareils apparaissent ici dès qu'un distributeur les signale.
partner-select = Sélectionner
partner-col-plan = Plan de service
partner-col-sold-on = Date de vente
partner-col-customer = Client
partner-col-devices = Appareils
partner-make-dashboard-first = Créez d'abord un tableau de bord client pour pouvoir y déplacer des appareils.
partner-move-to = Déplacer les appareils sélectionnés vers
partner-move = Déplacer les appareils
partner-missing-heading = Appareils absents de cette liste
partner-missing-intro = Si des appareils que vous avez revendus n'apparaissent pas, envoyez leurs numéros de série à l'assistance : ils seront ajoutés.
partner-serials = Numéros de série (un par ligne)
partner-note = Note
partner-missing-send = Envoyer la demande
partner-row = Ligne { $row }

partner-device-title = Appareil
partner-unassigned = Non attribué
partner-device-name = Nom de l'appareil
partner-agent = Agent d'appareil
partner-agent-installed = Installé
partner-agent-none = Non installé
partner-agent-token = Jeton d'appareil
partner-agent-token-once = Copiez dès maintenant ce jeton dans l'agent d'appareil : il ne s'affiche qu'une seule fois.
partner-agent-install = Installer l'agent d'appareil
partner-agent-intro = Tant que l'appareil ne figure pas sur un tableau de bord client, ses alertes sont envoyées à son utilisateur final. Saisissez l'adresse e-mail de l'utilisateur final pour lui envoyer les alertes.
partner-end-user-email = Adresse e-mail de l'utilisateur final
partner-agent-issue = Émettre un jeton d'appareil
partner-history = Historique
partner-alerts = Alertes
partner-alerts-none = Aucune alerte.

partner-customers-title = Clients
partner-customers-none = Vous n'avez encore aucun tableau de bord client.
partner-cpin = Code PIN client (cPIN)
partner-self-service = Alertes en libre-service
partner-on = Activées
partner-off = Désactivées
partner-new-customer = Nouveau tableau de bord client
partner-customer-name = Nom du client
partner-create-dashboard = Créer le tableau de bord

partner-customer-title = Tableau de bord client
partner-cpin-intro = Le client ajoute ses appareils en saisissant ce cPIN dans l'agent d'appareil.
partner-dashboard-empty = Aucun appareil sur ce tableau de bord pour l'instant.
partner-transfer-serials = Déplacer des appareils depuis Appareils non attribués (numéros de série, un par ligne)
partner-transfer = Déplacer les appareils
partner-bulk-file = Fichier (CSV ou Excel) comportant une colonne serial_number
partner-bulk-enrol = Inscrire les appareils du fichier
partner-moved = { $count ->
    [one] { $count } appareil a été déplacé.
   *[other] { $count } appareils ont été déplacés.
}
partner-not-unassigned = Aucun appareil n'a été déplacé. Ces numéros de série ne font pas partie de vos appareils non attribués : { $serials }
partner-settings-alerts = Paramètres : Alertes
partner-alerts-locked = Les alertes en libre-service s'activent automatiquement lors de l'ajout du premier appareil à ce tableau de bord. Ce n'est qu'ensuite que vous pouvez les désactiver.
partner-alerts-off = Désactiver les alertes en libre-service
partner-alerts-on = Activer les alertes en libre-service
partner-alerts-intro = Lorsque les alertes en libre-service sont activées, l'utilisateur final de l'appareil reçoit chaque alerte et peut soumettre un dossier de réparation. Lorsqu'elles sont désactivées, les alertes arrivent à la place sur ce tableau de bord.
partner-alerts-received = Alertes reçues sur ce tableau de bord
partner-submit-repair = Soumettre un dossier de réparation

partner-cases-title = Dossiers de réparation
partner-claims-title = Demandes de remboursement
partner-claims-none = Aucune demande de remboursement.
partner-claim-parts = Pièces
partner-labour-minutes = Main-d'œuvre (minutes)
partner-labour-amount = Montant de la main-d'œuvre
partner-amount = Montant
partner-new-claim = Nouvelle demande de remboursement
partner-claim-case = Dossier de réparation
partner-part-number = Référence de la pièce
partner-quantity = Quantité
partner-line-amount = Montant de cette ligne
partner-currency = Devise
partner-claim-submit = Soumettre la demande

admin-partners-title = Partenaires
admin-programmes = Programme partenaires
admin-programme = Programme
admin-not-enrolled = Non inscrite
admin-enrol = Inscrire
admin-change-programme = Changer de programme
admin-withdraw = Retirer du programme
admin-no-partners = Aucune société partenaire pour l'instant.
admin-feed-tokens = Jetons de flux
admin-token-once = Remettez dès maintenant ce jeton au distributeur : il ne s'affiche qu'une seule fois.
admin-token-created = Créé le
admin-token-used = Dernière utilisation
admin-revoke = Révoquer
admin-revoked = Révoqué
admin-token-name = Distributeur
admin-issue-token = Émettre un jeton de flux
admin-device-sales = Ajouter des appareils signalés
admin-device-sales-intro = Importez un fichier de ventes d'appareils comportant les colonnes serial_number, sku, service_plan, partner_company_id, sold_on et reference, par exemple pour ajouter des appareils qu'un partenaire a signalés comme manquants.
admin-device-sales-done = Appareils ajoutés : { $created }.
admin-device-sales-load = Charger les appareils
admin-claims-title = Demandes de remboursement
admin-claim-approve = Approuver
admin-claim-reject = Refuser

alert-title = Alerte matérielle
alert-confirm = Soumettre un dossier de réparation
alert-confirm-intro = Confirmez vos coordonnées. L'alerte est jointe au dossier de réparation.
alert-case-opened = Votre dossier de réparation a été soumis
alert-case-opened-intro = Conservez ce numéro pour tout contact avec l'assistance. Vous recevrez les mises à jour par e-mail.

home-alerts-title = Alertes matérielles sur vos appareils
home-alert-view = Afficher
