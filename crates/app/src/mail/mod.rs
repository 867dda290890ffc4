//! Email as intent (NTF-1): an operation queues what a message says — message ids and their
//! values — and for whom, inside its own transaction (`queue`). The message is rendered when it
//! is delivered (`delivery`), in the recipient's language and time zone; the values that must
//! not outlive delivery (codes, links with tokens) are stored apart and dropped once it is sent.

mod delivery;

pub use delivery::{deliver_due, preview};

use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use askama::Template;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use supportal_store::Tx;
use supportal_store::outbox::{self, Email};

/// The channel that wakes mail delivery in every process (PostgreSQL `NOTIFY`).
pub const CHANNEL: &str = "supportal_mail";

/// A text of a message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Text {
    /// A Fluent message, looked up in the reader's language.
    Message {
        id: String,
        args: Vec<(String, Value)>,
    },
    /// Written by a person (a case title): shown as it is.
    Verbatim(String),
}

/// A value in a message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Shown as it is (a case number, a company name).
    Plain(String),
    /// A message id, shown in the reader's language (a status, a role).
    Message(String),
    /// A moment, shown in the reader's time zone.
    Time(DateTime<Utc>),
    /// An amount in minor units and its currency, written the reader's way.
    Money { minor: i64, currency: String },
    /// The n-th secret of the message: shown to its reader, not kept once it is sent.
    Secret(usize),
}

/// A message id without values.
pub fn t(id: &str) -> Text {
    Text::Message {
        id: id.to_owned(),
        args: Vec::new(),
    }
}

/// A message id with its values.
pub fn tn<const N: usize>(id: &str, args: [(&str, Value); N]) -> Text {
    Text::Message {
        id: id.to_owned(),
        args: args.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    }
}

/// A value shown as it is.
pub fn plain(value: impl ToString) -> Value {
    Value::Plain(value.to_string())
}

/// What a message says, without its secrets: what the outbox keeps.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Intent {
    pub subject: Text,
    pub greeting: Text,
    pub paragraphs: Vec<Text>,
    /// A code or a number that stands out.
    pub highlight: Option<Value>,
    pub link: Option<Value>,
    /// The case a reply to this message goes to (`Reply-To`, when inbound mail is set up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_case: Option<String>,
}

/// One message to queue: its recipient, what it says, and its secrets.
#[derive(Debug, Clone)]
pub struct Message {
    pub to: String,
    pub intent: Intent,
    secrets: Vec<String>,
}

impl Message {
    /// A message to `to` about `subject`, greeting the reader by `name`.
    pub fn to(to: impl Into<String>, name: &str, subject: Text) -> Message {
        Message {
            to: to.into(),
            intent: Intent {
                subject,
                greeting: tn("mail-greeting", [("name", plain(name))]),
                paragraphs: Vec::new(),
                highlight: None,
                link: None,
                reply_case: None,
            },
            secrets: Vec::new(),
        }
    }

    /// A message to someone whose name is not known yet: greeted without one.
    pub fn to_anyone(to: impl Into<String>, subject: Text) -> Message {
        let mut message = Message::to(to, "", subject);
        message.intent.greeting = t("mail-greeting-plain");
        message
    }

    pub fn paragraph(mut self, text: Text) -> Message {
        self.intent.paragraphs.push(text);
        self
    }

    /// A value that stands out (a case number).
    pub fn highlight(mut self, value: impl ToString) -> Message {
        self.intent.highlight = Some(plain(value));
        self
    }

    /// A code that stands out, not kept once the message is sent.
    pub fn secret_highlight(mut self, code: String) -> Message {
        self.intent.highlight = Some(self.secret(code));
        self
    }

    pub fn link(mut self, url: String) -> Message {
        self.intent.link = Some(Value::Plain(url));
        self
    }

    /// Replies to this message thread into case `number` (`reply_address`).
    pub fn reply_to_case(mut self, number: &str) -> Message {
        self.intent.reply_case = Some(number.to_owned());
        self
    }

    /// A link that carries a token, not kept once the message is sent.
    pub fn secret_link(mut self, url: String) -> Message {
        self.intent.link = Some(self.secret(url));
        self
    }

    fn secret(&mut self, value: String) -> Value {
        self.secrets.push(value);
        Value::Secret(self.secrets.len() - 1)
    }
}

