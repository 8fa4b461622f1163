//! Evidence files as they arrive: streamed from the request in chunks
//! (never held whole in memory), hashed while they arrive, judged by their
//! bytes, and stored under server-chosen names in the evidence store
//! (`evidence_store`: a directory outside the web root, or S3). A file is
//! stored under its name only once it has passed every check; cleanup
//! removes what no database row refers to.

use std::collections::HashSet;
use std::time::Duration;

use app::domain::repair_application::{
    check_upload, safe_display_name, EvidenceKind, MAX_FILES, MAX_FILE_BYTES,
};
use app::store::repair::{NewFile, RepairStore};
use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};

use super::evidence_store::EvidenceStore;
use crate::http::tokens::{hex, random_hex};

/// Why an upload was refused (the message names the file and the fix).
pub struct Refused(pub String);

/// A file that could not be written: logged, and told to the applicant on
/// the form they are filling in (their draft stays as it was), not as a
/// failure page.
fn not_stored(err: impl std::fmt::Display) -> Refused {
    tracing::error!(error = %err, "storing an upload failed");
    Refused("文件保存失败，请稍后重试。".into())
}

/// Streams one multipart file field to the evidence store and checks it.
/// `already` is the number of bytes already uploaded for the same
/// application.
pub async fn receive(
    uploads: &EvidenceStore,
    mut field: Field<'_>,
    evidence_kind: EvidenceKind,
    already: u64,
) -> Result<NewFile, Refused> {
    let original = field.file_name().unwrap_or("").to_string();
    if original.is_empty() {
        return Err(Refused("请选择要上传的文件。".into()));
    }
    let token = random_hex(16).map_err(not_stored)?;
    let mut pending = uploads.begin();
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(16);
    let mut size: u64 = 0;
    let outcome: Result<(), Refused> = async {
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(err) => {
                    tracing::warn!(error = %err, "upload interrupted");
                    return Err(Refused(
                        "文件上传中断或超过大小限制（每个文件不超过 10 MB），请重新上传。".into(),
                    ));
                }
            };
            size += chunk.len() as u64;
            if size > MAX_FILE_BYTES {
                // Stop reading at once: the check below would refuse it anyway.
                return Err(Refused(format!(
                    "文件“{}”超过 10 MB，请压缩或拆分后重新上传。",
                    safe_display_name(&original)
                )));
            }
            if head.len() < 16 {
                let take = (16 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            // A file larger than one part is uploaded under its final name
            // before its end has arrived: the name's extension comes from
            // the checks as far as they can be made now. A file that fails
            // them now fails them at the end too (same head, size only
            // grows), so it is read to the end but no longer stored, and
            // refused below with the message it has always had.
            let so_far = size;
            let head_now = &head;
            let original = &original;
            let token = &token;
            pending
                .push(chunk, move || {
                    check_upload(original, head_now, so_far, already)
                        .ok()
                        .map(|kind| format!("{token}.{}", kind.extension()))
                })
                .await
                .map_err(not_stored)?;
        }
        Ok(())
    }
    .await;
    let kind =
        outcome.and_then(|()| check_upload(&original, &head, size, already).map_err(Refused));
    let kind = match kind {
        Ok(kind) => kind,
        Err(refused) => {
            pending.abort().await;
            return Err(refused);
        }
    };
    let stored_name = format!("{token}.{}", kind.extension());
    pending.commit(&stored_name).await.map_err(not_stored)?;
    Ok(NewFile {
        evidence_kind,
        display_name: safe_display_name(&original),
        stored_name,
        sha256: hex(&hasher.finalize()),
        size_bytes: size,
        kind,
    })
}

/// The files of one form as they arrive (an objection, its supplement, a
/// party's answer to a notice): at most `MAX_FILES`, the total bounded with
/// what was sent before, and the first refusal kept for the form — the rest
/// of the form is still read, its files dropped. What a form does not
/// record in the end is deleted with [`Collected::discard`].
pub struct Collected {
    pub files: Vec<NewFile>,
    /// Bytes already counted against the total.
    already: u64,
    /// The first refusal, for the form.
    pub error: Option<String>,
}

impl Collected {
    /// Nothing yet, with `already` bytes sent before for the same case.
    pub fn new(already: u64) -> Self {
        Collected {
            files: Vec::new(),
            already,
            error: None,
        }
    }

    /// Takes one file field (an empty input is skipped; after a refusal,
    /// files are dropped unread).
    pub async fn take(&mut self, uploads: &EvidenceStore, field: Field<'_>, kind: EvidenceKind) {
        if field.file_name().unwrap_or("").is_empty() || self.error.is_some() {
            return;
        }
        if self.files.len() >= MAX_FILES {
            self.error = Some(format!("材料最多 {MAX_FILES} 个文件，请合并后重新提交。"));
            return;
        }
        match receive(uploads, field, kind, self.already).await {
            Ok(f) => {
                self.already += f.size_bytes;
                self.files.push(f);
            }
            Err(refused) => self.error = Some(refused.0),
        }
    }

    /// Notes a form cut off in the middle (a broken stream, a body over
    /// the limit).
    pub fn broken(&mut self) {
        self.error.get_or_insert_with(|| {
            "上传未完成或文件过大（每个文件不超过 10 MB，合计不超过 40 MB），请重新提交。".into()
        });
    }

    /// Deletes every file taken (the form was not recorded).
    pub async fn discard(self, uploads: &EvidenceStore) {
        for f in self.files {
            uploads.delete(&f.stored_name).await;
        }
    }
}

/// Deletes a stored file (after its row is gone).
pub async fn delete(uploads: &EvidenceStore, stored_name: &str) {
    uploads.delete(stored_name).await;
}

/// Removes abandoned drafts (untouched for a day) with their files, and any
/// stored file that no row refers to and that is older than an hour (a
/// crash between storing a file and recording it leaves such a file), and
/// what writes cut off by a crash left (`EvidenceStore::remove_leftovers`).
pub async fn cleanup(repairs: &dyn RepairStore, uploads: &EvidenceStore) -> Result<usize, String> {
    cleanup_at(repairs, uploads, chrono::Utc::now()).await
}

/// [`cleanup`] as if it were `now` (tests cannot age an S3 object).
pub async fn cleanup_at(
    repairs: &dyn RepairStore,
    uploads: &EvidenceStore,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, String> {
    let cutoff = now - chrono::Duration::hours(24);
    let mut removed = 0;
    for name in repairs
        .purge_drafts(cutoff)
        .await
        .map_err(|e| e.to_string())?
    {
        uploads.delete(&name).await;
        removed += 1;
    }
    // Names first, files second: a file stored in between is younger than
    // an hour, so it is kept.
    let known: HashSet<String> = repairs
        .known_file_names()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let old = now - chrono::Duration::hours(1);
    for (name, modified) in uploads.list().await? {
        if !known.contains(&name) && modified < old {
            uploads.delete(&name).await;
            removed += 1;
        }
    }
    let old = std::time::SystemTime::from(now) - Duration::from_secs(3600);
    removed += uploads.remove_leftovers(old).await;
    Ok(removed)
}
