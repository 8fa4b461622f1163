//! The portal's server binary: reads configuration, opens the store
//! (creating demo data on first run), and serves the router.

use std::time::Duration;

use leptos::prelude::{get_configuration, LeptosOptions};
use server::repair::{uploads, RepairState};
use server::store::backend::Backend;
use server::{config::Config, demo, router, telemetry};

/// mimalloc instead of the system allocator: rendering a page makes many
/// small allocations from several threads, and glibc's allocator spent
/// about a fifth of a search request's time on them and their locks. With
/// its `override` feature it also serves the C code's `malloc` (SQLite's
/// FTS5 reallocates doclist buffers on every query).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    telemetry::init();
    if let Err(err) = run().await {
        tracing::error!("{err}");
        eprintln!("启动失败 / failed to start: {err}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data dir {}: {e}", config.data_dir.display()))?;
    let backend = Backend::connect(&config.database_url)
        .await
        .map_err(|e| format!("cannot open database: {e}"))?;
    tracing::info!(database = backend.name(), "database open");
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(result) = server::staff::cli::run(&args, &backend).await {
        // A command, not the portal: print its outcome and stop.
        return match result {
            Ok(message) => {
                println!("{message}");
                Ok(())
            }
            Err(message) => Err(message),
        };
    }
    let mut portal = router::portal_context(&backend, config.fixed_today, false);
    let today = portal.today();
    for outcome in backend
        .run_data_steps(today)
        .await
        .map_err(|e| format!("data step: {e}"))?
    {
        tracing::info!(%outcome, "data step done");
    }

    if config.demo && backend.seed.is_empty().await.map_err(|e| e.to_string())? {
        tracing::info!(
            records = config.demo_records,
            "generating demo data (first run)"
        );
        let summary = demo::generate(backend.seed.as_ref(), config.demo_records, today, false)
            .await
            .map_err(|e| format!("demo data: {e}"))?;
        tracing::info!(?summary, "demo data ready");
    }
    // After the demo data, so that its entries are linked to their domains.
    let added = server::services::serious_domains::ensure_national(backend.serious.as_ref())
        .await
        .map_err(|e| format!("serious-list domains: {e}"))?;
    if added > 0 {
        tracing::info!(added, "national serious-list domains added");
    }
    // Asked once: demo data is generated only above, before serving.
    portal.demo_data = backend
        .seed
        .holds_demo_data()
        .await
        .map_err(|e| e.to_string())?;
    // The demo's measures list: after the domains its measures name.
    if portal.demo_data {
        let departments = backend
            .measures
            .all_departments()
            .await
            .map_err(|e| e.to_string())?;
        let added = server::services::measures::seed_national(
            backend.measures.as_ref(),
            backend.serious.as_ref(),
            &departments,
        )
        .await
        .map_err(|e| format!("measures list: {e}"))?;
        if added > 0 {
            tracing::info!(added, "national measures added to the demo's measures list");
        }
    }
    // Deliveries staged by a process that died were never published:
    // nothing of them is visible, and nothing is being staged yet.
    match backend
        .deliveries
        .discard_abandoned(chrono::Utc::now())
        .await
    {
        Ok(0) => {}
        Ok(n) => tracing::warn!(deliveries = n, "unpublished staged deliveries removed"),
        Err(err) => tracing::error!(error = %err, "staged deliveries not removed"),
    }
    spawn_sweeper(portal.clone(), backend.clone());

    let leptos_options = leptos_options(&config)?;
    let repair_state = RepairState {
        portal: portal.clone(),
        repairs: backend.repair.clone(),
        consents: backend.consents.clone(),
        uploads: server::repair::evidence_store::EvidenceStore::from_config(&config)?,
        leptos: leptos_options.clone(),
        draft_limits: Default::default(),
    };
    spawn_upload_cleanup(repair_state.clone());
    spawn_import_cleanup(config.data_dir.join("imports"));
    spawn_session_cleanup(backend.clone());
    let staff_state = server::staff::StaffState {
        repair: repair_state.clone(),
        staff: backend.staff.clone(),
        catalog: backend.catalog.clone(),
        keys: backend.keys.clone(),
        feed: backend.feed.clone(),
        collect: backend.collect.clone(),
        serious: backend.serious.clone(),
        listings: backend.listings.clone(),
        objections: backend.objections.clone(),
        measures: backend.measures.clone(),
        checks: server::checks::Checks::start(backend.measures.clone()),
        secure_cookies: config.secure_cookies,
        deliveries: backend.deliveries.clone(),
        imports: config.data_dir.join("imports"),
    };
    portal.site_url = config.public_url.clone();
    let report_font = match server::reports::ReportFont::load(
        &config.report_font.0,
        config.report_font.1,
    ) {
        Ok(font) => Some(std::sync::Arc::new(font)),
        Err(e) => {
            tracing::warn!(error = %e, "PDF reports unavailable; the printable report page still works");
            None
        }
    };
    let buckets = backend.buckets.clone();
    let limiter = |name, rate| {
        server::limits::Rate::per_minute(rate)
            .map(|rate| server::limits::RateLimiter::new(name, rate, buckets.clone()))
    };
    let limits = server::limits::PublicLimits {
        search: limiter("search", config.search_rate),
        pages: limiter("pages", config.page_rate),
        reports: limiter("reports", config.report_rate),
    };
    let edge = router::Edge {
        clients: config.clients.clone(),
        limits,
    };
    let app = router::build(
        leptos_options,
        portal,
        repair_state,
        staff_state,
        edge,
        report_font,
    );

    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!(addr = %config.addr, "portal listening");
    println!("信用中国（黑龙江鹤岗）已启动: http://{}/", config.addr);
    server::http::serve::serve(
        listener,
        app,
        server::http::serve::HEADER_TIMEOUT,
        shutdown_signal(),
    )
    .await;
    Ok(())
}

