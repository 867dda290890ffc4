## The partner channel (PTN-1 to PTN-6)

error-invalid-feed-token = This feed token is not valid or was revoked.
error-invalid-device-token = This device token is not valid for this device.
error-not-a-partner = Only a partner company can be enrolled in the partner programme.
error-dashboard-name-taken = You already have a customer dashboard with this name.
error-alerts-locked-until-first-device = Self-service alerts can be switched off only after the first device has been added to this dashboard.
error-unknown-device-or-cpin = The customer PIN or the serial number is not known.
error-concurrent-report = Some of these devices were reported at the same moment by another feed. Send the batch again.
error-alert-case-exists = A repair case was already submitted for this alert.
error-service-partner-required = Only a service delivery partner can do this, for cases in its repair queue.
error-claim-exists = A claim for this case is already waiting or approved.
error-claim-decided = This claim has already been decided.

field-invalid-cpin = Enter the customer PIN as you received it (for example C-7K3M9Q2X4P).
field-too-many = Too many values: enter at most 1,000.
field-unknown-partner = There is no partner company with this number.
field-serial-already-reported = This serial number was reported before with another sale.
field-duplicate-serial = This serial number appears twice with different details.
field-date-in-future = The date cannot be in the future.
field-invalid-currency = Enter a three-letter currency code, such as EUR.

partner-missing-title = { $count ->
    [one] Device missing from Unassigned devices
   *[other] { $count } devices missing from Unassigned devices
}
partner-repair-title = Repair: { $component } alert { $code }
partner-alert-device = Device
partner-alert-code = Alert

mail-alert-subject = Hardware alert on your device { $serial }
mail-alert-body = Your device { $serial } reported a problem with its { $component } (alert { $code }). Open View to confirm your contact details and submit a repair case.
mail-claim-approved-subject = Claim approved for case { $number }
mail-claim-approved-body = Your reimbursement claim for case { $number } has been approved: { $amount }.
mail-claim-rejected-subject = Claim rejected for case { $number }
mail-claim-rejected-body = Your reimbursement claim for case { $number } ({ $amount }) has been rejected. The reason is below.
