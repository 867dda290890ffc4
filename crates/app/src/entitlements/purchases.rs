//! Pay per incident (ENT-6): a buyer pays for one incident or a five-pack and gets an agreement
//! of their own. Only through a configured payment provider; throttled per buyer and address;
//! retry-safe with an `Idempotency-Key`; the charge and its record run to the end together.

use super::AgreementView;
use crate::context::Context;
use crate::error::{AppError, AppResult};
use crate::payments::Card;
use supportal_domain::FieldErrors;
use supportal_domain::entitlement::{Scope, one_year_from};
use supportal_store::agreements::{self, AgreementInput, PurchaseKey, PurchaseRecord};
use supportal_store::sessions::SessionUser;
use supportal_store::throttle;

/// The programme of the agreements pay per incident creates, as stored; pages name it in the
/// reader's language (`programme-pay-per-incident`).
pub const PAY_PER_INCIDENT: &str = "Pay per incident";

#[derive(Debug)]
pub struct Purchase {
    pub purchase_id: supportal_domain::PurchaseId,
    pub agreement: AgreementView,
    pub amount_minor: i64,
    pub currency: String,
}

/// Purchases per buyer, and per calling address, in an hour: every attempt counts, declined
/// ones too, so nobody tries card numbers by the thousand.
pub const PURCHASE_LIMIT_ACCOUNT: i64 = 10;
pub const PURCHASE_LIMIT_ADDRESS: i64 = 20;

/// Where a purchase comes from: the caller's address, and the `Idempotency-Key` that makes a
/// retry return the first result instead of charging twice.
pub struct PurchaseRequest<'a> {
    pub pack: &'a str,
    pub region: &'a str,
    pub card: Card,
    pub ip: &'a str,
    pub key: Option<&'a str>,
}

/// ENT-6: buys one incident or a five-pack; the charge happens first, and only a successful
/// charge creates the buyer's own agreement (valid one year, every product, both scopes). Only
/// when the operator configured a payment provider (503 `payments_unavailable` otherwise).
pub async fn purchase(
    ctx: &Context,
    user: &SessionUser,
    request: PurchaseRequest<'_>,
) -> AppResult<Purchase> {
    let PurchaseRequest {
        pack,
        region,
        card,
        ip,
        key,
    } = request;
    let provider = ctx.payments.clone().ok_or_else(payments_unavailable)?;
    let mut errors = FieldErrors::new();
    let offer = ctx
        .config
        .offers
        .iter()
        .find(|o| o.code.eq_ignore_ascii_case(region.trim()))
        .cloned();
    if offer.is_none() {
        errors.add("region", "invalid_region");
    }
    let units = match pack {
        "single" => 1,
        "five_pack" => 5,
        _ => {
            errors.add("pack", "invalid_choice");
            0
        }
    };
    if card.number.chars().filter(|c| c.is_ascii_digit()).count() < 12 {
        errors.add("card_number", "invalid_card_number");
    }
    errors.required_text("card_holder", &card.holder, 100);
    let Some(offer) = offer.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let amount = match units {
        5 => offer
            .five_pack_minor
            .ok_or_else(|| AppError::field("pack", "pack_not_offered"))?,
        _ => offer.single_minor,
    };
    if let Some(done) = admit_purchase(ctx, user, ip, key).await? {
        return bought(ctx, user, done).await;
    }
    // The charge, its record and any refund run to the end in a task of their own: a timeout
    // or a client that goes away must not stop them between taking the money and writing it.
    let order = Order {
        pack: pack.to_owned(),
        offer,
        units,
        amount,
        card,
        key: key.map(str::to_owned),
    };
    let (ctx, user) = (ctx.clone(), user.clone());
    tokio::spawn(async move { settle(&ctx, &user, provider, order).await })
        .await
        .map_err(AppError::internal)?
}

/// A purchase let through, to charge and record.
struct Order {
    pack: String,
    offer: crate::payments::RegionOffer,
    units: i64,
    amount: i64,
    card: Card,
    key: Option<String>,
}

