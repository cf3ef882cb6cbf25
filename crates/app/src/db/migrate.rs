//! Migrations are embedded in the binary and run at start.

use sqlx::migrate::Migrator;

use super::Db;

static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

pub async fn run(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    let migrated = match db {
        Db::Sqlite(pool, ..) => SQLITE.run(pool).await,
        Db::Pg(pool, _) => POSTGRES.run(pool).await,
    };
    db.note_write();
    migrated
}
