//! Accounts, sessions and security events (for `legcramps serve --accounts`). The rows hold no
//! secret in the clear: passwords as argon2id PHC strings, session ids as SHA-256 hashes (see
//! `legcramps-accounts`). Security events hold a keyed hash of the IP, never health data.

use sqlx::Row;

use crate::{Owner, Store, StoreError, on_pool, unix_now};

/// An account's id (a UUID, as text). Its own type, so that an account id cannot be passed
/// where a token id, a hash or a username is meant (`set_password_hash(id, hash)` cannot swap).
#[derive(Debug, Clone, PartialEq, Eq, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct AccountId(String);

impl AccountId {
    /// A fresh id for a new account.
    pub fn fresh() -> AccountId {
        AccountId(uuid::Uuid::new_v4().to_string())
    }

    /// An id as the store wrote it (read back from a row or a test's fixture).
    pub fn from_stored(id: impl Into<String>) -> AccountId {
        AccountId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A username's look-alike key: Unicode's confusable skeleton (UTS #39, through
/// `unicode-security`), so that names a person would read as the same ("bob" with a Cyrillic
/// "о", "paypa1" and "paypal") have one key, and only one account can hold it. Usernames are
/// already folded (NFKC, lower case) by `legcramps_accounts::Username`.
pub fn look_alike(username: &str) -> String {
    unicode_security::skeleton(username)
        .collect::<String>()
        .to_lowercase()
}

/// One account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub username: String,
    pub password_hash: Option<String>,
    pub created_utc: i64,
    pub disabled: bool,
}

impl Account {
    /// Whose diary rows are this account's.
    pub fn owner(&self) -> Owner {
        Owner::account(&self.id)
    }
}

/// How a table names the account a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountColumn {
    /// `owner`, holding `account:<id>` (the diary's rows).
    Owner,
    /// `account_id`, holding the bare id (sign-in rows).
    AccountId,
}

/// One signed-in session (the id itself is only ever in the person's cookie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub account_id: AccountId,
    pub created_utc: i64,
    pub last_seen_utc: i64,
    /// A short description of the browser, from its User-Agent (for "your sessions").
    pub device: String,
    /// When the person last proved who they are in this session (sign-in or "Confirm it is
    /// you"); 0 for a session from before this was kept.
    pub confirmed_utc: i64,
}

/// What a session cookie turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionCheck {
    Live(Session, Account),
    /// It had been idle or open too long, and has just ended: this account's.
    Ended(AccountId),
    /// No such session (signed out, ended on purpose, or never one), or a disabled account.
    Unknown,
}

/// How long sessions last (settings; defaults: 30 minutes idle, 12 hours in all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle_seconds: 30 * 60,
            absolute_seconds: 12 * 60 * 60,
        }
    }
}

/// A personal access token, as listed (the token itself is shown once and never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: String,
    pub account_id: String,
    pub name: String,
    /// "read" or "read-write".
    pub scope: String,
    pub created_utc: i64,
    pub last_used_utc: Option<i64>,
    /// When it stops working (unix seconds).
    pub expires_utc: i64,
}

/// What a security event records. Stored as its text ([`EventKind::as_str`]), which is what
/// the operator's `admin events` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// An account was made.
    SignUp,
    /// A sign-in completed (every factor proved).
    SignIn,
    /// A sign-in failed (wrong username, password or passkey).
    SignInFailed,
    /// The password was right and a second step was asked for.
    PasswordOk,
    /// The second step failed.
    SecondStepFailed,
    /// The person signed out.
    SignOut,
    /// The person ended their other sessions.
    SessionsEnded,
    /// The password was changed.
    PasswordChanged,
    /// The account was recovered with a recovery code.
    Recovered,
    /// A recovery failed.
    RecoveryFailed,
    /// A recovery code was used as the second step.
    RecoveryCodeUsed,
    /// A new set of recovery codes was made.
    RecoveryCodesMade,
    /// A personal access token was made.
    TokenCreated,
    /// A personal access token was revoked.
    TokenRevoked,
    /// An authenticator app was set up.
    TotpAdded,
    /// The authenticator app was removed.
    TotpRemoved,
    /// A passkey was added.
    PasskeyAdded,
    /// A passkey was removed.
    PasskeyRemoved,
    /// The operator disabled the account.
    DisabledByOperator,
    /// The operator enabled the account again.
    EnabledByOperator,
    /// The operator turned off the account's second step (app and passkeys).
    SecondStepResetByOperator,
    /// The account was deleted (kept without the account's id).
    AccountDeleted,
}

