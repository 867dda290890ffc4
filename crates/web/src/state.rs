//! What every handler shares: the application's `Context` (database, clock, mail, files,
//! payments) and the settings of the HTTP face (cookies, proxies, time limits).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use supportal_app::Context;
use supportal_store::Db;

/// The settings of a `serve` process: the application's, and those only HTTP needs.
#[derive(Debug, Clone)]
pub struct Config {
    pub app: supportal_app::Config,
    /// Mark cookies `Secure` (when served over https).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `auth::client_ip`).
    pub trusted_proxies: Vec<crate::auth::IpNet>,
    /// Connection and request time limits (`serve::serve`).
    pub limits: crate::serve::Limits,
}

impl Config {
    /// Defaults for everything but where data lives and where people reach the portal.
    pub fn new(data_dir: std::path::PathBuf, base_url: String) -> Config {
        Config::from(supportal_app::Config::new(data_dir, base_url))
    }
}

impl From<supportal_app::Config> for Config {
    fn from(app: supportal_app::Config) -> Config {
        Config {
            app,
            secure_cookies: false,
            trusted_proxies: Vec::new(),
            limits: crate::serve::Limits::default(),
        }
    }
}

impl Deref for Config {
    type Target = supportal_app::Config;
    fn deref(&self) -> &Self::Target {
        &self.app
    }
}

impl DerefMut for Config {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.app
    }
}

/// The state of the router: the application's context, which handlers pass to operations (it
/// derefs to `Context`), and the HTTP settings.
#[derive(Clone)]
pub struct AppState {
    pub ctx: Context,
    pub config: Arc<Config>,
}

impl AppState {
    /// The state for `config`; fails when its file store cannot be opened.
    pub fn try_new(db: Db, config: Config) -> std::io::Result<Self> {
        let ctx = Context::try_new(db, config.app.clone())?;
        Ok(AppState {
            ctx,
            config: Arc::new(config),
        })
    }

    /// `try_new` for tests and tools, where a store that cannot open is a broken set-up.
    pub fn new(db: Db, config: Config) -> Self {
        match Self::try_new(db, config) {
            Ok(state) => state,
            Err(e) => panic!("opening the file store: {e}"),
        }
    }

    /// The state around an existing context (sharing its clock, files and mail wake-up).
    pub fn with_context(ctx: Context, config: Config) -> Self {
        AppState {
            ctx,
            config: Arc::new(config),
        }
    }
}

impl Deref for AppState {
    type Target = Context;
    fn deref(&self) -> &Context {
        &self.ctx
    }
}
