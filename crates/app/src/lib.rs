//! Supportal's operations: what a customer, an admin, the operator's staff, a job or the CLI can
//! do, with no HTTP in sight. Every operation takes a `Context` (database, configuration, clock,
//! mail wake-up, files, payments) and the caller, and returns an `AppError` in the domain's words;
//! the web crate maps it to HTTP, a job to a log line, the CLI to a message.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod admin;
pub mod auth;
pub mod cases;
pub mod chat;
pub mod codes;
pub mod companies;
pub mod context;
pub mod demo;
mod demo_desk;
mod demo_intro;
mod demo_knowledge;
mod demo_partners;
pub mod desk;
pub mod entitlements;
pub mod error;
pub mod i18n;
pub mod input;
pub mod jobs;
pub mod knowledge;
pub mod loading;
pub mod mail;
pub mod notices;
pub mod onboarding;
pub mod partners;
pub mod payments;
pub mod profile;
pub mod storage;

pub use context::{Clock, Config, Context, Secret};
pub use error::{AppError, AppResult, Kind};

#[cfg(test)]
mod tests {
    /// The operations know nothing of HTTP: no web framework among this crate's dependencies.
    #[test]
    fn no_http_crate_is_a_dependency() {
        let manifest = include_str!("../Cargo.toml");
        let deps = manifest.split("[dependencies]").nth(1).unwrap_or_default();
        let deps = deps.split("\n[").next().unwrap_or_default();
        for http in [
            "axum",
            "hyper",
            "tower",
            "http",
            "askama_web",
            "supportal-web",
        ] {
            assert!(
                !deps
                    .lines()
                    .any(|l| l.split(['.', ' ', '=']).next() == Some(http)),
                "{http} in {deps}"
            );
        }
        assert!(
            deps.contains("supportal-store"),
            "read the dependencies: {deps}"
        );
    }

    /// Operations and handlers reach company data through scopes only: the store's tools (the
    /// operator's own scope, bulk rows) are for the demo loader.
    #[test]
    fn only_the_demo_loader_uses_the_store_tools() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        // This crate's operations and the web crate's handlers.
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        walk(&crates.join("app/src"), &mut files);
        walk(&crates.join("web/src"), &mut files);
        assert!(files.len() > 50, "found the sources");
        let needle = ["supportal_store::", "tools"].concat();
        let users: Vec<String> = files
            .iter()
            .filter(|f| {
                !f.ends_with("demo.rs") && !f.ends_with("demo_desk.rs") && !f.ends_with("lib.rs")
            })
            .filter(|f| std::fs::read_to_string(f).is_ok_and(|text| text.contains(needle.as_str())))
            .map(|f| f.display().to_string())
            .collect();
        assert!(users.is_empty(), "{users:?}");
    }
}
