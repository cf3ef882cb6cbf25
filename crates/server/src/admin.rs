//! `woolly admin …`: the operator's commands, like Mastodon's `tootctl accounts`.

use clap::Subcommand;
use woolly::services::moderation::accounts::ApiVersion;
use woolly::services::moderation::explain;
use woolly::services::moderation::maintenance;
use woolly::services::operator::{self, CreateAccount};
use woolly::services::seed;
use woolly::state::AppState;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a local account; prints the password.
    CreateAccount {
        username: String,
        #[arg(long)]
        email: String,
        /// Role name (Moderator, Admin, Owner or a custom one) or id.
        #[arg(long)]
        role: Option<String>,
        /// Mark the e-mail address confirmed.
        #[arg(long)]
        confirmed: bool,
        /// Leave the account pending approval.
        #[arg(long)]
        pending: bool,
        /// Use this password instead of a generated one.
        #[arg(long, env = "WOOLLY_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Print a new access token for a user.
    Token {
        username: String,
        #[arg(long, default_value = "read")]
        scopes: String,
    },
    /// Confirm a user's e-mail address.
    Confirm { username: String },
    /// Approve a pending user.
    Approve { username: String },
    /// Set a new password (printed) and revoke the user's tokens.
    ResetPassword {
        username: String,
        #[arg(long, env = "WOOLLY_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Give a user a role ("none" removes it).
    SetRole { username: String, role: String },
    /// Create a custom role.
    CreateRole {
        name: String,
        /// Comma-separated permission names (manage_users,manage_reports) or a number.
        #[arg(long, default_value = "")]
        permissions: String,
        #[arg(long, default_value_t = 0)]
        position: i64,
        #[arg(long, default_value = "")]
        color: String,
        #[arg(long)]
        highlighted: bool,
    },
    /// List roles.
    Roles,
    /// Create a warning preset for moderators' strikes; prints its id.
    CreateWarningPreset {
        title: String,
        #[arg(long)]
        text: String,
    },
    /// List warning presets.
    WarningPresets,
    /// Fill the database with benchmark data (batched inserts, one precomputed password hash).
    Seed {
        #[arg(long, default_value_t = 10_000)]
        accounts: usize,
        #[arg(long, default_value_t = 10)]
        follows_per_account: usize,
        #[arg(long, default_value_t = 2)]
        statuses_per_account: usize,
        /// Generator seed: the same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Run the scheduled maintenance once now: purge accounts suspended more than 30 days ago
    /// and delete expired mutes (what `serve` does every few minutes).
    PurgeExpired,
    /// List the federation queue (deliveries and inbound activities waiting or retrying),
    /// then the domains whose deliveries fail and those marked unavailable.
    Deliveries,
    /// Print the SQL and query plan of an admin accounts list request, e.g.
    /// `explain-accounts "status=active&username=al"` (v2 parameters; `--v1` for v1).
    ExplainAccounts {
        query: String,
        #[arg(long)]
        v1: bool,
    },
}

pub async fn run(state: &AppState, cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::CreateWarningPreset { title, text } => {
            let id = operator::create_warning_preset(state, &title, &text).await?;
            println!("created warning preset {title} (id {id})");
        }
        AdminCommand::WarningPresets => {
            for p in operator::list_warning_presets(state).await? {
                println!("{}\t{}\t{}", p.id, p.title, p.text.replace('\n', " "));
            }
        }
        AdminCommand::CreateAccount {
            username,
            email,
            role,
            confirmed,
            pending,
            password,
        } => {
            let (id, pw) = operator::create_account(
                state,
                CreateAccount {
                    username: username.clone(),
                    email,
                    role,
                    confirmed,
                    approved: !pending,
                    password,
                },
            )
            .await?;
            println!("created {username} (account id {id})");
            println!("password: {pw}");
        }
        AdminCommand::Token { username, scopes } => {
            println!(
                "{}",
                operator::issue_token(state, &username, &scopes).await?
            );
        }
        AdminCommand::Confirm { username } => {
            operator::confirm(state, &username).await?;
            println!("confirmed {username}");
        }
        AdminCommand::Approve { username } => {
            operator::approve(state, &username).await?;
            println!("approved {username}");
        }
        AdminCommand::ResetPassword { username, password } => {
            let pw = operator::reset_password(state, &username, password).await?;
            println!("password: {pw}");
        }
        AdminCommand::SetRole { username, role } => {
            operator::set_role(state, &username, Some(&role)).await?;
            println!("{username} now has role {role}");
        }
        AdminCommand::CreateRole {
            name,
            permissions,
            position,
            color,
            highlighted,
        } => {
            let id =
                operator::create_role(state, &name, &permissions, position, &color, highlighted)
                    .await?;
            println!("created role {name} (id {id})");
        }
        AdminCommand::Seed {
            accounts,
            follows_per_account,
            statuses_per_account,
            seed,
        } => {
            let plan = seed::SeedPlan {
                accounts,
                follows_per_account,
                statuses_per_account,
                seed,
            };
            let started = std::time::Instant::now();
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg:>9} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let report = |phase: &str, done: usize, total: usize| {
                bar.set_message(phase.to_owned());
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            seed::run(state, plan, &report)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.body()["error"]))?;
            bar.finish_and_clear();
            println!(
                "seeded {accounts} accounts in {:.1}s",
                started.elapsed().as_secs_f64()
            );
        }
        AdminCommand::ExplainAccounts { query, v1 } => {
            let version = if v1 { ApiVersion::V1 } else { ApiVersion::V2 };
            let explained = explain::accounts_list(state, version, &query)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.body()["error"]))?;
            println!("{}", explained.sql);
            for line in explained.plan {
                println!("  {line}");
            }
        }
        AdminCommand::PurgeExpired => {
            let swept = maintenance::run(state, woolly::domain::time::now())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "purged {} account(s), deleted {} expired mute(s)",
                swept.purged.len(),
                swept.expired_mutes
            );
        }
        AdminCommand::Deliveries => {
            let jobs = woolly::services::federation::worker::pending(state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} job(s) queued", jobs.len());
            for (kind, target, attempts, error) in jobs {
                println!(
                    "{kind}\t{}\tattempts {attempts}\t{}",
                    target.unwrap_or_default(),
                    error.unwrap_or_default()
                );
            }
            let domains = woolly::services::federation::availability::domains(state)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for (domain, days, since) in domains {
                match since {
                    Some(at) => println!(
                        "unavailable\t{domain}\tsince {}\tfailed on {days} day(s)",
                        woolly::domain::time::iso8601(at)
                    ),
                    None => println!("failing\t{domain}\tfailed on {days} day(s)"),
                }
            }
        }
        AdminCommand::Roles => {
            for r in operator::list_roles(state).await? {
                println!(
                    "{}\t{}\tposition {}\tpermissions {}",
                    r.id,
                    if r.name.is_empty() {
                        "(everyone)"
                    } else {
                        &r.name
                    },
                    r.position,
                    r.permissions
                );
            }
        }
    }
    Ok(())
}
