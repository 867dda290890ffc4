# Live chat (CHAT-1): starting a chat, the chat page, recent chats, a case from a chat and the
# engineers' chat console.
nav-chat = Chat with support
nav-chats = Chats
chat-title = Chat with support
chat-intro = An engineer of our support desk answers you here. If all engineers are busy, you wait in line and see your place.
chat-field-subject = Subject
chat-field-message = Message
chat-start = Start the chat
chat-send = Send
chat-end = End the chat
chat-take = Take this chat
chat-open = Open
chat-desk = Support
chat-position = { $count ->
    [one] You are next in line.
   *[other] Your place in line: { $count }
}
chat-with = You are chatting with { $name }.
chat-joined = { $name } joined the chat.
chat-status-waiting = Waiting
chat-status-active = In progress
chat-status-ended = The chat has ended.
chat-closed = Our chat desk is closed at the moment. Open a case and we will get back to you during business hours.
chat-open-case-instead = Open a case instead
chat-recent = Recent chats
chat-recent-none = You have not chatted with us yet.
chat-transcript = Transcript
chat-transcript-heading = Chat: { $subject }
chat-became-case = Became case { $number }
chat-to-case = Turn into a case
flash-chat-ended = The chat has ended. Its transcript is kept under Recent chats.
flash-chat-case = The case has been opened with the chat's transcript attached.

chat-case-title = Turn the chat into a case
chat-case-intro = The case gets the chat's transcript as its description and as an attached file. Tell us what it is about.
chat-case-about = The case is about
chat-case-serial = A product with a serial number
chat-case-agreement = An incident agreement
chat-case-product = A product without a serial number (its product number)
chat-case-value = Serial number, agreement ID or product number
chat-case-severity = Severity (1 is the most urgent)

chat-console-title = Chat console
chat-console-none = No chats are waiting or in progress.
chat-customer = Customer
chat-queue = Queue
chat-state = State

error-chat-closed = The chat desk is closed at the moment; open a case instead.
error-chat-customers-only = Only a customer's verified account can start a chat.
error-chat-ended = This chat has ended.
error-chat-full = This chat holds as many messages as it can; start a new one.
error-chat-taken = Another engineer has taken this chat.
error-cross-origin = This request did not come from the portal's own pages.
chat-console-position = Place in line: { $count }
chat-console-with = With { $name }
chat-case-country = Country of the equipment (if your profile has none)