impl EventKind {
    /// Every kind, for tests and documentation.
    pub const ALL: [EventKind; 22] = [
        EventKind::SignUp,
        EventKind::SignIn,
        EventKind::SignInFailed,
        EventKind::PasswordOk,
        EventKind::SecondStepFailed,
        EventKind::SignOut,
        EventKind::SessionsEnded,
        EventKind::PasswordChanged,
        EventKind::Recovered,
        EventKind::RecoveryFailed,
        EventKind::RecoveryCodeUsed,
        EventKind::RecoveryCodesMade,
        EventKind::TokenCreated,
        EventKind::TokenRevoked,
        EventKind::TotpAdded,
        EventKind::TotpRemoved,
        EventKind::PasskeyAdded,
        EventKind::PasskeyRemoved,
        EventKind::DisabledByOperator,
        EventKind::EnabledByOperator,
        EventKind::SecondStepResetByOperator,
        EventKind::AccountDeleted,
    ];

    /// The stored text: `sign-in`, `token-created`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::SignUp => "sign-up",
            EventKind::SignIn => "sign-in",
            EventKind::SignInFailed => "sign-in-failed",
            EventKind::PasswordOk => "password-ok",
            EventKind::SecondStepFailed => "second-step-failed",
            EventKind::SignOut => "sign-out",
            EventKind::SessionsEnded => "sessions-ended",
            EventKind::PasswordChanged => "password-changed",
            EventKind::Recovered => "recovered",
            EventKind::RecoveryFailed => "recovery-failed",
            EventKind::RecoveryCodeUsed => "recovery-code-used",
            EventKind::RecoveryCodesMade => "recovery-codes-made",
            EventKind::TokenCreated => "token-created",
            EventKind::TokenRevoked => "token-revoked",
            EventKind::TotpAdded => "totp-added",
            EventKind::TotpRemoved => "totp-removed",
            EventKind::PasskeyAdded => "passkey-added",
            EventKind::PasskeyRemoved => "passkey-removed",
            EventKind::DisabledByOperator => "disabled-by-operator",
            EventKind::EnabledByOperator => "enabled-by-operator",
            EventKind::SecondStepResetByOperator => "second-step-reset-by-operator",
            EventKind::AccountDeleted => "account-deleted",
        }
    }
}

/// A security event, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityEvent {
    pub at_utc: i64,
    pub account_id: Option<AccountId>,
    pub kind: String,
    pub ip_hash: String,
}

fn account_from_row<R>(r: &R) -> Result<Account, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    i64: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    i16: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
{
    let c = crate::corrupt;
    Ok(Account {
        id: r.try_get("id").map_err(c)?,
        username: r.try_get("username").map_err(c)?,
        password_hash: r.try_get("password_hash").map_err(c)?,
        created_utc: r.try_get("created_utc").map_err(c)?,
        disabled: r.try_get::<i16, _>("disabled").map_err(c)? != 0,
    })
}

