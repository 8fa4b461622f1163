//! Registering checks without a write per request (group commit).
//!
//! Every check is in the register before its answer leaves: a check that
//! cannot be registered is not answered. One write per request would make
//! thousands of small transactions a second queue for SQLite's one writer
//! and hold up everyone else's writes. Instead one task writes: a request
//! hands its check over and waits; the task takes every check waiting at
//! that moment (up to [`MAX_BATCH`]) and writes them in one transaction,
//! then tells each request. While a batch commits the next one gathers, so
//! under load batches grow and the transactions stay few; when idle a
//! check is written alone at once.

use std::sync::Arc;

use app::store::measures::{MeasureStore, NewCheck};
use tokio::sync::{mpsc, oneshot};

/// Checks one transaction takes at most.
pub const MAX_BATCH: usize = 256;
/// Checks waiting for the writer at most; a request beyond waits to hand
/// its check over.
const QUEUE: usize = 4096;

type Waiter = oneshot::Sender<Result<(), String>>;

/// The handle requests hand their checks to.
#[derive(Clone)]
pub struct CheckRegister {
    queue: mpsc::Sender<(NewCheck, Waiter)>,
}

impl CheckRegister {
    /// Starts the writer (on the current runtime).
    pub fn start(store: Arc<dyn MeasureStore>) -> Self {
        let (queue, mut waiting) = mpsc::channel::<(NewCheck, Waiter)>(QUEUE);
        tokio::spawn(async move {
            while let Some(first) = waiting.recv().await {
                let mut checks = vec![first.0];
                let mut waiters = vec![first.1];
                while checks.len() < MAX_BATCH {
                    match waiting.try_recv() {
                        Ok((check, waiter)) => {
                            checks.push(check);
                            waiters.push(waiter);
                        }
                        Err(_) => break,
                    }
                }
                let written = store.record_checks(&checks).await.map_err(|e| e.0);
                if let Err(err) = &written {
                    tracing::error!(error = %err, checks = checks.len(), "checks not registered");
                }
                for w in waiters {
                    // A request that went away needs no answer.
                    let _ = w.send(written.clone());
                }
            }
        });
        CheckRegister { queue }
    }

    /// Registers `check`; returns once it is committed.
    pub async fn record(&self, check: NewCheck) -> Result<(), String> {
        let (answer, written) = oneshot::channel();
        self.queue
            .send((check, answer))
            .await
            .map_err(|_| "the check register has stopped".to_string())?;
        written
            .await
            .map_err(|_| "the check register dropped a check".to_string())?
    }
}