/// Charges the card, records the purchase, and gives the money back if it cannot be recorded.
async fn settle(
    ctx: &Context,
    user: &SessionUser,
    provider: std::sync::Arc<dyn crate::payments::PaymentProvider>,
    order: Order,
) -> AppResult<Purchase> {
    let Order {
        pack,
        offer,
        units,
        amount,
        card,
        key,
    } = order;
    let key = key.as_deref();
    let description = format!("Supportal {pack} ({units} incident)");
    let charged = provider
        .charge(amount, &offer.currency, &card, &description)
        .await;
    let receipt = match charged {
        Ok(receipt) => receipt,
        Err(declined) => {
            release_key(ctx, user, key).await;
            return Err(AppError::new(
                crate::error::Kind::PaymentRequired,
                declined.0,
            ));
        }
    };
    // The card is charged: if recording the purchase fails now, the charge is given back.
    let paid = Paid {
        pack: &pack,
        offer: &offer,
        units,
        amount,
        receipt: &receipt,
        key,
    };
    let recorded = record_purchase(ctx, user, &paid).await;
    let (purchase_id, row, end) = match recorded {
        Ok(recorded) => recorded,
        Err(e) => {
            let refunded = provider.refund(&receipt, amount, &offer.currency).await;
            match refunded {
                Ok(()) => {
                    tracing::warn!(user.id = %user.user_id(), provider_reference = %receipt.reference, amount, "purchase not recorded; the charge was refunded")
                }
                Err(why) => {
                    tracing::error!(user.id = %user.user_id(), provider_reference = %receipt.reference, amount, currency = %offer.currency, %why, "purchase not recorded and the refund failed: refund this charge by hand")
                }
            }
            release_key(ctx, user, key).await;
            return Err(e);
        }
    };
    tracing::info!(purchase.id = %purchase_id, user.id = %user.user_id(), amount, currency = offer.currency, "incident purchased");
    Ok(Purchase {
        purchase_id,
        agreement: AgreementView {
            usable_until: end,
            row,
            linked: true,
        },
        amount_minor: amount,
        currency: offer.currency.to_owned(),
    })
}

fn payments_unavailable() -> AppError {
    AppError::new(crate::error::Kind::Unavailable, "payments_unavailable")
}

/// Lets a purchase go on to the charge, or not: a key used before answers with its purchase
/// (`Some`) or 409 while that request is still charging; then the throttles count the attempt.
async fn admit_purchase(
    ctx: &Context,
    user: &SessionUser,
    ip: &str,
    key: Option<&str>,
) -> AppResult<Option<supportal_domain::PurchaseId>> {
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    if let Some(key) = key {
        match agreements::claim_purchase_key(&mut tx, user.user_id(), key, now).await? {
            PurchaseKey::Claimed => {}
            PurchaseKey::Done(id) => {
                tx.rollback().await?;
                return Ok(Some(id));
            }
            PurchaseKey::InProgress => {
                tx.rollback().await?;
                return Err(AppError::conflict("purchase_in_progress"));
            }
        }
    }
    let account = format!("purchase:account:{}", user.user_id());
    let address = format!("purchase:address:{ip}");
    let limits = [
        (account.as_str(), PURCHASE_LIMIT_ACCOUNT),
        (address.as_str(), PURCHASE_LIMIT_ADDRESS),
    ];
    match throttle::take(&mut tx, &limits, chrono::Duration::hours(1), now).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(None)
        }
        Err(wait) => {
            // Nothing is claimed: the key stays free for a later try.
            tx.rollback().await?;
            Err(AppError::throttled("too_many_purchases", wait))
        }
    }
}

/// Frees a key whose purchase did not happen; a failure only means the key stays claimed.
async fn release_key(ctx: &Context, user: &SessionUser, key: Option<&str>) {
    let Some(key) = key else { return };
    let released = async {
        let mut tx = ctx.db.begin().await?;
        agreements::release_purchase_key(&mut tx, user.user_id(), key).await?;
        tx.commit().await?;
        Ok::<(), AppError>(())
    };
    if let Err(e) = released.await {
        tracing::warn!(user.id = %user.user_id(), code = e.code, "idempotency key not released");
    }
}

