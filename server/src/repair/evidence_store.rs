//! Where evidence files are kept: a directory of this machine
//! (`<data dir>/uploads`, the default) or an S3 bucket that every app
//! server behind the proxy shares, both through `object_store`.
//!
//! A file becomes visible under its name only once it has passed every
//! check ([`PendingFile::commit`]); until then:
//!
//! - up to [`PART_BYTES`] it is held in memory and then written with one
//!   put: the local backend writes a staging file `<name>#<n>` and renames
//!   it, S3 stores the object in one request. A refused file was never
//!   sent anywhere.
//! - a larger file is sent in parts of [`PART_BYTES`] as a multipart upload
//!   under its final name, completed only after the checks and aborted
//!   otherwise (also when the request is dropped: see `Drop`).
//!
//! What a crash in the middle leaves, and who removes it:
//!
//! - local: the staging file `<name>#<n>` (and, from portals before this
//!   module, `<hex>.part`). `object_store`'s listing skips staging files,
//!   so [`EvidenceStore::remove_leftovers`] looks in the directory itself.
//! - S3: an incomplete multipart upload (its parts are stored and billed but
//!   no object exists). `object_store` cannot list multipart uploads, so the
//!   bucket must have a lifecycle rule that aborts them:
//!   `AbortIncompleteMultipartUpload` with `DaysAfterInitiation: 1` (for
//!   the whole bucket, or for `UPLOADS_S3_PREFIX`). An upload of at most
//!   [`PART_BYTES`] never starts one.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::{BoxStream, StreamExt};
use object_store::path::Path as Key;
use object_store::{MultipartUpload, ObjectStore, ObjectStoreExt, PutPayload, PutPayloadMut};

use crate::config::{Config, EvidenceStorage, S3Storage};

/// The size of one part of a multipart upload, and so what an upload holds
/// in memory at most: S3's smallest allowed part (all but the last).
pub const PART_BYTES: usize = 5 * 1024 * 1024;

/// The evidence files, shared by the handlers (cheap to clone).
#[derive(Clone)]
pub struct EvidenceStore {
    objects: Arc<dyn ObjectStore>,
    /// The directory, for the local backend: its staging files are not
    /// listed by `object_store`.
    local_dir: Option<PathBuf>,
    /// For logs and errors: the directory or the bucket.
    place: String,
}

impl fmt::Debug for EvidenceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.place)
    }
}

impl fmt::Display for EvidenceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.place)
    }
}

/// A stored file, to stream to a reviewer.
pub struct StoredFile {
    pub size: u64,
    pub bytes: BoxStream<'static, Result<Bytes, object_store::Error>>,
}

/// Is `name` one the portal gave a stored file: lowercase hex, a dot and
/// the extension of an accepted kind? Anything else (a path, `..`, another
/// program's object in a shared bucket) is never read, written or deleted.
pub fn is_stored_name(name: &str) -> bool {
    use app::domain::repair_application::FileKind;
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    stem.len() >= 16
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && [FileKind::Pdf, FileKind::Jpeg, FileKind::Png]
            .iter()
            .any(|k| k.extension() == ext)
}