/// Leptos settings: from cargo-leptos's environment when it runs us,
/// otherwise the built site under `target/site` (or `LEPTOS_SITE_ROOT`).
fn leptos_options(config: &Config) -> Result<LeptosOptions, String> {
    let mut options = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_some() {
        get_configuration(None)
            .map_err(|e| format!("leptos configuration: {e}"))?
            .leptos_options
    } else {
        LeptosOptions::builder()
            .output_name("hegang_credit")
            .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
            .site_pkg_dir("pkg")
            .build()
    };
    options.site_addr = config.addr;
    Ok(options)
}

/// Takes ended records out of the public index at start-up and every ten
/// minutes (reads also filter by date, so this only keeps counts exact),
/// and keeps the home page's counts warm.
fn spawn_sweeper(portal: app::api::PortalContext, backend: server::store::backend::Backend) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match portal.store.sweep_ended(portal.today()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "publication periods ended"),
                Err(err) => tracing::error!(error = %err, "sweep of ended records failed"),
            }
            // Listings whose period ended leave their procedure too.
            match remove_ended_listings(&portal, &backend).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "listing periods ended"),
                Err(err) => tracing::error!(error = %err, "removal of ended listings failed"),
            }
            // Contact data of cases ended longer ago than the setting.
            match server::services::privacy::delete_expired_contacts(
                backend.consents.as_ref(),
                backend.repair.as_ref(),
                chrono::Utc::now(),
            )
            .await
            {
                Ok(done) if done.is_empty() => {}
                Ok(done) => {
                    tracing::info!(cases = done.len(), "contact data deleted after retention")
                }
                Err(err) => tracing::error!(error = %err, "deletion of contact data failed"),
            }
            // Warms the home page's counts (at start-up no visitor should
            // wait for them; later calls only start a background refresh).
            if let Err(err) = portal.store.stats(portal.today()).await {
                tracing::warn!(error = %err, "home page counts not computed");
            }
        }
    });
}

async fn remove_ended_listings(
    portal: &app::api::PortalContext,
    backend: &server::store::backend::Backend,
) -> Result<usize, app::store::StoreError> {
    let departments: Vec<i64> = portal
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| d.id)
        .collect();
    server::services::listing::remove_at_period_end(
        backend.staff.as_ref(),
        backend.listings.as_ref(),
        backend.serious.as_ref(),
        &departments,
        portal.today(),
    )
    .await
}

/// Removes abandoned drafts, orphaned files and expired identity-step
/// failures at start-up and hourly.
fn spawn_upload_cleanup(state: RepairState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match uploads::cleanup(state.repairs.as_ref(), &state.uploads).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "abandoned uploads removed"),
                Err(err) => tracing::error!(error = %err, "upload cleanup failed"),
            }
            // Wrong identity answers only matter inside their counting window.
            let window =
                chrono::Duration::hours(app::domain::repair_identity::IdentityLimits::WINDOW_HOURS);
            if let Err(err) = state
                .repairs
                .purge_identity_failures(chrono::Utc::now() - window * 2)
                .await
            {
                tracing::error!(error = %err, "identity failure cleanup failed");
            }
        }
    });
}

/// Removes uploaded sheets and import reports older than a day, hourly.
fn spawn_import_cleanup(dir: std::path::PathBuf) {
    use server::collect::retention;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match retention::remove_old(&dir, retention::KEEP, std::time::SystemTime::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "old import sheets and reports removed"),
                Err(err) => tracing::error!(error = %err, "import cleanup failed"),
            }
        }
    });
}

/// Removes expired staff sessions and old failed-login records hourly, and
/// deliveries abandoned while they were staged.
fn spawn_session_cleanup(backend: Backend) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match backend.staff.purge_expired(chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "expired sessions and old failures removed"),
                Err(err) => tracing::error!(error = %err, "session cleanup failed"),
            }
            // A delivery stages for seconds to a minute; one begun more than
            // an hour ago was abandoned (its importer failed to clean up).
            let hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
            match backend.deliveries.discard_abandoned(hour_ago).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(deliveries = n, "abandoned staged deliveries removed"),
                Err(err) => tracing::error!(error = %err, "staged delivery cleanup failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
