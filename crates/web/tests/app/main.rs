//! Supportal's web tests in one binary: the story suite through the real router (on SQLite
//! always, on PostgreSQL when `SUPPORTAL_TEST_POSTGRES_URL` is set), page flows over HTTP, and
//! browser tests in headless Chromium when `SUPPORTAL_TEST_BROWSER=1`.

mod hostile_files;
mod support;
mod uploads;
mod visitor;

mod account_attacks;
mod accounts;
mod admin;
mod browser;
mod browser_desk;
mod browser_flows;
mod browser_knowledge;
mod browser_languages;
mod browser_partners;
mod case_export;
mod case_pages;
mod case_start;
mod case_visibility;
mod cases;
mod chat;
mod chat_races;
mod companies;
mod concurrency;
mod desk_pages;
mod desk_setup;
mod desk_work;
mod entitlement_pages;
mod entitlements;
mod hardening;
mod i18n;
mod inbound_mail;
mod jobs;
mod knowledge;
mod notices;
mod object_storage;
mod onboarding;
mod page_flows;
mod pages;
mod partner_bursts;
mod partner_pages;
mod partners;
mod profile;
mod purchases;