/// A leftover of a write that never finished, in the local directory: a
/// staging file of `object_store` (`<stored name>#<digits>`) or a temporary
/// file of the writer before it (`<hex>.part`).
fn is_local_leftover(name: &str) -> bool {
    if let Some((stored, n)) = name.split_once('#') {
        return is_stored_name(stored) && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    }
    name.strip_suffix(".part")
        .is_some_and(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl EvidenceStore {
    /// The store the configuration names (called once at start-up).
    pub fn from_config(config: &Config) -> Result<Self, String> {
        Self::from_storage(&config.evidence)
    }

    pub fn from_storage(storage: &EvidenceStorage) -> Result<Self, String> {
        match storage {
            EvidenceStorage::Local(dir) => Self::local(dir),
            EvidenceStorage::S3(s3) => Self::s3(s3),
        }
    }

    /// Files in `dir` (created if missing), under the same names as ever.
    pub fn local(dir: &Path) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create uploads dir {}: {e}", dir.display()))?;
        // fsync: a file is on disk before its row says it exists.
        let objects = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("uploads dir {}: {e}", dir.display()))?
            .with_fsync(true);
        Ok(Self {
            objects: Arc::new(objects),
            local_dir: Some(dir.to_path_buf()),
            place: format!("uploads dir {}", dir.display()),
        })
    }

    /// Objects in an S3 bucket (AWS or S3-compatible, path-style requests).
    pub fn s3(s3: &S3Storage) -> Result<Self, String> {
        // The client options carry `allow_http` too: set them whole, once.
        let client = object_store::ClientOptions::new()
            .with_allow_http(s3.allow_http)
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(60));
        let mut builder = object_store::aws::AmazonS3Builder::new()
            .with_client_options(client)
            .with_bucket_name(&s3.bucket)
            .with_region(&s3.region)
            // An applicant or reviewer waits for these requests: give up
            // within about half a minute (the default retries for three).
            .with_retry(object_store::RetryConfig {
                backoff: Default::default(),
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
            });
        if let Some(endpoint) = &s3.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let (Some(key), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
            builder = builder
                .with_access_key_id(key)
                .with_secret_access_key(secret);
        }
        let bucket = builder.build().map_err(|e| format!("UPLOADS_S3_*: {e}"))?;
        let place = match &s3.prefix {
            Some(prefix) => format!("S3 bucket {}/{prefix}", s3.bucket),
            None => format!("S3 bucket {}", s3.bucket),
        };
        let objects: Arc<dyn ObjectStore> = match &s3.prefix {
            Some(prefix) => Arc::new(object_store::prefix::PrefixStore::new(
                bucket,
                prefix.as_str(),
            )),
            None => Arc::new(bucket),
        };
        Ok(Self {
            objects,
            local_dir: None,
            place,
        })
    }

    /// A file about to be received; see [`PendingFile`].
    pub fn begin(&self) -> PendingFile {
        PendingFile {
            objects: self.objects.clone(),
            buffer: PutPayloadMut::new(),
            upload: None,
            discarding: false,
        }
    }

    /// A stored file's bytes, streamed.
    pub async fn open(&self, name: &str) -> Result<StoredFile, String> {
        if !is_stored_name(name) {
            return Err(format!("{name:?} is not a stored file's name"));
        }
        let got = self
            .objects
            .get(&Key::from(name))
            .await
            .map_err(|e| format!("evidence file {name} in {}: {e}", self.place))?;
        Ok(StoredFile {
            size: got.meta.size,
            bytes: got.into_stream(),
        })
    }

    /// Deletes a stored file (after its row is gone); a missing one is fine.
    pub async fn delete(&self, name: &str) {
        // Names are ours (hex + extension); refuse anything else defensively.
        if !is_stored_name(name) {
            return;
        }
        match self.objects.delete(&Key::from(name)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(err) => {
                tracing::warn!(error = %err, store = %self.place, "could not delete an upload")
            }
        }
    }

    /// The stored files with when each was last written.
    pub async fn list(&self) -> Result<Vec<(String, DateTime<Utc>)>, String> {
        let mut listing = self.objects.list(None);
        let mut files = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(|e| format!("listing {}: {e}", self.place))?;
            let name = meta.location.as_ref();
            if is_stored_name(name) {
                files.push((name.to_string(), meta.last_modified));
            }
        }
        Ok(files)
    }

    /// Removes what writes cut off by a crash left, once older than
    /// `before`; returns how many. Local only: on S3 an interrupted upload
    /// leaves no object, and its parts are the lifecycle rule's (above).
    pub async fn remove_leftovers(&self, before: SystemTime) -> usize {
        let Some(dir) = &self.local_dir else {
            return 0;
        };
        let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
            return 0;
        };
        let mut removed = 0;
        while let Ok(Some(entry)) = entries.next_entry().await {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_local_leftover(&name) {
                continue;
            }
            let modified = entry
                .metadata()
                .await
                .and_then(|m| m.modified())
                .unwrap_or_else(|_| SystemTime::now());
            if modified < before && tokio::fs::remove_file(entry.path()).await.is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

/// A file being received: held in memory up to [`PART_BYTES`], beyond that
/// sent as a multipart upload. Nothing is visible under any name until
/// [`commit`](Self::commit); [`abort`](Self::abort) (or dropping it) leaves
/// nothing behind.
pub struct PendingFile {
    objects: Arc<dyn ObjectStore>,
    /// Bytes not yet sent: at most one part.
    buffer: PutPayloadMut,
    /// The multipart upload, once the file outgrew one part, and its name.
    upload: Option<(String, Box<dyn MultipartUpload>)>,
    /// The file will be refused: its bytes are no longer kept.
    discarding: bool,
}

impl PendingFile {
    /// Adds the next bytes. `name` is asked for at most once: when the file
    /// outgrows one part and its upload must start under its final name
    /// (`None`: the file will be refused, so nothing more is kept).
    pub async fn push(
        &mut self,
        mut chunk: Bytes,
        name: impl FnOnce() -> Option<String>,
    ) -> Result<(), object_store::Error> {
        let mut name = Some(name);
        while !chunk.is_empty() && !self.discarding {
            // A full buffer is sent only when more bytes follow, so a file
            // of at most one part is always one put.
            if self.buffer.content_length() >= PART_BYTES {
                if self.upload.is_none() {
                    let Some(chosen) = name.take().and_then(|f| f()) else {
                        self.discarding = true;
                        self.buffer = PutPayloadMut::new();
                        return Ok(());
                    };
                    if !is_stored_name(&chosen) {
                        return Err(misnamed(&chosen));
                    }
                    let upload = start_upload(&self.objects, &chosen).await?;
                    self.upload = Some((chosen, upload));
                }
                let part = std::mem::take(&mut self.buffer).freeze();
                if let Some((_, upload)) = &mut self.upload {
                    // One part at a time: memory stays at one part.
                    upload.put_part(part).await?;
                }
            }
            let room = PART_BYTES - self.buffer.content_length();
            let piece = if chunk.len() <= room {
                std::mem::take(&mut chunk)
            } else {
                chunk.split_to(room)
            };
            self.buffer.push(piece);
        }
        Ok(())
    }

    /// Stores the file under `name`, now that it passed every check.
    pub async fn commit(mut self, name: &str) -> Result<(), object_store::Error> {
        if self.discarding || !is_stored_name(name) {
            return Err(misnamed(name));
        }
        let rest: PutPayload = std::mem::take(&mut self.buffer).freeze();
        let Some((started, mut upload)) = self.upload.take() else {
            self.objects.put(&Key::from(name), rest).await?;
            return Ok(());
        };
        let finished = async {
            if started != name {
                return Err(misnamed(name));
            }
            if rest.content_length() > 0 {
                upload.put_part(rest).await?;
            }
            upload.complete().await.map(|_| ())
        }
        .await;
        if finished.is_err() {
            let _ = upload.abort().await;
        }
        finished
    }

    /// Gives the file up: a started upload is aborted.
    pub async fn abort(mut self) {
        if let Some((_, mut upload)) = self.upload.take() {
            if let Err(err) = upload.abort().await {
                tracing::warn!(error = %err, "aborting an upload failed");
            }
        }
    }
}

/// A request dropped mid-upload (the client went away) still aborts the
/// upload: the local backend removes its staging file itself, but S3 would
/// keep the parts until the lifecycle rule.
impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some((_, mut upload)) = self.upload.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    let _ = upload.abort().await;
                });
            }
        }
    }
}

