//! The benchmark seeder: fills either backend fast with a realistic mix of accounts
//! (local and remote; pending, disabled, silenced, suspended; staff), follows and statuses.

use crate::db::repo::seed::{self, SeedAccount, SeedUser};
use crate::domain::{password, time};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub accounts: usize,
    pub follows_per_account: usize,
    pub statuses_per_account: usize,
    /// Deterministic generator seed.
    pub seed: u64,
}

/// A small deterministic generator (xorshift64*): reproducible data without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
}

const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yuki", "zoe",
    "amara", "bjorn", "chen", "dmitri", "elif", "farah", "gustav", "hana", "ines", "jonas", "kofi",
    "lena", "mateo", "noor", "oskar", "priya",
];
const LAST: &[&str] = &[
    "smith",
    "garcia",
    "kim",
    "nguyen",
    "muller",
    "rossi",
    "silva",
    "khan",
    "sato",
    "novak",
    "dubois",
    "jensen",
    "okafor",
    "kowalski",
    "haddad",
    "lindqvist",
    "moreau",
    "tanaka",
    "ivanova",
    "fischer",
];
const DOMAINS: &[&str] = &[
    "mastodon.social",
    "fosstodon.org",
    "hachyderm.io",
    "mas.to",
    "infosec.exchange",
    "chaos.social",
    "mstdn.jp",
    "social.coop",
    "ruby.social",
    "tech.lgbt",
    "kolektiva.social",
    "aus.social",
];

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Progress callback: (phase, done, total).
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

pub async fn run(state: &AppState, plan: SeedPlan, progress: Progress<'_>) -> ApiResult<()> {
    let mut rng = Rng(plan.seed | 1);
    let hash = tokio::task::spawn_blocking(|| password::hash("password"))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let now = time::now();
    let ids: Vec<i64> = (0..plan.accounts).map(|_| state.next_id()).collect();
    // Follow pairs first, so counters go in with the accounts.
    let graph = follow_graph(&mut rng, &plan);
    let seeded = Seeded {
        state,
        ids: &ids,
        statuses_per_account: plan.statuses_per_account,
        now,
        progress,
    };
    seeded.accounts(&mut rng, &plan, &graph, &hash).await?;
    seeded.follows(&graph.pairs).await?;
    seeded.statuses(&mut rng).await?;
    {
        let mut conn = state.db().conn().await?;
        seed::analyze(&mut conn.exec()).await?;
    }
    // As a running deployment has them: a process that starts answers the instance at once.
    crate::services::instance_stats::count(state).await?;
    Ok(())
}

/// Who follows whom (account indexes), and each account's counters.
struct FollowGraph {
    pairs: Vec<(usize, usize)>,
    followers: Vec<i64>,
    following: Vec<i64>,
}

fn follow_graph(rng: &mut Rng, plan: &SeedPlan) -> FollowGraph {
    let mut followers = vec![0i64; plan.accounts];
    let mut following = vec![0i64; plan.accounts];
    let mut pairs: Vec<(usize, usize)> =
        Vec::with_capacity(plan.accounts * plan.follows_per_account);
    for (a, following_a) in following.iter_mut().enumerate() {
        let mut chosen: Vec<usize> = Vec::with_capacity(plan.follows_per_account);
        for _ in 0..plan
            .follows_per_account
            .min(plan.accounts.saturating_sub(1))
        {
            // Skewed towards low indexes, so some accounts are popular.
            let t = if rng.chance(300) {
                rng.below(plan.accounts.min(1000))
            } else {
                rng.below(plan.accounts)
            };
            if t != a && !chosen.contains(&t) {
                chosen.push(t);
            }
        }
        for t in chosen {
            followers[t] += 1;
            *following_a += 1;
            pairs.push((a, t));
        }
    }
    FollowGraph {
        pairs,
        followers,
        following,
    }
}