/// The answer of an earlier purchase, for a retry with its key.
async fn bought(
    ctx: &Context,
    user: &SessionUser,
    id: supportal_domain::PurchaseId,
) -> AppResult<Purchase> {
    let mut tx = ctx.db.read().await?;
    let purchase = agreements::purchase(&mut tx, user.user_id(), id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let row = agreements::find(&mut tx, purchase.agreement_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.rollback().await?;
    Ok(Purchase {
        purchase_id: purchase.id,
        agreement: AgreementView {
            usable_until: row.end_date,
            row,
            linked: true,
        },
        amount_minor: purchase.amount_minor,
        currency: purchase.currency,
    })
}

/// What was charged, to be written down.
struct Paid<'a> {
    pack: &'a str,
    offer: &'a crate::payments::RegionOffer,
    units: i64,
    amount: i64,
    receipt: &'a crate::payments::Receipt,
    /// The request's `Idempotency-Key`, pointed at the purchase in the same transaction.
    key: Option<&'a str>,
}

/// Writes a paid purchase: the buyer's own agreement, linked, and the purchase record.
async fn record_purchase(
    ctx: &Context,
    user: &SessionUser,
    paid: &Paid<'_>,
) -> AppResult<(
    supportal_domain::PurchaseId,
    supportal_store::agreements::AgreementRow,
    chrono::NaiveDate,
)> {
    let start = ctx.today(user.time_zone.as_deref());
    let end = one_year_from(start);
    let access_id = format!("PPI-{}", &crate::auth::random_token()[..10].to_uppercase());
    let agreement_id = format!("{}", 700_000_000 + (rand_u32() % 100_000_000));
    let mut tx = ctx.db.begin().await?;
    let input = AgreementInput {
        access_id: &access_id,
        agreement_id: &agreement_id,
        programme: PAY_PER_INCIDENT,
        units: paid.units,
        start,
        end,
        grace_days: 0,
        scopes: &[Scope::OnPremises, Scope::Cloud],
        product_ids: &[],
    };
    let (id, _) = agreements::upsert(&mut tx, &input, ctx.now()).await?;
    agreements::link(&mut tx, id, user.user_id(), ctx.now()).await?;
    let record = PurchaseRecord {
        user: user.user_id(),
        pack: paid.pack,
        region: &paid.offer.code,
        units: paid.units,
        amount_minor: paid.amount,
        currency: &paid.offer.currency,
        provider_reference: &paid.receipt.reference,
        agreement: id,
    };
    let purchase_id = agreements::record_purchase(&mut tx, &record, ctx.now()).await?;
    // The receipt goes with the purchase: queued in its transaction, sent once it commits.
    let amount = crate::mail::Value::Money {
        minor: paid.amount,
        currency: paid.offer.currency.clone(),
    };
    let receipt = crate::mail::Message::to(
        user.email.clone(),
        &user.name,
        crate::mail::tn(
            "mail-receipt-subject",
            [("units", crate::mail::plain(paid.units))],
        ),
    )
    .paragraph(crate::mail::tn(
        "mail-receipt-body",
        [
            ("units", crate::mail::plain(paid.units)),
            ("amount", amount),
            ("reference", crate::mail::plain(&paid.receipt.reference)),
        ],
    ))
    .paragraph(crate::mail::tn(
        "mail-receipt-agreement",
        [
            ("access_id", crate::mail::plain(&access_id)),
            ("agreement_id", crate::mail::plain(&agreement_id)),
            ("end", crate::mail::plain(end)),
        ],
    ))
    .link(format!("{}/agreements", ctx.config.base_url));
    crate::mail::queue(ctx, &mut tx, receipt).await?;
    if let Some(key) = paid.key {
        agreements::complete_purchase_key(&mut tx, user.user_id(), key, purchase_id).await?;
    }
    let row = agreements::find(&mut tx, id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok((purchase_id, row, end))
}

fn rand_u32() -> u32 {
    use rand::Rng;
    rand::thread_rng().r#gen()
}