/// Starts a multipart upload so that a request dropped while S3 is still
/// answering leaves nothing open: the start runs on its own task, and if
/// nobody is waiting for its answer any more, that task aborts the upload
/// it was given. (Awaiting `put_multipart` directly, a drop at that moment
/// would lose the only handle to an upload S3 had already created.)
async fn start_upload(
    objects: &Arc<dyn ObjectStore>,
    name: &str,
) -> Result<Box<dyn MultipartUpload>, object_store::Error> {
    let (answer, waiting) = tokio::sync::oneshot::channel();
    let objects = Arc::clone(objects);
    let key = Key::from(name);
    tokio::spawn(async move {
        let started = objects.put_multipart(&key).await;
        if let Err(Ok(mut orphan)) = answer.send(started) {
            let _ = orphan.abort().await;
        }
    });
    waiting.await.unwrap_or_else(|_| {
        Err(object_store::Error::Generic {
            store: "evidence",
            source: "the upload's start was lost".into(),
        })
    })
}

fn misnamed(name: &str) -> object_store::Error {
    object_store::Error::Generic {
        store: "evidence",
        source: format!("{name:?} is not a name a checked file is stored under").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_server_chosen_names_are_touched() {
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.pdf"));
        assert!(is_stored_name("0123456789abcdef0123456789abcdef.jpg"));
        for bad in [
            "../portal.db",
            "0123456789abcdef0123456789abcdef.exe",
            "0123456789ABCDEF0123456789ABCDEF.pdf",
            "0123456789abcdef/0123456789abcdef.pdf",
            "0123456789abcdef0123456789abcdef.pdf#1",
            "short.pdf",
            "",
        ] {
            assert!(!is_stored_name(bad), "{bad}");
        }
        assert!(is_local_leftover("0123456789abcdef0123456789abcdef.pdf#1"));
        assert!(is_local_leftover("0123456789abcdef0123456789abcdef.part"));
        assert!(!is_local_leftover("0123456789abcdef0123456789abcdef.pdf"));
        assert!(!is_local_leftover("portal.db#1"));
    }
}