/// Queues a message in `tx`; it is sent only if the transaction commits. Delivery is woken in
/// every process when it does (`CHANNEL`), and in this one at once.
pub async fn queue(ctx: &Context, tx: &mut Tx, message: Message) -> AppResult<()> {
    outbox::enqueue(tx, &stored(message)?, ctx.now()).await?;
    supportal_store::notify(tx, CHANNEL).await?;
    ctx.mail_wakeup.notify_one();
    Ok(())
}

/// The stored form of a message: its intent and its secrets apart (a case's opening writes it
/// in its own statement).
pub fn stored(message: Message) -> AppResult<Email> {
    let intent = serde_json::to_string(&message.intent).map_err(AppError::internal)?;
    let secrets = match message.secrets.is_empty() {
        true => None,
        false => Some(serde_json::to_string(&message.secrets).map_err(AppError::internal)?),
    };
    Ok(Email {
        to: message.to,
        intent,
        secrets,
    })
}

/// A message rendered for one reader.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The case a reply goes to.
    pub reply_case: Option<String>,
}

/// The address that threads a reply into case `number`, for the recipient it is sent to: the
/// inbound address with the number and a tag after a `+`
/// (`cases+5001234567.3f9a…@reply.example.com`). The tag is a keyed hash of the number and the
/// recipient, so an address cannot be made up, nor used by someone it was not sent to.
pub fn reply_address(inbound: &str, secret: &str, number: &str, recipient: &str) -> Option<String> {
    let (local, domain) = inbound.rsplit_once('@')?;
    let tag = reply_tag(secret, number, recipient);
    Some(format!("{local}+{number}.{tag}@{domain}"))
}

fn reply_tag(secret: &str, number: &str, recipient: &str) -> String {
    let keyed = format!("{secret}\n{number}\n{}", recipient.trim().to_lowercase());
    crate::auth::sha256_hex(&keyed)[..20].to_owned()
}

/// How an address a message was sent to relates to a case (`reply_address`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyTo {
    /// A reply to case mail sent to this sender.
    Case(String),
    /// A case's reply address, but not one sent to this sender.
    OtherSender,
    /// Not a case's reply address.
    NotOurs,
}

/// Reads a case's reply address back, checking its tag against the sender.
pub fn case_of_address(inbound: &str, secret: &str, address: &str, sender: &str) -> ReplyTo {
    let parse = || {
        let (local, domain) = inbound.rsplit_once('@')?;
        let (to_local, to_domain) = address.trim().rsplit_once('@')?;
        if !to_domain.eq_ignore_ascii_case(domain) {
            return None;
        }
        let rest = to_local.strip_prefix(local)?.strip_prefix('+')?;
        let (number, tag) = rest.split_once('.')?;
        supportal_domain::case::is_case_number(number).then(|| (number.to_owned(), tag.to_owned()))
    };
    match parse() {
        None => ReplyTo::NotOurs,
        Some((number, tag)) => {
            let expected = reply_tag(secret, &number, sender);
            if crate::auth::same_secret(&tag.to_lowercase(), &expected) {
                ReplyTo::Case(number)
            } else {
                ReplyTo::OtherSender
            }
        }
    }
}

#[cfg(test)]
mod reply_tests {
    use super::*;

    #[test]
    fn reply_addresses_are_bound_to_their_case_and_recipient() {
        let inbound = "cases@reply.example.test";
        let address =
            reply_address(inbound, "s3cret", "5001234567", "Anna@Acme.test").expect("address");
        assert!(
            address.starts_with("cases+5001234567.") && address.ends_with("@reply.example.test")
        );
        assert_eq!(
            case_of_address(inbound, "s3cret", &address, "anna@acme.test"),
            ReplyTo::Case("5001234567".into())
        );
        assert_eq!(
            case_of_address(inbound, "s3cret", &address, "mallory@evil.test"),
            ReplyTo::OtherSender
        );
        assert_eq!(
            case_of_address(inbound, "other", &address, "anna@acme.test"),
            ReplyTo::OtherSender
        );
        let forged = address.replace("5001234567", "5001234568");
        assert_eq!(
            case_of_address(inbound, "s3cret", &forged, "anna@acme.test"),
            ReplyTo::OtherSender
        );
        assert_eq!(
            case_of_address(
                inbound,
                "s3cret",
                "cases+5001234567@reply.example.test",
                "anna@acme.test"
            ),
            ReplyTo::NotOurs
        );
        assert_eq!(
            case_of_address(
                inbound,
                "s3cret",
                "someone@reply.example.test",
                "anna@acme.test"
            ),
            ReplyTo::NotOurs
        );
    }
}

