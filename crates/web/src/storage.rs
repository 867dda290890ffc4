//! Where attachment bytes live. `FileStore` is the seam for an object store later; `LocalFiles`
//! keeps them under `<data-dir>/attachments/`, one file per random key.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

pub type IoFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

pub trait FileStore: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> IoFuture<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> IoFuture<'a, Vec<u8>>;
    fn delete<'a>(&'a self, key: &'a str) -> IoFuture<'a, ()>;
}

pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: PathBuf) -> LocalFiles {
        LocalFiles { root }
    }

    /// Keys are our own random hex strings; anything else is refused rather than joined to a path.
    fn path(&self, key: &str) -> io::Result<PathBuf> {
        if key.len() < 16 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage key",
            ));
        }
        Ok(self.root.join(&key[..2]).join(key))
    }
}

impl FileStore for LocalFiles {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> IoFuture<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            tokio::fs::write(path, bytes).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> IoFuture<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }

    fn delete<'a>(&'a self, key: &'a str) -> IoFuture<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }
}