fn session_from_row<R>(r: &R, created: &str) -> Result<Session, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    String: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
    i64: for<'x> sqlx::Decode<'x, R::Database> + sqlx::Type<R::Database>,
{
    let c = crate::corrupt;
    Ok(Session {
        id_hash: r.try_get("id_hash").map_err(c)?,
        account_id: r.try_get("account_id").map_err(c)?,
        created_utc: r.try_get(created).map_err(c)?,
        last_seen_utc: r.try_get("last_seen_utc").map_err(c)?,
        device: r.try_get("device").map_err(c)?,
        confirmed_utc: r.try_get("confirmed_utc").map_err(c)?,
    })
}

const ACCOUNT_COLUMNS: &str = "id, username, password_hash, created_utc, disabled";

impl Store {
    /// A server-wide secret by name, made from `fresh` the first time and the same for every
    /// process on this database afterwards (the key for IP hashes, say).
    pub async fn server_secret(&self, name: &str, fresh: &str) -> Result<String, StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(fresh)
                .execute(pool)
                .await?;
            Ok(
                sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
                    .bind(name)
                    .fetch_one(pool)
                    .await?,
            )
        })
    }

    /// Give every account made before look-alike keys existed its key (migration 14). One
    /// whose key another account already has (two names that already looked alike) keeps
    /// none; both go on working.
    pub(crate) async fn fill_look_alikes(&self) -> Result<(), StoreError> {
        let missing: Vec<(AccountId, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, username FROM accounts WHERE look_alike IS NULL ORDER BY created_utc, id")
                .fetch_all(pool)
                .await
        })?;
        for (id, username) in missing {
            let key = look_alike(&username);
            on_pool!(self, |pool| {
                sqlx::query("UPDATE accounts SET look_alike = $1 WHERE id = $2 AND look_alike IS NULL AND NOT EXISTS (SELECT 1 FROM accounts WHERE look_alike = $1)")
                    .bind(&key)
                    .bind(&id)
                    .execute(pool)
                    .await
                    .map(|_| ())
            })?;
        }
        Ok(())
    }

    /// Make an account. `None` when the (normalised) username is taken, or looks the same as
    /// one that is ([`look_alike`]).
    pub async fn create_account(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<Option<Account>, StoreError> {
        let account = Account {
            id: AccountId::fresh(),
            username: username.to_owned(),
            password_hash: Some(password_hash.to_owned()),
            created_utc: unix_now(),
            disabled: false,
        };
        let done = on_pool!(self, |pool| {
            sqlx::query("INSERT INTO accounts (id, username, password_hash, created_utc, disabled, look_alike) VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT DO NOTHING")
                .bind(&account.id)
                .bind(&account.username)
                .bind(&account.password_hash)
                .bind(account.created_utc)
                .bind(look_alike(username))
                .execute(pool)
                .await
                .map(|d| d.rows_affected())
        })?;
        Ok((done == 1).then_some(account))
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<Account>, StoreError> {
        on_pool!(self, |pool| {
            let row = sqlx::query(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE username = $1"
            ))
            .bind(username)
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(account_from_row).transpose()
        })
    }

    /// Whether a new account could not take `username`: an account has it, or a name that
    /// looks the same ([`look_alike`]).
    pub async fn username_in_use(&self, username: &str) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM accounts WHERE username = $1 OR look_alike = $2",
            )
            .bind(username)
            .bind(look_alike(username))
            .fetch_one(pool)
            .await?;
            Ok(n > 0)
        })
    }

    pub async fn account_by_id(&self, id: &AccountId) -> Result<Option<Account>, StoreError> {
        on_pool!(self, |pool| {
            let row = sqlx::query(&format!(
                "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await?;
            row.as_ref().map(account_from_row).transpose()
        })
    }

    /// How many accounts there are, and how many of them are disabled.
    pub async fn count_accounts(&self) -> Result<(i64, i64), StoreError> {
        on_pool!(self, |pool| {
            let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
                .fetch_one(pool)
                .await?;
            let disabled: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE disabled = 1")
                    .fetch_one(pool)
                    .await?;
            Ok((all, disabled))
        })
    }

    /// Disable (and end every session of) an account, or enable it again. False when there
    /// is no such account.
    pub async fn set_disabled(
        &self,
        account_id: &AccountId,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("UPDATE accounts SET disabled = $2 WHERE id = $1")
                .bind(account_id)
                .bind(i16::from(disabled))
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Replace the account's recovery codes with these (hashes): the old ones stop working.
    pub async fn set_recovery_codes(
        &self,
        account_id: &AccountId,
        hashes: &[String],
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            for h in hashes {
                sqlx::query("INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)")
                    .bind(account_id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Use one recovery code: true (and the code marked used, so it never works again) when
    /// it is one of the account's unused codes.
    pub async fn use_recovery_code(
        &self,
        account_id: &AccountId,
        hash: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("UPDATE recovery_codes SET used_utc = $3 WHERE account_id = $1 AND code_hash = $2 AND used_utc IS NULL")
                .bind(account_id)
                .bind(hash)
                .bind(unix_now())
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// How many unused recovery codes the account has.
    pub async fn recovery_codes_left(&self, account_id: &AccountId) -> Result<i64, StoreError> {
        on_pool!(self, |pool| {
            Ok(sqlx::query_scalar(
                "SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_utc IS NULL",
            )
            .bind(account_id)
            .fetch_one(pool)
            .await?)
        })
    }

    /// Keep a new token's hash. Returns its id.
    pub async fn create_token(
        &self,
        account_id: &AccountId,
        name: &str,
        token_hash: &str,
        scope: &str,
        lives_seconds: i64,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        let now = unix_now();
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO api_tokens (id, account_id, name, token_hash, scope, created_utc, expires_utc) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id)
                .bind(account_id)
                .bind(name)
                .bind(token_hash)
                .bind(scope)
                .bind(now)
                .bind(now.saturating_add(lives_seconds))
                .execute(pool)
                .await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(id)
    }

    /// The account's tokens, newest first.
    pub async fn tokens_of(&self, account_id: &AccountId) -> Result<Vec<ApiToken>, StoreError> {
        on_pool!(self, |pool| {
            let rows = sqlx::query("SELECT id, account_id, name, scope, created_utc, last_used_utc, expires_utc FROM api_tokens WHERE account_id = $1 ORDER BY created_utc DESC, id")
                .bind(account_id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let c = crate::corrupt;
                    Ok(ApiToken {
                        id: r.try_get("id").map_err(c)?,
                        account_id: r.try_get("account_id").map_err(c)?,
                        name: r.try_get("name").map_err(c)?,
                        scope: r.try_get("scope").map_err(c)?,
                        created_utc: r.try_get("created_utc").map_err(c)?,
                        last_used_utc: r.try_get("last_used_utc").map_err(c)?,
                        expires_utc: r
                            .try_get::<Option<i64>, _>("expires_utc")
                            .map_err(c)?
                            .unwrap_or(0),
                    })
                })
                .collect()
        })
    }

    /// Revoke one of the account's tokens. False when the account has no token with that id.
    pub async fn revoke_token(&self, account_id: &AccountId, id: &str) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM api_tokens WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// A recovery: the new password hash; every session and access token of the account
    /// ended, and every passkey but `keep` (the one that just passed the recovery's second
    /// step, if one did) removed — a thief's with them — in one transaction.
    pub async fn recover_account(
        &self,
        account_id: &AccountId,
        hash: &str,
        keep: Option<&str>,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND credential_id <> $2")
                .bind(account_id)
                .bind(keep.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
                .bind(account_id)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM api_tokens WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The operator turns off the account's second step: its authenticator app and every
    /// passkey go, and every session and token ends, in one transaction. Returns whether it
    /// had an app, and how many passkeys went.
    pub async fn reset_second_step(
        &self,
        account_id: &AccountId,
    ) -> Result<(bool, u64), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let app = sqlx::query("DELETE FROM totp_factors WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let passkeys = sqlx::query("DELETE FROM passkeys WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            for table in ["sessions", "api_tokens"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok((app > 0, passkeys))
        })
    }

    /// End every token of the account (at recovery, or when the person signs out
    /// everywhere). Returns how many ended.
    pub async fn end_tokens(&self, account_id: &AccountId) -> Result<u64, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM api_tokens WHERE account_id = $1")
                .bind(account_id)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// The enabled account and the scope of the unexpired token with this hash, marking it
    /// used. An expired token is not found (a token without an expiry never works).
    pub async fn token_account(
        &self,
        token_hash: &str,
    ) -> Result<Option<(Account, String)>, StoreError> {
        let found: Option<(AccountId, String)> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT account_id, scope FROM api_tokens WHERE token_hash = $1 AND expires_utc > $2")
                .bind(token_hash)
                .bind(unix_now())
                .fetch_optional(pool)
                .await
        })?;
        let Some((account_id, scope)) = found else {
            return Ok(None);
        };
        let Some(account) = self
            .account_by_id(&account_id)
            .await?
            .filter(|a| !a.disabled)
        else {
            return Ok(None);
        };
        on_pool!(self, |pool| {
            sqlx::query("UPDATE api_tokens SET last_used_utc = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(unix_now())
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(Some((account, scope)))
    }

    /// Replace an account's password hash (a new password, or a rehash with stronger
    /// parameters at sign-in).
    pub async fn set_password_hash(
        &self,
        account_id: &AccountId,
        hash: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
                .bind(account_id)
                .bind(hash)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Start a session (its id's hash; the id itself goes only into the cookie).
    pub async fn create_session(
        &self,
        account_id: &AccountId,
        id_hash: &str,
        device: &str,
    ) -> Result<(), StoreError> {
        let now = unix_now();
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO sessions (id_hash, account_id, created_utc, last_seen_utc, device, confirmed_utc) VALUES ($1, $2, $3, $3, $4, $3)")
                .bind(id_hash)
                .bind(account_id)
                .bind(now)
                .bind(device)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The live session with this id hash, marked as seen now; `None` (and the row removed)
    /// when it has been idle or alive too long, or its account is disabled.
    pub async fn live_session(
        &self,
        id_hash: &str,
        limits: SessionLimits,
    ) -> Result<Option<(Session, Account)>, StoreError> {
        Ok(match self.check_session(id_hash, limits).await? {
            SessionCheck::Live(session, account) => Some((session, account)),
            SessionCheck::Ended(_) | SessionCheck::Unknown => None,
        })
    }

    /// As [`Store::live_session`], and when the session has just ended (idle or too old),
    /// whose it was: a form it sent can then be kept for that person (issue 21).
    pub async fn check_session(
        &self,
        id_hash: &str,
        limits: SessionLimits,
    ) -> Result<SessionCheck, StoreError> {
        let now = unix_now();
        let found = on_pool!(self, |pool| {
            let row = sqlx::query(
                "SELECT s.id_hash, s.account_id, s.created_utc AS s_created, s.last_seen_utc, s.device, s.confirmed_utc, a.id, a.username, a.password_hash, a.created_utc, a.disabled FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1",
            )
            .bind(id_hash)
            .fetch_optional(pool)
            .await?;
            row.map(|r| -> Result<(Session, Account), StoreError> {
                Ok((session_from_row(&r, "s_created")?, account_from_row(&r)?))
            })
            .transpose()
        })?;
        let Some((mut session, account)) = found else {
            return Ok(SessionCheck::Unknown);
        };
        if account.disabled
            || now - session.last_seen_utc > limits.idle_seconds
            || now - session.created_utc > limits.absolute_seconds
        {
            self.end_session(id_hash).await?;
            if account.disabled {
                return Ok(SessionCheck::Unknown);
            }
            // Remembered, so that a form another tab sends later is still kept for its
            // person (issue 21; forgotten with the forms it could keep).
            on_pool!(self, |pool| {
                sqlx::query("INSERT INTO ended_sessions (id_hash, account_id, ended_utc) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id_hash)
                    .bind(&account.id)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|_| ())
            })?;
            return Ok(SessionCheck::Ended(account.id));
        }
        // Mark it seen at most once a minute (fewer writes for a busy page).
        if now - session.last_seen_utc >= 60 {
            on_pool!(self, |pool| {
                sqlx::query("UPDATE sessions SET last_seen_utc = $2 WHERE id_hash = $1")
                    .bind(id_hash)
                    .bind(now)
                    .execute(pool)
                    .await
                    .map(|_| ())
            })?;
            session.last_seen_utc = now;
        }
        Ok(SessionCheck::Live(session, account))
    }

    /// The person proved who they are again in this session (the time a change to how they
    /// sign in is measured from).
    pub async fn confirm_session(&self, id_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("UPDATE sessions SET confirmed_utc = $2 WHERE id_hash = $1")
                .bind(id_hash)
                .bind(unix_now())
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn end_session(&self, id_hash: &str) -> Result<bool, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(id_hash)
                .execute(pool)
                .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// End every session of the account but `keep` (if given). Returns how many ended.
    pub async fn end_sessions(
        &self,
        account_id: &AccountId,
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
                .bind(account_id)
                .bind(keep.unwrap_or(""))
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// The account's sessions, most recently seen first.
    pub async fn sessions_of(&self, account_id: &AccountId) -> Result<Vec<Session>, StoreError> {
        on_pool!(self, |pool| {
            let rows = sqlx::query("SELECT id_hash, account_id, created_utc, last_seen_utc, device, confirmed_utc FROM sessions WHERE account_id = $1 ORDER BY last_seen_utc DESC")
                .bind(account_id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| session_from_row(r, "created_utc"))
                .collect()
        })
    }

    /// Keep a security event (never health data, never a secret).
    pub async fn record_event(
        &self,
        account_id: Option<&AccountId>,
        kind: EventKind,
        ip_hash: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("INSERT INTO security_events (at_utc, account_id, kind, ip_hash) VALUES ($1, $2, $3, $4)")
                .bind(unix_now())
                .bind(account_id)
                .bind(kind.as_str())
                .bind(ip_hash)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Recent security events, newest first: one account's, or everyone's (`None`, for the
    /// operator).
    pub async fn events(
        &self,
        account_id: Option<&AccountId>,
        limit: i64,
    ) -> Result<Vec<SecurityEvent>, StoreError> {
        on_pool!(self, |pool| {
            let rows = sqlx::query("SELECT at_utc, account_id, kind, ip_hash FROM security_events WHERE ($1 IS NULL OR account_id = $1) ORDER BY at_utc DESC, kind LIMIT $2")
                .bind(account_id)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let c = crate::corrupt;
                    Ok(SecurityEvent {
                        at_utc: r.try_get("at_utc").map_err(c)?,
                        account_id: r.try_get("account_id").map_err(c)?,
                        kind: r.try_get("kind").map_err(c)?,
                        ip_hash: r.try_get("ip_hash").map_err(c)?,
                    })
                })
                .collect()
        })
    }

    /// The tables that name an account, read from the database's own schema (not from a
    /// list in the code), with the column that names it: `owner` holds an [`Owner`]
    /// (`account:<id>`), `account_id` the bare id. `accounts` itself is not listed. Deleting an
    /// account deletes from every table here, so a table added later cannot be forgotten and
    /// leave a row whose foreign key blocks the deletion (issue 20, finding 1).
    pub async fn account_tables(&self) -> Result<Vec<(String, AccountColumn)>, StoreError> {
        let sql = match self {
            Store::Sqlite(_) => {
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.name IN ('owner', 'account_id') ORDER BY m.name"
            }
            Store::Postgres(_) => {
                "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND column_name IN ('owner', 'account_id') \
                 ORDER BY table_name"
            }
        };
        let rows: Vec<(String, String)> =
            on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await)?;
        rows.into_iter()
            .filter(|(table, _)| table != "accounts")
            .map(|(table, column)| {
                let column = match column.as_str() {
                    "owner" => AccountColumn::Owner,
                    _ => AccountColumn::AccountId,
                };
                // A table name comes from the schema, never from a person; it is still checked
                // before it is put into SQL.
                if table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    Ok((table, column))
                } else {
                    Err(StoreError::Corrupt(format!(
                        "a table's name has an unexpected character: {table:?}"
                    )))
                }
            })
            .collect()
    }

    /// Remove rows that name an account that no longer exists: a write let in before the
    /// account was deleted can land after the deletion commits (an outside test reproduced it
    /// with a request whose body came late). Run after every deletion and whenever the diary is
    /// opened. Short-lived sign-in ceremonies are left to expire (a passkey sign-up's names an
    /// account not made yet).
    pub async fn remove_orphaned_rows(&self) -> Result<u64, StoreError> {
        let tables = self.account_tables().await?;
        let mut n = 0;
        for (table, column) in tables.iter().filter(|(t, _)| t != "ceremonies") {
            let sql = match column {
                AccountColumn::Owner => format!(
                    "DELETE FROM {table} WHERE owner LIKE 'account:%' AND NOT EXISTS (SELECT 1 FROM accounts a WHERE 'account:' || a.id = {table}.owner)"
                ),
                AccountColumn::AccountId => format!(
                    "DELETE FROM {table} WHERE account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = {table}.account_id)"
                ),
            };
            n += on_pool!(self, |pool| sqlx::query(&sql)
                .execute(pool)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(n)
    }

    /// Delete an account and every row of its person, in one transaction: every table that
    /// names the account ([`Store::account_tables`]: episodes, checks, the profile, sessions,
    /// tokens, passkeys, second factors, recovery codes, its own security events, ...), then the
    /// account. A single "account-deleted" event without the username is kept for the operator.
    /// Returns how many rows went.
    pub async fn delete_account(
        &self,
        account_id: &AccountId,
        ip_hash: &str,
    ) -> Result<u64, StoreError> {
        let owner = Owner::account(account_id);
        let tables = self.account_tables().await?;
        let deleted = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut n = 0;
            let statements = tables
                .iter()
                .map(|(table, column)| match column {
                    AccountColumn::Owner => (
                        format!("DELETE FROM {table} WHERE owner = $1"),
                        owner.as_str(),
                    ),
                    AccountColumn::AccountId => (
                        format!("DELETE FROM {table} WHERE account_id = $1"),
                        account_id.as_str(),
                    ),
                })
                .chain([(
                    "DELETE FROM accounts WHERE id = $1".to_owned(),
                    account_id.as_str(),
                )]);
            let mut account_rows = 0;
            for (sql, key) in statements {
                let done = sqlx::query(&sql)
                    .bind(key)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                n += done;
                account_rows = done;
            }
            // The last statement removed the account itself: a second deletion of the same
            // account (two tabs, a retry) finds nothing and records no second event.
            if account_rows > 0 {
                sqlx::query("INSERT INTO security_events (at_utc, account_id, kind, ip_hash) VALUES ($1, NULL, $2, $3)")
                    .bind(unix_now())
                    .bind(EventKind::AccountDeleted.as_str())
                    .bind(ip_hash)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<u64, StoreError>(n)
        })?;
        // Writes already let in can land after the commit: sweep them too (and again whenever
        // the diary is opened).
        let late = self.remove_orphaned_rows().await?;
        // SQLite keeps the pages as they were before the deletion in its write-ahead log until
        // a checkpoint: copy it into the (securely deleted) file and empty it, so the person's
        // notes are not left readable on disk. Busy readers only delay this to the next one.
        self.forget_deleted().await;
        Ok(deleted + late)
    }
}
