//! Mail rendered for its reader at delivery, and the job runner's leases across two processes.

use crate::support::{TestApp, code_in, on_both};
use axum::http::StatusCode;
use serde_json::json;
use supportal_app::i18n::Lang;
use supportal_app::jobs::{DESK, LEASE, MAIL, PRUNE, Runner};
use supportal_app::mail::{self, Message, t};
use supportal_store::testing::ScratchPostgres;
use supportal_store::{Db, jobs, outbox};

/// The `.eml` files delivery wrote for `app`, as text.
fn delivered_files(app: &TestApp) -> Vec<String> {
    let dir = app.state.config.outbox_dir();
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn mail_is_written_in_the_language_of_its_reader_and_keeps_no_code_once_sent() {
    on_both(|app: TestApp| async move {
        let english = Lang::default();
        let dutch = Lang::negotiate(Some("nl"));
        let ops = app.operator_admin().await;
        app.company(&ops, "Acme", "acme.test", "boss@acme.test").await;
        let token = app.member("nora@acme.test").await;
        let first = app.mails("nora@acme.test").await;
        assert_eq!(
            first.last().map(|m| m.0.clone()),
            Some(english.t("mail-verify-subject")),
            "no profile yet: the default language"
        );

        let profile = app.get("/api/v1/me/profile", &token).await;
        let site = profile.body["sites"][0]["id"].clone();
        let pin = profile.body["pins"][0]["id"].clone();
        let res = app
            .put(
                "/api/v1/me/profile",
                &token,
                json!({ "phone": "+31 20 555 0101", "contact_method": "email", "language": "nl", "time_zone": "Europe/Amsterdam", "country": "NL", "site_id": site, "default_pin_id": pin }),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
        app.state.clock.advance(chrono::Duration::minutes(2));
        let res = app
            .post("/api/v1/auth/password-reset", None, json!({ "email": "nora@acme.test" }))
            .await;
        assert!(res.status.is_success(), "{}", res.text);
        let queued = app.mails("nora@acme.test").await;
        assert_eq!(queued[0].0, dutch.t("mail-reset-subject"));
        assert!(queued[0].1.contains("Beste Company Member"), "{}", queued[0].1);
        let code = code_in(&queued[0].1).expect("the queued message has its code");

        let sent = supportal_app::mail::deliver_due(&app.state).await.expect("delivered");
        assert!(sent >= 2, "{sent}");
        let files = delivered_files(&app);
        assert!(
            files.iter().any(|f| f.contains(&dutch.t("mail-reset-subject")) && f.contains(&code)),
            "the reader got the code in Dutch"
        );
        let kept = app.mails("nora@acme.test").await;
        assert_eq!(kept[0].0, dutch.t("mail-reset-subject"), "the subject is kept");
        assert!(
            kept.iter().all(|(_, body)| code_in(body).is_none()),
            "no code is kept once sent: {kept:?}"
        );
        let mut tx = app.state.db.read().await.expect("read");
        let rows = outbox::to_address(&mut tx, "nora@acme.test").await.expect("rows");
        tx.rollback().await.expect("rollback");
        assert!(rows.iter().all(|r| r.secrets.is_none() && !r.intent.contains(&code)));
    })
    .await;
}

/// Two contexts on two connection pools to one PostgreSQL database: two processes, as far as
/// the database can tell.
#[tokio::test]
async fn two_processes_share_the_jobs_by_their_leases() {
    let Some(url) = std::env::var("SUPPORTAL_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!(
            "skipped: set SUPPORTAL_TEST_POSTGRES_URL to run the job leases across two processes"
        );
        return;
    };
    let scratch = ScratchPostgres::create(&url)
        .await
        .expect("scratch database");
    let dir = tempfile::tempdir().expect("temp dir");
    let config = supportal_app::Config::new(dir.path().to_path_buf(), "http://portal.test".into());
    let a = supportal_app::Context::new(scratch.db.clone(), config.clone());
    let other_pool = Db::connect(scratch.url()).await.expect("second pool");
    let b = supportal_app::Context::new(other_pool, config);
    let (ra, rb) = (Runner::new(a.clone()), Runner::new(b.clone()));
    ra.ensure_jobs().await.expect("jobs");
    rb.ensure_jobs().await.expect("jobs");

    // Both look at once: every due job runs once, in one process or the other.
    let (x, y) = tokio::join!(ra.run_due(), rb.run_due());
    let mut ran = [x.expect("a"), y.expect("b")].concat();
    ran.sort();
    assert_eq!(ran, [DESK, MAIL, PRUNE]);
    assert!(
        ra.run_due().await.expect("a").is_empty(),
        "nothing is due again at once"
    );

    // A process claims the prune and dies: the other takes it over once the lease runs out.
    let advance = |by: chrono::Duration| {
        a.clock.advance(by);
        b.clock.advance(by);
    };
    advance(chrono::Duration::hours(2));
    let mut tx = a.db.begin().await.expect("tx");
    let held = jobs::claim(&mut tx, PRUNE, "a-process-that-dies", a.now(), LEASE)
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    assert!(held.is_some());
    assert!(
        !rb.run_due().await.expect("b").contains(&PRUNE.to_owned()),
        "held by the other"
    );
    advance(LEASE + chrono::Duration::seconds(1));
    assert!(
        rb.run_due().await.expect("b").contains(&PRUNE.to_owned()),
        "taken over"
    );

    // Mail queued by one process wakes delivery in the other at once (LISTEN/NOTIFY): its
    // runner polls only every minute, and nothing in its own process tells it.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner = rb
        .clone()
        .polling_every(std::time::Duration::from_secs(60))
        .spawn(stopped);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut tx = a.db.begin().await.expect("tx");
    let message = Message::to("pia@acme.test", "Pia", t("mail-verify-subject"))
        .secret_highlight("424242".into());
    mail::queue(&a, &mut tx, message).await.expect("queued");
    tx.commit().await.expect("commit");
    let mut delivered = false;
    for _ in 0..100 {
        let mut tx = a.db.read().await.expect("read");
        let rows = outbox::to_address(&mut tx, "pia@acme.test")
            .await
            .expect("rows");
        tx.rollback().await.expect("rollback");
        if rows.iter().all(|r| r.sent_at.is_some()) && !rows.is_empty() {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(delivered, "delivered by the other process within seconds");
    let _ = stop.send(true);
    runner.await.expect("runner");
    b.db.close().await;
    scratch.drop_database().await.expect("drop");
}

/// On SQLite there is no `NOTIFY`: mail queued in the process wakes its runner at once.
#[tokio::test]
async fn mail_queued_in_the_process_wakes_its_runner() {
    let app = crate::support::sqlite_app().await;
    let ctx = app.state.ctx.clone();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let runner = Runner::new(ctx.clone())
        .polling_every(std::time::Duration::from_secs(60))
        .spawn(stopped);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut tx = ctx.db.begin().await.expect("tx");
    let message = Message::to("pia@acme.test", "Pia", t("mail-verify-subject"))
        .secret_highlight("424242".into());
    mail::queue(&ctx, &mut tx, message).await.expect("queued");
    tx.commit().await.expect("commit");
    let mut delivered = false;
    for _ in 0..100 {
        if delivered_files(&app).iter().any(|f| f.contains("424242")) {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(delivered, "delivered within seconds, not at the next poll");
    let _ = stop.send(true);
    runner.await.expect("runner");
}

/// A failed run waits before the next try, longer each time; only the lease holder finishes.
#[tokio::test]
async fn a_failed_job_waits_and_only_its_holder_finishes_it() {
    on_both(|app: TestApp| async move {
        let ctx = app.state.ctx.clone();
        Runner::new(ctx.clone()).ensure_jobs().await.expect("jobs");
        let claim = |holder: &'static str| {
            let ctx = ctx.clone();
            async move {
                let mut tx = ctx.db.begin().await.expect("tx");
                let job = jobs::claim(&mut tx, PRUNE, holder, ctx.now(), LEASE)
                    .await
                    .expect("claim");
                tx.commit().await.expect("commit");
                job
            }
        };
        let job = claim("first").await.expect("due at the start");
        assert!(claim("second").await.is_none(), "held");
        let mut tx = ctx.db.begin().await.expect("tx");
        assert!(
            !jobs::finish(&mut tx, &job, "second", ctx.now())
                .await
                .expect("finish"),
            "not the holder"
        );
        jobs::fail(&mut tx, &job, "first", "disk full", ctx.now())
            .await
            .expect("fail");
        tx.commit().await.expect("commit");
        assert!(claim("second").await.is_none(), "waits after a failure");
        ctx.clock.advance(chrono::Duration::seconds(61));
        let again = claim("second").await.expect("due again");
        assert_eq!(again.attempts, 2, "{again:?}");
        let mut tx = ctx.db.begin().await.expect("tx");
        assert!(
            jobs::finish(&mut tx, &again, "second", ctx.now())
                .await
                .expect("finish")
        );
        tx.commit().await.expect("commit");
        assert!(claim("third").await.is_none(), "due an hour later");
        ctx.clock.advance(chrono::Duration::minutes(61));
        let next = claim("third").await.expect("due");
        assert_eq!((next.attempts, next.runs), (1, 1), "{next:?}");
    })
    .await;
}

/// A message queued before mail was kept as intent was rendered then: it goes out as it is.
#[tokio::test]
async fn mail_queued_before_the_upgrade_is_still_delivered() {
    on_both(|app: TestApp| async move {
        let now = chrono::Utc::now();
        let row = vec![
            supportal_store::Arg::from("old@acme.test"),
            supportal_store::Arg::from("Verify your Supportal account"),
            supportal_store::Arg::from("Hello Old,\n\n    654321\n"),
            supportal_store::Arg::from("<p>654321</p>"),
            supportal_store::Arg::from(now),
            supportal_store::Arg::from(now),
        ];
        supportal_store::tools::insert_rows(
            &app.state.db,
            "outbox",
            &[
                "to_addr",
                "subject",
                "text_body",
                "html_body",
                "created_at",
                "next_attempt_at",
            ],
            vec![row],
        )
        .await
        .expect("a row of the old kind");
        let sent = supportal_app::mail::deliver_due(&app.state)
            .await
            .expect("delivered");
        assert_eq!(sent, 1);
        assert!(
            delivered_files(&app)
                .iter()
                .any(|f| f.contains("Verify your Supportal account") && f.contains("654321"))
        );
    })
    .await;
}

/// A message that cannot be delivered does not keep its code forever, nor stay forever.
#[tokio::test]
async fn undeliverable_mail_loses_its_secrets_and_then_goes() {
    on_both(|app: TestApp| async move {
        let ctx = app.state.ctx.clone();
        let mut tx = ctx.db.begin().await.expect("tx");
        let message = Message::to("nobody@acme.test", "Nobody", t("mail-verify-subject"))
            .secret_highlight("777777".into());
        mail::queue(&ctx, &mut tx, message).await.expect("queued");
        tx.commit().await.expect("commit");
        let unsent = |ctx: supportal_app::Context| async move {
            let mut tx = ctx.db.read().await.expect("read");
            let rows = outbox::to_address(&mut tx, "nobody@acme.test")
                .await
                .expect("rows");
            tx.rollback().await.expect("rollback");
            rows
        };
        ctx.clock.advance(chrono::Duration::days(15));
        let pruned = supportal_app::jobs::prune_if_due(&ctx)
            .await
            .expect("prune")
            .expect("due");
        assert_eq!(pruned.mail_secrets, 1, "{pruned:?}");
        let rows = unsent(ctx.clone()).await;
        assert!(rows.len() == 1 && rows[0].secrets.is_none() && rows[0].sent_at.is_none());
        ctx.clock.advance(chrono::Duration::days(16));
        let pruned = supportal_app::jobs::prune_if_due(&ctx)
            .await
            .expect("prune")
            .expect("due");
        assert!(pruned.mails >= 1, "{pruned:?}");
        assert!(unsent(ctx.clone()).await.is_empty());
    })
    .await;
}

/// A worker that overstays its claim on a message cannot record over the worker that took it.
#[tokio::test]
async fn only_the_holder_of_a_claim_records_the_outcome() {
    on_both(|app: TestApp| async move {
        let ctx = app.state.ctx.clone();
        let mut tx = ctx.db.begin().await.expect("tx");
        mail::queue(
            &ctx,
            &mut tx,
            Message::to("slow@acme.test", "Slow", t("mail-verify-subject")),
        )
        .await
        .expect("queued");
        tx.commit().await.expect("commit");
        let claim = |token: &'static str, at: chrono::DateTime<chrono::Utc>| {
            let ctx = ctx.clone();
            async move {
                let mut tx = ctx.db.begin().await.expect("tx");
                let rows = outbox::claim(&mut tx, at, 20, token).await.expect("claim");
                tx.commit().await.expect("commit");
                rows
            }
        };
        let now = ctx.now();
        let first = claim("first", now).await;
        assert_eq!(first.len(), 1);
        assert!(claim("second", now).await.is_empty(), "held");
        let later = now + chrono::Duration::minutes(6);
        let second = claim("second", later).await;
        assert_eq!(
            second.len(),
            1,
            "the lease ran out: another worker takes it"
        );
        let sent = |id| {
            vec![outbox::Sent {
                id,
                subject: "s".into(),
                text: "t".into(),
                html: "h".into(),
            }]
        };
        let mut tx = ctx.db.begin().await.expect("tx");
        outbox::mark_sent(&mut tx, &sent(first[0].id), later, "first")
            .await
            .expect("mark");
        outbox::mark_failed(&mut tx, first[0].id, 1, "timed out", later, "first")
            .await
            .expect("mark");
        let rows = outbox::to_address(&mut tx, "slow@acme.test")
            .await
            .expect("rows");
        assert!(
            rows[0].sent_at.is_none(),
            "the first worker's outcome is not recorded"
        );
        outbox::mark_sent(&mut tx, &sent(second[0].id), later, "second")
            .await
            .expect("mark");
        let rows = outbox::to_address(&mut tx, "slow@acme.test")
            .await
            .expect("rows");
        tx.commit().await.expect("commit");
        assert!(rows[0].sent_at.is_some(), "the holder's is");
    })
    .await;
}
