//! Write transactions on SQLite: rollback when dropped, change counts, failures, turns.

use super::{Db, Tx, sql};

async fn scratch() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open_sqlite_file(&dir.path().join("t.db"))
        .await
        .expect("open");
    let mut tx = db.begin().await.expect("begin");
    sql("CREATE TABLE t (n INTEGER NOT NULL)")
        .execute(&mut tx)
        .await
        .expect("create");
    tx.commit().await.expect("commit");
    (dir, db)
}

async fn count(tx: &mut Tx) -> i64 {
    sql("SELECT COUNT(*) AS v FROM t")
        .fetch_i64(tx)
        .await
        .expect("count")
}

async fn insert(tx: &mut Tx, n: i64) -> u64 {
    sql("INSERT INTO t (n) VALUES ($1)")
        .bind(n)
        .execute(tx)
        .await
        .expect("insert")
}

#[tokio::test]
async fn a_dropped_write_transaction_is_rolled_back_and_the_writer_handed_on() {
    let (_dir, db) = scratch().await;
    let mut tx = db.begin().await.expect("begin");
    insert(&mut tx, 1).await;
    drop(tx);
    let mut tx = db.begin().await.expect("the writer comes back");
    assert_eq!(count(&mut tx).await, 0);
    insert(&mut tx, 2).await;
    tx.commit().await.expect("commit");
    assert_eq!(count(&mut db.read().await.expect("read")).await, 1);
}

#[tokio::test]
async fn changed_rows_count_the_statement_alone() {
    let (_dir, db) = scratch().await;
    let mut tx = db.begin().await.expect("begin");
    let three = sql("INSERT INTO t (n) VALUES (1), (2), (3)")
        .execute(&mut tx)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    assert_eq!(three, 3);
    // The first statement of a transaction goes out behind `BEGIN`, whose count would be
    // the previous statement's.
    let mut tx = db.begin().await.expect("begin");
    let none = sql("UPDATE t SET n = n WHERE n > 10")
        .execute(&mut tx)
        .await
        .expect("update");
    assert_eq!(none, 0);
    assert_eq!(insert(&mut tx, 4).await, 1);
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn a_failed_statement_leaves_nothing_after_rollback() {
    let (_dir, db) = scratch().await;
    let mut tx = db.begin().await.expect("begin");
    insert(&mut tx, 1).await;
    let refused = sql("INSERT INTO t (n) VALUES (NULL)")
        .execute(&mut tx)
        .await;
    assert!(refused.is_err());
    tx.rollback().await.expect("rollback");
    // A failing first statement, then a transaction that runs nothing.
    let mut tx = db.begin().await.expect("begin");
    assert!(
        sql("INSERT INTO nowhere VALUES (1)")
            .execute(&mut tx)
            .await
            .is_err()
    );
    drop(tx);
    db.begin()
        .await
        .expect("begin")
        .commit()
        .await
        .expect("empty commit");
    assert_eq!(count(&mut db.read().await.expect("read")).await, 0);
}

#[tokio::test]
async fn writers_take_turns_and_readers_do_not_wait() {
    let (_dir, db) = scratch().await;
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await.expect("begin");
            let next = sql("SELECT COALESCE(MAX(n), 0) + 1 AS v FROM t")
                .fetch_i64(&mut tx)
                .await
                .expect("max");
            tokio::task::yield_now().await;
            insert(&mut tx, next).await;
            tx.commit().await.expect("commit");
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let mut read = db.read().await.expect("read");
    let distinct = sql("SELECT COUNT(DISTINCT n) AS v FROM t")
        .fetch_i64(&mut read)
        .await
        .expect("distinct");
    assert_eq!(distinct, 20, "no two writers read the same maximum");
    // A reader runs while a writer holds its transaction open.
    let mut writer = db.begin().await.expect("begin");
    insert(&mut writer, 100).await;
    assert_eq!(count(&mut read).await, 20);
    writer.commit().await.expect("commit");
    assert_eq!(count(&mut read).await, 21);
}

#[tokio::test]
async fn a_built_statement_numbers_the_values_it_was_given() {
    let (_dir, db) = scratch().await;
    let mut tx = db.begin().await.expect("begin");
    for n in 1..=10 {
        insert(&mut tx, n).await;
    }
    let count_where = |low: Option<i64>, high: Option<i64>, odd: bool| {
        let mut b = super::Builder::new();
        b.push("SELECT COUNT(*) AS v FROM t WHERE TRUE");
        if let Some(low) = low {
            let low = b.arg(low);
            b.push(&format!(" AND n >= {low}"));
        }
        if let Some(high) = high {
            let high = b.arg(high);
            b.push(&format!(" AND n <= {high}"));
        }
        if odd {
            let two = b.arg(2);
            b.push(&format!(" AND n % {two} = 1"));
        }
        b.query()
    };
    assert_eq!(
        count_where(None, None, false)
            .fetch_i64(&mut tx)
            .await
            .expect("all"),
        10
    );
    assert_eq!(
        count_where(Some(3), None, false)
            .fetch_i64(&mut tx)
            .await
            .expect("low"),
        8
    );
    assert_eq!(
        count_where(None, Some(3), true)
            .fetch_i64(&mut tx)
            .await
            .expect("high odd"),
        2
    );
    assert_eq!(
        count_where(Some(2), Some(9), true)
            .fetch_i64(&mut tx)
            .await
            .expect("all three"),
        4
    );
}
