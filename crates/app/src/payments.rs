//! Charging for pay-per-incident purchases (ENT-6). `PaymentProvider` is the seam for a real
//! processor; `TestPaymentProvider` accepts the documented test cards only, and runs only where
//! the settings name it (`payment_provider = "test"`; the demo does).

use std::future::Future;
use std::pin::Pin;

/// What the buyer typed. The number is never stored or logged.
pub struct Card {
    pub number: String,
    pub holder: String,
}

#[derive(Debug, Clone)]
pub struct Receipt {
    pub reference: String,
}

/// A refusal with a stable code the buyer sees as a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined(pub &'static str);

pub type ChargeFuture<'a> = Pin<Box<dyn Future<Output = Result<Receipt, Declined>> + Send + 'a>>;

/// A refund the processor did not take, with its reason (for the log: staff must act on it).
pub type RefundFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

pub trait PaymentProvider: Send + Sync {
    /// Charges `amount_minor` of `currency` at once.
    fn charge<'a>(
        &'a self,
        amount_minor: i64,
        currency: &'a str,
        card: &'a Card,
        description: &'a str,
    ) -> ChargeFuture<'a>;

    /// Gives back a whole charge: used when what was paid for could not be recorded.
    fn refund<'a>(
        &'a self,
        receipt: &'a Receipt,
        amount_minor: i64,
        currency: &'a str,
    ) -> RefundFuture<'a>;
}

/// The payment providers a deployment can name in its settings (`payment_provider`). Only the
/// built-in test provider so far; a real processor plugs in through `PaymentProvider`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Accepts the documented test cards: for the demo and trials, never for real money.
    Test,
}

impl ProviderKind {
    pub fn parse(value: &str) -> Option<ProviderKind> {
        match value {
            "test" => Some(ProviderKind::Test),
            _ => None,
        }
    }

    pub fn provider(self) -> std::sync::Arc<dyn PaymentProvider> {
        match self {
            ProviderKind::Test => std::sync::Arc::new(TestPaymentProvider),
        }
    }
}

/// Test cards: `4242 4242 4242 4242` is accepted; `4000 0000 0000 0002` is declined; any other
/// number is refused as not a test card.
pub struct TestPaymentProvider;

pub const TEST_CARD_OK: &str = "4242424242424242";
pub const TEST_CARD_DECLINED: &str = "4000000000000002";

impl PaymentProvider for TestPaymentProvider {
    fn charge<'a>(
        &'a self,
        amount_minor: i64,
        _currency: &'a str,
        card: &'a Card,
        _description: &'a str,
    ) -> ChargeFuture<'a> {
        Box::pin(async move {
            let digits: String = card.number.chars().filter(|c| c.is_ascii_digit()).collect();
            match digits.as_str() {
                _ if amount_minor <= 0 => Err(Declined("payment_invalid_amount")),
                TEST_CARD_OK => Ok(Receipt {
                    reference: format!("test_{}", crate::auth::random_token()[..16].to_owned()),
                }),
                TEST_CARD_DECLINED => Err(Declined("card_declined")),
                _ => Err(Declined("card_not_accepted")),
            }
        })
    }

    fn refund<'a>(
        &'a self,
        receipt: &'a Receipt,
        _amount_minor: i64,
        _currency: &'a str,
    ) -> RefundFuture<'a> {
        Box::pin(async move {
            match receipt.reference.starts_with("test_") {
                true => Ok(()),
                false => Err(format!("{} is not a test charge", receipt.reference)),
            }
        })
    }
}

/// What a region offers: prices in minor units; `five_pack` is absent where it is not sold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionOffer {
    pub code: String,
    pub currency: String,
    pub single_minor: i64,
    #[serde(default)]
    pub five_pack_minor: Option<i64>,
}

/// The default offers; a deployment replaces them in `Config::offers`.
pub fn default_offers() -> Vec<RegionOffer> {
    vec![
        RegionOffer {
            code: "EU".into(),
            currency: "EUR".into(),
            single_minor: 49_900,
            five_pack_minor: Some(199_900),
        },
        RegionOffer {
            code: "NORDICS".into(),
            currency: "EUR".into(),
            single_minor: 49_900,
            five_pack_minor: Some(199_900),
        },
        RegionOffer {
            code: "UK".into(),
            currency: "GBP".into(),
            single_minor: 42_900,
            five_pack_minor: None,
        },
        RegionOffer {
            code: "NA".into(),
            currency: "USD".into(),
            single_minor: 49_900,
            five_pack_minor: Some(199_900),
        },
    ]
}
