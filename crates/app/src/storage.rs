//! Where attachment bytes live: an object store (the `object_store` crate), one object per random
//! key. A local folder (`<data-dir>/attachments/`) serves one `serve` process; several processes
//! on one PostgreSQL database share an S3-compatible bucket (`[s3]` in the settings), so a file
//! uploaded through one is read through any other.

use crate::context::{Config, Secret};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;

pub type IoFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

pub trait FileStore: Send + Sync {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> IoFuture<'a, ()>;
    fn get<'a>(&'a self, key: &'a str) -> IoFuture<'a, Vec<u8>>;
    fn delete<'a>(&'a self, key: &'a str) -> IoFuture<'a, ()>;
}

/// An S3-compatible bucket for attachments (AWS S3, MinIO, Ceph, …). Keys left out are read from
/// the usual `AWS_*` environment variables.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Settings {
    pub bucket: String,
    #[serde(default)]
    pub region: Option<String>,
    /// For a server other than AWS: `http://minio.internal:9000`.
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub access_key_id: Option<String>,
    #[serde(default)]
    pub secret_access_key: Option<Secret>,
}

/// The store `config` names: its S3 bucket, or the local attachments folder.
pub fn open(config: &Config) -> io::Result<Arc<dyn FileStore>> {
    let store: Arc<dyn ObjectStore> = match &config.s3 {
        Some(s3) => {
            let mut builder =
                object_store::aws::AmazonS3Builder::from_env().with_bucket_name(&s3.bucket);
            if let Some(region) = &s3.region {
                builder = builder.with_region(region);
            }
            if let Some(endpoint) = &s3.endpoint {
                builder = builder
                    .with_endpoint(endpoint)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            if let Some(key) = &s3.access_key_id {
                builder = builder.with_access_key_id(key);
            }
            if let Some(secret) = &s3.secret_access_key {
                builder = builder.with_secret_access_key(secret.expose());
            }
            Arc::new(builder.build().map_err(io::Error::other)?)
        }
        None => {
            let root = config.data_dir.join("attachments");
            std::fs::create_dir_all(&root)?;
            Arc::new(
                object_store::local::LocalFileSystem::new_with_prefix(root)
                    .map_err(io::Error::other)?,
            )
        }
    };
    Ok(Arc::new(ObjectFiles { store }))
}

struct ObjectFiles {
    store: Arc<dyn ObjectStore>,
}

/// Keys are our own random hex strings; anything else is refused rather than made a path.
fn path(key: &str) -> io::Result<Path> {
    if key.len() < 16 || !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "bad storage key",
        ));
    }
    Ok(Path::from(format!("{}/{key}", &key[..2])))
}

impl FileStore for ObjectFiles {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> IoFuture<'a, ()> {
        Box::pin(async move {
            self.store
                .put(&path(key)?, bytes.to_vec().into())
                .await
                .map(drop)
                .map_err(io::Error::from)
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> IoFuture<'a, Vec<u8>> {
        Box::pin(async move {
            let found = self.store.get(&path(key)?).await.map_err(io::Error::from)?;
            Ok(found.bytes().await.map_err(io::Error::from)?.to_vec())
        })
    }

    fn delete<'a>(&'a self, key: &'a str) -> IoFuture<'a, ()> {
        Box::pin(async move {
            match self.store.delete(&path(key)?).await {
                Err(object_store::Error::NotFound { .. }) | Ok(()) => Ok(()),
                Err(e) => Err(io::Error::from(e)),
            }
        })
    }
}
