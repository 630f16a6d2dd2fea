//! The profile's tables: medicines, pregnancies and conditions, each row an owner's (see
//! `legcramps_core::profile`). Dates are stored as `YYYY-MM-DD` text.

use chrono::NaiveDate;
use legcramps_core::diary::{Medication, parse_date};
use legcramps_core::profile::{
    Condition, EntryId, FromDiary, MAX_ENTRIES, Medicine, Pregnancy, Profile,
};
use sqlx::Row;

use crate::{Owner, OwnerLock, Store, StoreError, corrupt, on_pool};

/// The migration that moved the context older diaries kept with each cramp (a new medicine,
/// pregnant or not) into the profile. It runs after the SQL migrations, once, in one
/// transaction: the profile is written and the episodes' old columns cleared together.
pub(crate) const MOVE_CONTEXT_VERSION: i64 = 11;

/// What [`Store::add_to_profile`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddedToProfile {
    Added,
    /// Nothing stored: the profile (here, as it was) already has every entry.
    AlreadyThere(Profile),
    /// Nothing stored: a list would go past [`MAX_ENTRIES`].
    Full,
}

/// Which list of the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Medicine,
    Pregnancy,
    Condition,
}

impl Kind {
    fn table(self) -> &'static str {
        match self {
            Kind::Medicine => "profile_medicines",
            Kind::Pregnancy => "profile_pregnancies",
            Kind::Condition => "profile_conditions",
        }
    }
}

pub(crate) fn day(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| parse_date("date", &t).map_err(corrupt))
        .transpose()
}

