//! The `woolly` binary: `serve`, `migrate` and the operator's `admin` commands.

mod admin;
mod conn_watch;
mod serve;
mod wiring;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use woolly::config::Config;
use woolly::db::Db;
use woolly::mail::Mailer;
use woolly::services::moderation::maintenance;
use woolly::services::node_lease::Lease;
use woolly::state::AppState;

// Small, short-lived allocations dominate a request (rows, strings, JSON); mimalloc's
// thread-local free lists serve them faster than glibc's malloc (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "woolly", version, about = "A Mastodon-compatible server")]
struct Cli {
    /// A TOML configuration file (see config/example.toml); WOOLLY_* variables override it.
    #[arg(long, global = true, env = "WOOLLY_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the migrations, then serve HTTP until Ctrl-C.
    Serve,
    /// Run the migrations and exit.
    Migrate,
    /// Operator commands: accounts, roles, tokens.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

async fn open_db(config: &Config) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating data dir {}", config.data_dir.display()))?;
    let url = config.effective_database_url();
    woolly::db::reachable::check(&url)
        .await
        .map_err(|cause| anyhow::anyhow!("opening the database: {cause}"))?;
    let db = Db::connect(&url, config.database_pool_size)
        .await
        .with_context(|| "opening the database")?;
    woolly::db::migrate::run(&db)
        .await
        .context("running migrations")?;
    Ok(db)
}

async fn open_state(config: Config, db: Db) -> anyhow::Result<AppState> {
    let mailer =
        Mailer::from_config(&config.smtp_url, &config.outbox_dir()).map_err(anyhow::Error::msg)?;
    let media = wiring::media_storage(&config)?;
    let limiter = wiring::rate_limiter(&config).await?;
    let bus = wiring::event_bus(&config).await?;
    Ok(AppState::with_shared(
        config, db, mailer, media, limiter, bus,
    ))
}

/// How often `serve` runs the scheduled maintenance (purges after the suspension grace
/// period, expired mutes). Every process may run it: each purge claims its row first.
const MAINTENANCE_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

async fn serve(state: AppState, lease: &Lease) -> anyhow::Result<()> {
    if !state.config().fence_socket.is_empty() {
        let path = std::path::PathBuf::from(&state.config().fence_socket);
        state.db().share_fence_on_host(&path).await;
    }
    let metrics = wiring::serve_metrics(&state).await?;
    let listen = state.config().listen.clone();
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, domain = %state.config().domain, node_id = lease.node_id(), "woolly listening");
    println!("woolly listening on http://{addr}");
    let limits = serve::Limits::from_config(state.config());
    let maintenance = maintenance::spawn(state.clone(), MAINTENANCE_EVERY);
    // Count the instance stats now, not on the first client's request.
    tokio::spawn(woolly::services::instance_stats::warm(state.clone()));
    // Deliveries and inbound activities (the persistent queue; see services::federation).
    tokio::spawn(woolly::services::federation::worker::run(state.clone()));
    let stopping = state.clone();
    let app = woolly::http::router(state);
    let stop = async move {
        tokio::select! {
            () = shutdown_signal() => {}
            () = lease.lost() => {}
        }
        // Streams never finish by themselves: end them so the grace period is left to
        // ordinary requests.
        stopping.begin_stopping();
    };
    serve::run(listener, app, limits, stop).await;
    maintenance.abort();
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    tracing::info!("woolly stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // The format and threads are configuration; a configuration error is reported in text
    // below.
    let loaded = Config::load(cli.config.as_deref());
    let format = loaded.as_ref().map(|c| c.log_format).unwrap_or_default();
    let workers = loaded.as_ref().map(|c| c.worker_threads).unwrap_or(0);
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if workers > 0 {
        runtime.worker_threads(workers);
    }
    let runtime = match runtime.build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    wiring::init_logs(format);
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config =
        Config::load(cli.config.as_deref()).map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
    config
        .validate()
        .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
    let db = open_db(&config).await?;
    match cli.command {
        Command::Serve => {
            let lease = match config.node_id {
                Some(node_id) => Lease::acquire(&db, node_id).await?,
                None => Lease::acquire_lowest(&db).await?,
            };
            config.node_id = Some(lease.node_id());
            let db_handle = db.clone();
            let served = match open_state(config, db).await {
                Ok(state) => serve(state, &lease).await,
                Err(e) => Err(e),
            };
            let lost = lease.is_lost();
            lease.release().await;
            db_handle.close().await;
            if lost {
                anyhow::bail!("stopped: this process lost its node id lease");
            }
            served
        }
        Command::Migrate => {
            println!("migrations are up to date");
            Ok(())
        }
        Command::Admin(cmd) => {
            // Short-lived: any free node id will do (the highest, leaving low ones to servers).
            let lease = Lease::acquire_any(&db).await?;
            config.node_id = Some(lease.node_id());
            let done = match open_state(config, db).await {
                Ok(state) => tokio::select! {
                    done = admin::run(&state, cmd) => done,
                    () = lease.lost() => Err(anyhow::anyhow!("stopped: this process lost its node id lease")),
                },
                Err(e) => Err(e),
            };
            lease.release().await;
            done
        }
    }
}
