## The partner channel's pages

nav-partner-devices = Unassigned devices
nav-partner-customers = Customers
nav-partner-repairs = Repair cases
nav-partner-claims = Claims
nav-admin-partners = Partners
nav-admin-claims = Claims

flash-saved = Your changes have been saved.
flash-devices-moved = The devices have been moved to the customer's dashboard.
flash-missing-sent = Your request has been sent to support.
flash-dashboard-created = The customer dashboard has been created.
flash-repair-sent = The repair case has been submitted.
flash-claim-sent = Your claim has been submitted for approval.

service-plan-premium = Premium
service-plan-premium_plus = Premium+
programme-resell_monitor = Resell and monitor
programme-service_delivery = Service delivery
claim-status-submitted = Waiting for approval
claim-status-approved = Approved
claim-status-rejected = Rejected
claim-status-all = All claims
alert-severity-critical = Critical
alert-severity-warning = Warning
alert-severity-info = Information
alert-routed-end_user = sent to the end user
alert-routed-partner = sent to the partner
device-event-reported = Reported by the sales feed
device-event-transferred = Moved to a customer dashboard
device-event-enrolled = Enrolled with the customer PIN
device-event-agent_token = Agent installed

partner-devices-title = Unassigned devices
partner-devices-intro = The devices you resold that are not yet on a customer's dashboard. Only your company can see this list.
partner-devices-none = No unassigned devices. Devices appear here once a distributor reports them.
partner-select = Select
partner-col-plan = Service plan
partner-col-sold-on = Sold on
partner-col-customer = Customer
partner-col-devices = Devices
partner-make-dashboard-first = Create a customer dashboard first to move devices to it.
partner-move-to = Move the selected devices to
partner-move = Move devices
partner-missing-heading = Devices missing from this list
partner-missing-intro = If devices you resold are not shown, send their serial numbers to support and they will be added.
partner-serials = Serial numbers (one per line)
partner-note = Note
partner-missing-send = Send request
partner-row = Row { $row }

partner-device-title = Device
partner-unassigned = Unassigned
partner-device-name = Device name
partner-agent = Device agent
partner-agent-installed = Installed
partner-agent-none = Not installed
partner-agent-token = Device token
partner-agent-token-once = Copy this token into the device agent now: it is shown only once.
partner-agent-install = Install the device agent
partner-agent-intro = Before the device is on a customer's dashboard, its alerts go to its end user. Enter the end user's email address to send them the alerts.
partner-end-user-email = End user's email address
partner-agent-issue = Issue a device token
partner-history = History
partner-alerts = Alerts
partner-alerts-none = No alerts.

partner-customers-title = Customers
partner-customers-none = You have no customer dashboards yet.
partner-cpin = Customer PIN (cPIN)
partner-self-service = Self-service alerts
partner-on = On
partner-off = Off
partner-new-customer = New customer dashboard
partner-customer-name = Customer name
partner-create-dashboard = Create dashboard

partner-customer-title = Customer dashboard
partner-cpin-intro = The customer adds its devices by entering this cPIN in the device agent.
partner-dashboard-empty = No devices on this dashboard yet.
partner-transfer-serials = Move devices from Unassigned devices (serial numbers, one per line)
partner-transfer = Move devices
partner-bulk-file = File (CSV or Excel) with a serial_number column
partner-bulk-enrol = Enrol devices from the file
partner-moved = { $count ->
    [one] One device has been moved.
   *[other] { $count } devices have been moved.
}
partner-not-unassigned = Nothing was moved. These serial numbers are not among your unassigned devices: { $serials }
partner-settings-alerts = Settings: Alerts
partner-alerts-locked = Self-service alerts switch on by themselves when the first device is added to this dashboard. Only after that can you switch them off.
partner-alerts-off = Switch self-service alerts off
partner-alerts-on = Switch self-service alerts on
partner-alerts-intro = With self-service alerts on, the device's end user receives each alert and can submit a repair case. With them off, alerts come to this dashboard instead.
partner-alerts-received = Alerts received on this dashboard
partner-submit-repair = Submit repair case

partner-cases-title = Repair cases
partner-claims-title = Claims
partner-claims-none = No claims.
partner-claim-parts = Parts
partner-labour-minutes = Labour (minutes)
partner-labour-amount = Labour amount
partner-amount = Amount
partner-new-claim = New reimbursement claim
partner-claim-case = Repair case
partner-part-number = Part number
partner-quantity = Quantity
partner-line-amount = Amount for this line
partner-currency = Currency
partner-claim-submit = Submit claim

admin-partners-title = Partners
admin-programmes = Partner programme
admin-programme = Programme
admin-not-enrolled = Not enrolled
admin-enrol = Enrol
admin-change-programme = Change programme
admin-withdraw = Withdraw
admin-no-partners = No partner companies yet.
admin-feed-tokens = Feed tokens
admin-token-once = Give this token to the distributor now: it is shown only once.
admin-token-created = Created
admin-token-used = Last used
admin-revoke = Revoke
admin-revoked = Revoked
admin-token-name = Distributor
admin-issue-token = Issue a feed token
admin-device-sales = Add reported devices
admin-device-sales-intro = Load a file of device sales with the columns serial_number, sku, service_plan, partner_company_id, sold_on and reference, for example to add devices a partner reported missing.
admin-device-sales-done = { $created } devices added.
admin-device-sales-load = Load devices
admin-claims-title = Reimbursement claims
admin-claim-approve = Approve
admin-claim-reject = Reject

alert-title = Hardware alert
alert-confirm = Submit a repair case
alert-confirm-intro = Confirm your contact details. The alert is attached to the repair case.
alert-case-opened = Your repair case has been submitted
alert-case-opened-intro = Keep this number for any contact with support. You will receive updates by email.

home-alerts-title = Hardware alerts on your devices
home-alert-view = View
