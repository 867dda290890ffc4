# In-app notifications (NTF-1): the bell, the notifications page and the settings page.
notices-title = Notifications
notices-bell = { $count ->
    [0] No unread notifications
    [one] 1 unread notification
   *[other] { $count } unread notifications
}
notices-none = You have no notifications.
notices-new = New
notices-show-all = Show all
notices-show-unread = Show unread only
notices-older = Older notifications
notices-mark-all = { $count ->
    [one] Mark 1 as read
   *[other] Mark all { $count } as read
}
notices-settings-link = Notification settings
notices-settings-title = Notification settings
notices-settings-intro = Choose for each kind of notification whether it reaches you in the portal, by email, both or not at all. An invitation is always emailed, because its link is what accepts it.
notices-settings-kind = Notification
notices-settings-delivery = How you receive it
flash-notices-read = All notifications are marked as read.
flash-notices-settings-saved = Your notification settings have been saved.

notice-kind-case-reply = A reply on a case I follow
notice-kind-case-status = A status change of a case I follow
notice-kind-invitation = An invitation to a company
notice-kind-access-request = An answer to my access request
notice-kind-sla-breach = A missed SLA target in my queues
notice-kind-device-alert = An alert from one of my devices
notice-delivery-in-app = In the portal
notice-delivery-email = By email
notice-delivery-both = In the portal and by email
notice-delivery-none = Not at all

notice-case-reply = New reply on case { $number }: { $title }
notice-case-status = Case { $number } is now { $status }: { $title }
notice-invitation = You are invited to join { $company }
notice-access-request = Your access request { $number } has been answered
notice-sla-breach = { $target } on case { $number }: { $title }
notice-device-alert = Alert from device { $serial }: { $component }

field-invalid-notice-kind = This is not a kind of notification you can set.
field-invalid-delivery = Choose in the portal, by email, both or not at all.
field-too-many-ids = Too many at once: send at most 200.