/// What the templates fill in.
struct Parts {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    highlight: Option<String>,
    link: Option<String>,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlMail<'a> {
    m: &'a Parts,
    footer: String,
    lang: String,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct TextMail<'a> {
    m: &'a Parts,
    footer: String,
}

/// What a secret shows as once it is gone.
const MASK: &str = "••••••";

/// Renders `intent` for a reader of `lang`, with its secrets, or masked where there are none.
pub fn render(lang: &Lang, intent: &Intent, secrets: Option<&[String]>) -> AppResult<Rendered> {
    let value = |v: &Value| match v {
        Value::Plain(s) => s.clone(),
        Value::Message(id) => lang.t(id),
        Value::Time(at) => lang.datetime(at),
        Value::Money { minor, currency } => lang.money(*minor, currency),
        Value::Secret(n) => secrets
            .and_then(|s| s.get(*n))
            .cloned()
            .unwrap_or_else(|| MASK.to_owned()),
    };
    let text = |t: &Text| match t {
        Text::Verbatim(s) => s.clone(),
        Text::Message { id, args } => {
            let args: Vec<(&str, String)> =
                args.iter().map(|(k, v)| (k.as_str(), value(v))).collect();
            lang.tn(id, &args)
        }
    };
    let parts = Parts {
        subject: text(&intent.subject),
        greeting: text(&intent.greeting),
        paragraphs: intent.paragraphs.iter().map(text).collect(),
        highlight: intent.highlight.as_ref().map(value),
        link: intent.link.as_ref().map(value),
    };
    let footer = lang.t("mail-footer");
    let html = HtmlMail {
        m: &parts,
        footer: footer.clone(),
        lang: lang.code(),
    }
    .render()
    .map_err(AppError::internal)?;
    let text = TextMail { m: &parts, footer }
        .render()
        .map_err(AppError::internal)?;
    Ok(Rendered {
        subject: parts.subject,
        text,
        html,
        reply_case: intent.reply_case.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_in_the_readers_language_and_zone_and_masks_spent_secrets() {
        let at: DateTime<Utc> = "2026-12-01T12:00:00Z".parse().expect("time");
        let message = Message::to("ada@acme.test", "Ada", t("mail-verify-subject"))
            .paragraph(tn("mail-case-opened-at", [("time", Value::Time(at))]))
            .secret_highlight("123456".into());
        let secrets = message.secrets.clone();
        let dutch = Lang::negotiate(Some("nl")).in_zone(Some("Europe/Amsterdam"));
        let sent = render(&dutch, &message.intent, Some(&secrets)).expect("render");
        assert_eq!(
            sent.subject,
            Lang::negotiate(Some("nl")).t("mail-verify-subject")
        );
        assert!(sent.text.contains("Beste Ada"), "{}", sent.text);
        assert!(sent.text.contains("13:00"), "{}", sent.text);
        assert!(sent.text.contains("123456") && sent.html.contains("123456"));
        let kept = render(&Lang::default(), &message.intent, None).expect("render");
        assert!(!kept.text.contains("123456") && kept.text.contains(MASK));
        assert!(kept.text.contains("Hello Ada") && kept.text.contains("12:00 UTC"));
    }

    #[test]
    fn the_intent_round_trips_through_json_without_its_secrets() {
        let message = Message::to("ada@acme.test", "Ada", t("mail-reset-subject"))
            .secret_link("https://portal.test/invitations/abc".into());
        let stored = stored(message.clone()).expect("stored");
        assert!(!stored.intent.contains("abc"), "{}", stored.intent);
        assert!(stored.secrets.as_deref().is_some_and(|s| s.contains("abc")));
        let back: Intent = serde_json::from_str(&stored.intent).expect("json");
        assert_eq!(back, message.intent);
    }
}