pub(crate) fn text(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A fresh entry id.
pub fn new_entry_id() -> EntryId {
    EntryId::new(&uuid::Uuid::new_v4().to_string()).unwrap_or_else(|_| unreachable!())
}

/// Insert a profile's entries for an owner (within a caller's transaction).
macro_rules! insert_profile {
    ($tx:expr, $owner:expr, $p:expr) => {{
        let (owner, p): (&str, &::legcramps_core::profile::Profile) = ($owner, $p);
        for m in &p.medicines {
            sqlx::query("INSERT INTO profile_medicines (owner, id, name, started, stopped, from_diary) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(owner)
                .bind(m.id.as_str())
                .bind(m.name())
                .bind(m.started.to_string())
                .bind($crate::profile::text(m.stopped))
                .bind(i16::from(m.from_diary))
                .execute(&mut *$tx)
                .await?;
        }
        for r in &p.pregnancies {
            sqlx::query("INSERT INTO profile_pregnancies (owner, id, started, ended, from_diary) VALUES ($1, $2, $3, $4, $5)")
                .bind(owner)
                .bind(r.id.as_str())
                .bind(r.started.to_string())
                .bind($crate::profile::text(r.ended))
                .bind(i16::from(r.from_diary))
                .execute(&mut *$tx)
                .await?;
        }
        for c in &p.conditions {
            sqlx::query("INSERT INTO profile_conditions (owner, id, name, since) VALUES ($1, $2, $3, $4)")
                .bind(owner)
                .bind(c.id.as_str())
                .bind(c.name())
                .bind($crate::profile::text(c.since))
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use insert_profile;

/// The whole of an owner's profile in one query (one round trip on the diary's hot path): each
/// row is one entry, `kind` saying which list.
pub(crate) const PROFILE_SQL: &str = "SELECT 'medicine' AS kind, id, name, started AS first_day, stopped AS last_day, from_diary FROM profile_medicines WHERE owner = $1 \
     UNION ALL SELECT 'pregnancy', id, NULL, started, ended, from_diary FROM profile_pregnancies WHERE owner = $1 \
     UNION ALL SELECT 'condition', id, name, since, NULL, CAST(0 AS SMALLINT) FROM profile_conditions WHERE owner = $1";

/// One row of [`PROFILE_SQL`], added to `p`; a row the app could not have written is corrupt.
pub(crate) fn add_row(
    p: &mut Profile,
    kind: &str,
    id: String,
    name: Option<String>,
    (first, last): (Option<String>, Option<String>),
    from_diary: bool,
) -> Result<(), StoreError> {
    let id = EntryId::new(&id).map_err(corrupt)?;
    let (first, last) = (day(first)?, day(last)?);
    let missing = || corrupt(format!("a profile {kind} with no name or no start"));
    match kind {
        "medicine" => {
            let name = name.ok_or_else(missing)?;
            let started = first.ok_or_else(missing)?;
            let mut m = Medicine::new(id, &name, started, last).map_err(corrupt)?;
            m.from_diary = from_diary;
            p.medicines.push(m);
        }
        "pregnancy" => {
            let started = first.ok_or_else(missing)?;
            let mut r = Pregnancy::new(id, started, last).map_err(corrupt)?;
            r.from_diary = from_diary;
            p.pregnancies.push(r);
        }
        _ => {
            let name = name.ok_or_else(missing)?;
            p.conditions
                .push(Condition::new(id, &name, first).map_err(corrupt)?);
        }
    }
    Ok(())
}

/// Read an owner's profile (from a pool or a transaction), in one query.
macro_rules! read_profile {
    ($exec:expr, $owner:expr) => {{
        let owner: &str = $owner;
        let mut p = ::legcramps_core::profile::Profile::default();
        let rows = sqlx::query($crate::profile::PROFILE_SQL)
            .bind(owner)
            .fetch_all(&mut *$exec)
            .await?;
        for r in &rows {
            let got = |c: &str| r.try_get::<Option<String>, _>(c).map_err($crate::corrupt);
            $crate::profile::add_row(
                &mut p,
                &r.try_get::<String, _>("kind").map_err($crate::corrupt)?,
                r.try_get::<String, _>("id").map_err($crate::corrupt)?,
                got("name")?,
                (got("first_day")?, got("last_day")?),
                r.try_get::<i16, _>("from_diary").map_err($crate::corrupt)? != 0,
            )?;
        }
        p.sort();
        Ok::<::legcramps_core::profile::Profile, $crate::StoreError>(p)
    }};
}
pub(crate) use read_profile;

/// `add` cut so that no list of `here` grows past [`MAX_ENTRIES`] (what older programs and
/// files say goes in only while there is room; the pages and `legcramps profile` refuse, saying
/// so, instead).
pub(crate) fn fit(here: &Profile, mut add: Profile) -> Profile {
    add.medicines
        .truncate(MAX_ENTRIES.saturating_sub(here.medicines.len()));
    add.pregnancies
        .truncate(MAX_ENTRIES.saturating_sub(here.pregnancies.len()));
    add.conditions
        .truncate(MAX_ENTRIES.saturating_sub(here.conditions.len()));
    add
}

/// What an import adds, with ids the owner's profile can take: a file's own id is kept when
/// the owner has no entry of that kind with it (so a JSON file round-trips exactly); one the
/// owner has, or one made up for a file's CSV columns (`file-`), is replaced with a new one.
pub(crate) fn with_free_ids(here: &Profile, mut p: Profile) -> Profile {
    fn fresh(id: &EntryId, taken: &[&EntryId]) -> EntryId {
        if id.as_str().starts_with("file-") || taken.contains(&id) {
            new_entry_id()
        } else {
            id.clone()
        }
    }
    let taken: Vec<&EntryId> = here.medicines.iter().map(|m| &m.id).collect();
    for m in &mut p.medicines {
        m.id = fresh(&m.id, &taken);
    }
    let taken: Vec<&EntryId> = here.pregnancies.iter().map(|r| &r.id).collect();
    for r in &mut p.pregnancies {
        r.id = fresh(&r.id, &taken);
    }
    let taken: Vec<&EntryId> = here.conditions.iter().map(|c| &c.id).collect();
    for c in &mut p.conditions {
        c.id = fresh(&c.id, &taken);
    }
    p
}

impl Store {
    /// The owner's profile, each list in order.
    pub async fn profile(&self, owner: &Owner) -> Result<Profile, StoreError> {
        on_pool!(self, |pool| {
            let mut conn = pool.acquire().await?;
            read_profile!(conn, owner.as_str())
        })
    }

    /// Add entries to the owner's profile, unless they add nothing it lacks (the same thing
    /// twice: a double tap, the back button) or would take a list past [`MAX_ENTRIES`]. The
    /// check and the write are one step for each owner (SQLite: the write lock is taken
    /// first, `BEGIN IMMEDIATE`; PostgreSQL: a per-owner advisory lock), so two identical
    /// entries sent at the same moment are stored once, and a burst cannot pass the limit.
    pub async fn add_to_profile(
        &self,
        owner: &Owner,
        p: &Profile,
    ) -> Result<AddedToProfile, StoreError> {
        fn decide(here: Profile, p: &Profile) -> Option<AddedToProfile> {
            if here.missing_from(p).is_empty() {
                return Some(AddedToProfile::AlreadyThere(here));
            }
            let full = [
                (here.medicines.len(), p.medicines.len()),
                (here.pregnancies.len(), p.pregnancies.len()),
                (here.conditions.len(), p.conditions.len()),
            ]
            .iter()
            .any(|&(had, adding)| adding > 0 && had + adding > MAX_ENTRIES);
            full.then_some(AddedToProfile::Full)
        }
        match self {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let here = read_profile!(tx, owner.as_str())?;
                if let Some(refused) = decide(here, p) {
                    tx.rollback().await?;
                    return Ok(refused);
                }
                insert_profile!(tx, owner.as_str(), p);
                tx.commit().await?;
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(OwnerLock::SQL)
                    .bind(owner.as_str())
                    .bind(OwnerLock::Profile.seed())
                    .execute(&mut *tx)
                    .await?;
                let here = read_profile!(tx, owner.as_str())?;
                if let Some(refused) = decide(here, p) {
                    tx.rollback().await?;
                    return Ok(refused);
                }
                insert_profile!(tx, owner.as_str(), p);
                tx.commit().await?;
            }
        }
        Ok(AddedToProfile::Added)
    }

    /// Change the owner's medicine with this id. False when they have none.
    pub async fn update_medicine(&self, owner: &Owner, m: &Medicine) -> Result<bool, StoreError> {
        let changed = on_pool!(self, |pool| {
            sqlx::query("UPDATE profile_medicines SET name = $3, started = $4, stopped = $5, from_diary = 0 WHERE owner = $1 AND id = $2")
                .bind(owner.as_str())
                .bind(m.id.as_str())
                .bind(m.name())
                .bind(m.started.to_string())
                .bind(text(m.stopped))
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        Ok(changed == 1)
    }

    pub async fn update_pregnancy(&self, owner: &Owner, r: &Pregnancy) -> Result<bool, StoreError> {
        let changed = on_pool!(self, |pool| {
            sqlx::query("UPDATE profile_pregnancies SET started = $3, ended = $4, from_diary = 0 WHERE owner = $1 AND id = $2")
                .bind(owner.as_str())
                .bind(r.id.as_str())
                .bind(r.started.to_string())
                .bind(text(r.ended))
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        Ok(changed == 1)
    }

    pub async fn update_condition(&self, owner: &Owner, c: &Condition) -> Result<bool, StoreError> {
        let changed = on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE profile_conditions SET name = $3, since = $4 WHERE owner = $1 AND id = $2",
            )
            .bind(owner.as_str())
            .bind(c.id.as_str())
            .bind(c.name())
            .bind(text(c.since))
            .execute(pool)
            .await
            .map(|d| d.rows_affected())
        })?;
        Ok(changed == 1)
    }

    /// Remove one entry. False when the owner has no entry of that kind with that id.
    pub async fn delete_profile_entry(
        &self,
        owner: &Owner,
        kind: Kind,
        id: &EntryId,
    ) -> Result<bool, StoreError> {
        let sql = format!("DELETE FROM {} WHERE owner = $1 AND id = $2", kind.table());
        let done = on_pool!(self, |pool| {
            sqlx::query(&sql)
                .bind(owner.as_str())
                .bind(id.as_str())
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        self.forget_deleted().await;
        Ok(done == 1)
    }

    /// Add to the owner's profile what a cramp from an older program said (a new medicine,
    /// pregnant): only what the profile does not already have. Returns how many entries were
    /// added.
    pub async fn add_from_diary(
        &self,
        owner: &Owner,
        said: &FromDiary,
    ) -> Result<usize, StoreError> {
        if !said.says_something() {
            return Ok(0);
        }
        let implied = Profile::from_diary(std::slice::from_ref(said), new_entry_id);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let here = read_profile!(tx, owner.as_str())?;
            let missing = fit(&here, here.missing_from(&implied));
            let n = missing.medicines.len() + missing.pregnancies.len() + missing.conditions.len();
            insert_profile!(tx, owner.as_str(), &missing);
            tx.commit().await?;
            Ok(n)
        })
    }
}

/// The context-moving migration ([`MOVE_CONTEXT_VERSION`]): for every owner whose cramps say
/// something about a new medicine or pregnancy, the profile [`Profile::from_diary`] works out
/// from all of that owner's cramps, then the old columns cleared, in one transaction.
pub(crate) async fn move_context(store: &Store, lock: &str) -> Result<(), StoreError> {
    on_pool!(store, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(lock).execute(&mut *tx).await?;
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM legcramps_migrations WHERE version = $1")
                .bind(MOVE_CONTEXT_VERSION)
                .fetch_optional(&mut *tx)
                .await?;
        if done.is_some() {
            return Ok(());
        }
        let rows = sqlx::query(
            "SELECT owner, local_date, pregnant, medication_name, medication_started FROM episodes
             WHERE owner IN (SELECT owner FROM episodes WHERE pregnant = 1 OR medication_name IS NOT NULL)
             ORDER BY owner, local_date",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut by_owner: Vec<(String, Vec<FromDiary>)> = Vec::new();
        for r in &rows {
            let owner: String = r.try_get("owner").map_err(corrupt)?;
            let local: String = r.try_get("local_date").map_err(corrupt)?;
            let medicine = match r
                .try_get::<Option<String>, _>("medication_name")
                .map_err(corrupt)?
            {
                Some(name) => vec![
                    Medication::new(
                        &name,
                        day(r.try_get("medication_started").map_err(corrupt)?)?,
                    )
                    .map_err(corrupt)?,
                ],
                None => Vec::new(),
            };
            let said = FromDiary {
                day: day(Some(local))?.unwrap_or_else(|| unreachable!()),
                pregnant: r.try_get::<i16, _>("pregnant").map_err(corrupt)? != 0,
                medicines: medicine,
                ..FromDiary::default()
            };
            match by_owner.last_mut() {
                Some((o, list)) if *o == owner => list.push(said),
                _ => by_owner.push((owner, vec![said])),
            }
        }
        for (owner, said) in &by_owner {
            let p = Profile::from_diary(said, new_entry_id);
            insert_profile!(tx, owner.as_str(), &p);
        }
        sqlx::query("UPDATE episodes SET pregnant = 0, medication_name = NULL, medication_started = NULL WHERE pregnant = 1 OR medication_name IS NOT NULL")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO legcramps_migrations (version) VALUES ($1)")
            .bind(MOVE_CONTEXT_VERSION)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    })
}
