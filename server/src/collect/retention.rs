//! How long uploaded sheets and their reports are kept. A sheet holds
//! every row a department delivered, natural persons' ID numbers
//! included; it is needed only between the dry run and the commit, and
//! its report only while staff read it. Both go after a day, committed or
//! not, so the data directory never becomes a second, unregistered copy
//! of the records.

use std::path::Path;
use std::time::{Duration, SystemTime};

/// How long a sheet and its report stay after their upload.
pub const KEEP: Duration = Duration::from_secs(24 * 3600);

/// Removes files in `dir` last written before `now - keep`; returns how
/// many. A missing directory holds nothing.
pub async fn remove_old(dir: &Path, keep: Duration, now: SystemTime) -> std::io::Result<usize> {
    let mut entries = match tokio::fs::read_dir(dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    while let Some(entry) = entries.next_entry().await? {
        let meta = entry.metadata().await?;
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > keep);
        if meta.is_file() && old {
            tokio::fs::remove_file(entry.path()).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sheets_and_reports_go_after_their_time() {
        let dir = std::env::temp_dir().join(format!("hegang-retention-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.csv"), "CF_XDR_MC\n").unwrap();
        std::fs::write(dir.join("a.report.csv"), "行号\n").unwrap();
        let now = SystemTime::now();
        assert_eq!(
            remove_old(&dir, KEEP, now).await.unwrap(),
            0,
            "fresh files stay"
        );
        let tomorrow = now + KEEP + Duration::from_secs(60);
        assert_eq!(remove_old(&dir, KEEP, tomorrow).await.unwrap(), 2);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        assert_eq!(
            remove_old(&dir.join("missing"), KEEP, now).await.unwrap(),
            0
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
