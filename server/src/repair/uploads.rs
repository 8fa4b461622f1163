//! Evidence files on disk: streamed from the request in chunks (never held
//! whole in memory), hashed while they arrive, judged by their bytes, and
//! stored under server-chosen names in a directory outside the web root.
//! A file is written to a temporary name first and renamed only once it has
//! passed every check; cleanup removes what no database row refers to.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use app::domain::repair_application::{
    check_upload, safe_display_name, EvidenceKind, MAX_FILE_BYTES,
};
use app::store::repair::{NewFile, RepairStore};
use axum::extract::multipart::Field;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::http::tokens::{hex, random_hex};

/// Where evidence files live: `<data dir>/uploads`.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("uploads")
}

/// Why an upload was refused (the message names the file and the fix).
pub struct Refused(pub String);

/// A file that could not be written: logged, and told to the applicant on
/// the form they are filling in (their draft stays as it was), not as a
/// failure page.
fn not_stored(err: impl std::fmt::Display) -> Refused {
    tracing::error!(error = %err, "storing an upload failed");
    Refused("文件保存失败，请稍后重试。".into())
}

/// Streams one multipart file field to disk and checks it. `already` is the
/// number of bytes already uploaded for the same application.
pub async fn receive(
    uploads: &Path,
    mut field: Field<'_>,
    evidence_kind: EvidenceKind,
    already: u64,
) -> Result<NewFile, Refused> {
    let original = field.file_name().unwrap_or("").to_string();
    if original.is_empty() {
        return Err(Refused("请选择要上传的文件。".into()));
    }
    tokio::fs::create_dir_all(uploads)
        .await
        .map_err(not_stored)?;
    let token = random_hex(16).map_err(not_stored)?;
    let temp = uploads.join(format!("{token}.part"));
    let mut out = tokio::fs::File::create(&temp).await.map_err(not_stored)?;
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
            out.write_all(&chunk).await.map_err(not_stored)?;
        }
        out.sync_all().await.map_err(not_stored)?;
        Ok(())
    }
    .await;
    drop(out);
    let kind =
        outcome.and_then(|()| check_upload(&original, &head, size, already).map_err(Refused));
    let kind = match kind {
        Ok(kind) => kind,
        Err(refused) => {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(refused);
        }
    };
    let stored_name = format!("{token}.{}", kind.extension());
    tokio::fs::rename(&temp, uploads.join(&stored_name))
        .await
        .map_err(not_stored)?;
    Ok(NewFile {
        evidence_kind,
        display_name: safe_display_name(&original),
        stored_name,
        sha256: hex(&hasher.finalize()),
        size_bytes: size,
        kind,
    })
}

/// Deletes a stored file (after its row is gone).
pub async fn delete(uploads: &Path, stored_name: &str) {
    // Names are ours (hex + extension); refuse anything else defensively.
    if stored_name.contains('/') || stored_name.contains("..") {
        return;
    }
    if let Err(err) = tokio::fs::remove_file(uploads.join(stored_name)).await {
        if err.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(error = %err, "could not delete an upload");
        }
    }
}

/// Removes abandoned drafts (untouched for a day) with their files, and any
/// file on disk that no row refers to and that is older than an hour (a
/// crash between writing a file and recording it leaves such a file).
pub async fn cleanup(repairs: &dyn RepairStore, uploads: &Path) -> Result<usize, String> {
    let cutoff = chrono::Utc::now() - chrono::Duration::hours(24);
    let mut removed = 0;
    for name in repairs
        .purge_drafts(cutoff)
        .await
        .map_err(|e| e.to_string())?
    {
        delete(uploads, &name).await;
        removed += 1;
    }
    let known: HashSet<String> = repairs
        .known_file_names()
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let Ok(mut entries) = tokio::fs::read_dir(uploads).await else {
        return Ok(removed);
    };
    let old = SystemTime::now() - Duration::from_secs(3600);
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name().to_string_lossy().into_owned();
        let modified = entry
            .metadata()
            .await
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::now());
        if !known.contains(&name) && modified < old {
            delete(uploads, &name).await;
            removed += 1;
        }
    }
    Ok(removed)
}