/// The account with index `i` (and its user when local), drawn from `rng`.
fn seed_account(
    rng: &mut Rng,
    i: usize,
    id: i64,
    graph: &FollowGraph,
    seeded: &Seeded<'_>,
) -> SeedAccount {
    let now = seeded.now;
    let first = FIRST[rng.below(FIRST.len())];
    let last = LAST[rng.below(LAST.len())];
    let username = format!("{first}_{last}{i}");
    let remote = rng.chance(150);
    let created_at = now - i64::try_from(rng.below(3 * 365 * 86_400_000)).unwrap_or(0);
    let statuses = i64::try_from(seeded.statuses_per_account).unwrap_or(0);
    let user = (!remote).then(|| SeedUser {
        id: seeded.state.next_id(),
        email: format!(
            "{username}@{}",
            ["example.com", "mail.test", "post.example"][rng.below(3)]
        ),
        role_id: if i % 5000 == 1 {
            Some(1)
        } else if i % 20000 == 2 {
            Some(2)
        } else {
            None
        },
        approved: !rng.chance(20),
        disabled: rng.chance(10),
        confirmed: !rng.chance(10),
        ip: std::net::IpAddr::from([
            10,
            u8::try_from(i % 251).unwrap_or(0),
            u8::try_from(rng.below(256)).unwrap_or(0),
            u8::try_from(rng.below(256)).unwrap_or(0),
        ]),
    });
    SeedAccount {
        id,
        username,
        domain: remote.then(|| DOMAINS[rng.below(DOMAINS.len())].to_owned()),
        display_name: format!("{} {}", capitalise(first), capitalise(last)),
        followers_count: graph.followers[i],
        following_count: graph.following[i],
        statuses_count: statuses,
        last_status_at: (statuses > 0).then_some(now),
        silenced_at: rng.chance(10).then_some(now),
        suspended_at: rng.chance(5).then_some(now),
        created_at,
        user,
    }
}

/// One seeding run's fixed inputs.
struct Seeded<'a> {
    state: &'a AppState,
    ids: &'a [i64],
    statuses_per_account: usize,
    now: i64,
    progress: Progress<'a>,
}

impl Seeded<'_> {
    async fn accounts(
        &self,
        rng: &mut Rng,
        plan: &SeedPlan,
        graph: &FollowGraph,
        hash: &str,
    ) -> ApiResult<()> {
        let (state, base) = (self.state, self.state.base_url());
        let mut tx = state.db().begin().await?;
        let mut batch: Vec<SeedAccount> = Vec::with_capacity(seed::BATCH);
        for (i, id) in self.ids.iter().enumerate() {
            batch.push(seed_account(rng, i, *id, graph, self));
            if batch.len() == seed::BATCH {
                seed::insert_accounts(&mut tx.exec(), &base, hash, &batch).await?;
                batch.clear();
                (self.progress)("accounts", i + 1, plan.accounts);
                if (i + 1) % 50_000 == 0 {
                    tx.commit().await?;
                    tx = state.db().begin().await?;
                }
            }
        }
        seed::insert_accounts(&mut tx.exec(), &base, hash, &batch).await?;
        (self.progress)("accounts", plan.accounts, plan.accounts);
        tx.commit().await?;
        Ok(())
    }

    async fn follows(&self, pairs: &[(usize, usize)]) -> ApiResult<()> {
        let (state, ids, now) = (self.state, self.ids, self.now);
        let mut tx = state.db().begin().await?;
        let mut rows = Vec::with_capacity(seed::BATCH);
        for (n, (a, t)) in pairs.iter().enumerate() {
            rows.push((state.next_id(), ids[*a], ids[*t], now));
            if rows.len() == seed::BATCH {
                seed::insert_follows(&mut tx.exec(), &rows).await?;
                rows.clear();
                (self.progress)("follows", n + 1, pairs.len());
                if (n + 1) % 100_000 == 0 {
                    tx.commit().await?;
                    tx = state.db().begin().await?;
                }
            }
        }
        seed::insert_follows(&mut tx.exec(), &rows).await?;
        (self.progress)("follows", pairs.len(), pairs.len());
        tx.commit().await?;
        Ok(())
    }

    async fn statuses(&self, rng: &mut Rng) -> ApiResult<()> {
        let (state, base, now) = (self.state, self.state.base_url(), self.now);
        let per_account = self.statuses_per_account;
        let total = self.ids.len() * per_account;
        let mut tx = state.db().begin().await?;
        let mut rows = Vec::with_capacity(seed::BATCH);
        let mut n = 0;
        for id in self.ids {
            for s in 0..per_account {
                n += 1;
                let vis = [0, 0, 0, 1, 2][rng.below(5)];
                rows.push((
                    state.next_id(),
                    *id,
                    format!("status {s} of {id}"),
                    vis,
                    now,
                ));
                if rows.len() == seed::BATCH {
                    seed::insert_statuses(&mut tx.exec(), &base, &rows).await?;
                    rows.clear();
                    (self.progress)("statuses", n, total);
                    if n % 100_000 == 0 {
                        tx.commit().await?;
                        tx = state.db().begin().await?;
                    }
                }
            }
        }
        seed::insert_statuses(&mut tx.exec(), &base, &rows).await?;
        (self.progress)("statuses", total, total);
        tx.commit().await?;
        Ok(())
    }
}
