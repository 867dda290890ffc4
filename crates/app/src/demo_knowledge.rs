//! The demo's knowledge base and chat (issue 13): articles for the demo's products in the five
//! languages and each visibility, one draft, and a chat Bram had with the desk, kept under his
//! recent chats.

use crate::chat::{self, StartBody};
use crate::context::Context;
use crate::demo_desk::as_user;
use crate::error::AppResult;
use crate::knowledge::{self, ArticleBody, Find};

/// A demo article: title, Markdown, language, visibility, status and the SKUs it is for.
type Demo = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

const ARTICLES: [Demo; 9] = [
    (
        "Loud fans on the ProServer R740",
        "If the fans of a **ProServer R740** run loud all the time:\n\n1. Check that the air inlets are free of dust and that the fan filters are clean.\n2. Update the BIOS and the iLO firmware: older firmware drives the fans harder than needed.\n3. Look in the event log for a fan that reports *below threshold*.\n\nA fan that still runs loud after a firmware update usually needs replacing: open a case and attach the event log.",
        "en",
        "public",
        "published",
        &["PS-R740"],
    ),
    (
        "Ventilatoren van de ProServer R740 maken veel lawaai",
        "Maken de ventilatoren van een **ProServer R740** voortdurend veel lawaai?\n\n1. Controleer of de luchtinlaten stofvrij zijn en de filters schoon.\n2. Werk het BIOS en de iLO-firmware bij.\n3. Zoek in het gebeurtenislogboek naar een ventilator onder de drempelwaarde.",
        "nl",
        "public",
        "published",
        &["PS-R740"],
    ),
    (
        "Ventilateurs bruyants sur le ProServer R740",
        "Si les ventilateurs d'un **ProServer R740** sont bruyants en permanence :\n\n1. Vérifiez que les entrées d'air et les filtres sont propres.\n2. Mettez à jour le BIOS et le micrologiciel iLO.\n3. Cherchez dans le journal un ventilateur sous le seuil.",
        "fr",
        "public",
        "published",
        &["PS-R740"],
    ),
    (
        "Viftene på ProServer R740 bråker",
        "Hvis viftene på en **ProServer R740** bråker hele tiden:\n\n1. Sjekk at luftinntakene og filtrene er rene.\n2. Oppdater BIOS og iLO-fastvaren.\n3. Se etter en vifte under terskelverdien i hendelsesloggen.",
        "nb",
        "public",
        "published",
        &["PS-R740"],
    ),
    (
        "Fläktarna på ProServer R740 låter mycket",
        "Om fläktarna på en **ProServer R740** låter hela tiden:\n\n1. Kontrollera att luftintagen och filtren är rena.\n2. Uppdatera BIOS och iLO-firmware.\n3. Leta i händelseloggen efter en fläkt under tröskelvärdet.",
        "sv",
        "public",
        "published",
        &["PS-R740"],
    ),
    (
        "The TravelBook 14 G5 battery no longer charges",
        "When the battery of a **TravelBook 14 G5** stops charging, run the battery check (press F2 at start, then *Battery test*). A battery that fails the test is covered by the parts-only warranty: open a case with the test's code.",
        "en",
        "signed_in",
        "published",
        &["TB-14G5"],
    ),
    (
        "Replacing a StoreArray A200 controller online",
        "The **StoreArray A200** keeps serving data while one controller is replaced. Only enterprise customers with a 4-hour contract get the part shipped ahead; the steps are in the service guide section 7.",
        "en",
        "enterprise",
        "published",
        &["ST-A200"],
    ),
    (
        "Where to find your serial number",
        "The serial number is on the label at the back or underneath the device, and in the BIOS under *System information*. For software, use the product number (SKU) instead.",
        "en",
        "public",
        "published",
        &[],
    ),
    (
        "ProServer R740 firmware 2.14 release notes",
        "Draft: what changes in firmware 2.14, fan curves included.",
        "en",
        "public",
        "draft",
        &["PS-R740"],
    ),
];

/// Writes the articles as the operator's admin.
pub async fn load(ctx: &Context) -> AppResult<()> {
    let ops = as_user(ctx, "admin@operator.test").await?;
    for (title, markdown, language, visibility, status, skus) in ARTICLES {
        let mut product_ids = Vec::new();
        for sku in skus {
            let mut tx = ctx.db.read().await?;
            if let Some(p) = supportal_store::catalog::find_by_sku(&mut tx, sku).await? {
                product_ids.push(p.id.get());
            }
            tx.rollback().await?;
        }
        let body = ArticleBody {
            title: title.into(),
            body_markdown: markdown.into(),
            language: language.into(),
            visibility: visibility.into(),
            status: status.into(),
            product_ids,
            product_line_ids: Vec::new(),
        };
        knowledge::save(ctx, &ops, None, &body).await?;
    }
    // Bram read an article and still chatted; the desk answered, and the chat ended.
    let bram = as_user(ctx, "bram@northwind.test").await?;
    let found = knowledge::find(
        ctx,
        Some(&bram),
        &Find {
            q: "battery charges".into(),
            ..Find::default()
        },
    )
    .await?;
    let start = StartBody {
        subject: "TravelBook battery".into(),
        message: Some(format!(
            "I tried \"{}\" but the battery test gives code 2E.",
            found
                .first()
                .map(|h| h.title.as_str())
                .unwrap_or("the battery article")
        )),
    };
    let (view, _) = chat::start(ctx, &bram, &start).await?;
    let id = view.chat.id;
    chat::take(ctx, &ops, id).await?;
    chat::send(
        ctx,
        &ops,
        id,
        "Code 2E means the battery failed: we will ship a new one under the warranty.",
    )
    .await?;
    chat::send(ctx, &bram, id, "Great, thank you!").await?;
    chat::end(ctx, &bram, id).await?;
    Ok(())
}
