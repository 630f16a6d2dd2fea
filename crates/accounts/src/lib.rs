//! Accounts for a hosted diary (`legcramps serve --accounts`): the rules and the cryptography,
//! with no I/O. The store keeps the rows; the web app keeps the cookies and the pages.
//!
//! - [`Username`]: NFKC-normalised and case-folded, so look-alike spellings (full-width
//!   letters, ligatures, capitals) are one name and cannot be registered twice.
//! - [`check_new_password`]: 8 characters to 1,024 bytes, and strong enough by `zxcvbn`'s
//!   shipped dictionaries and patterns, with a specific reason when it is not.
//! - [`hash_password`] / [`verify_password`]: argon2id, m = 19 MiB, t = 2, p = 1 (OWASP's
//!   recommendation), the parameters kept in the PHC string so they can be raised later.
//!   [`verify_password`] against a missing account uses a dummy hash, so a sign-in takes the
//!   same time whether or not the name exists. Both are slow on purpose: call them off the
//!   async runtime (`spawn_blocking`).
//! - [`Secret`]: 256-bit random session ids, anti-forgery tokens, recovery codes and API
//!   tokens; only their SHA-256 is stored, so a copy of the database opens nothing.
//! - [`Backoff`]: how long to make the next attempt wait after failures (never a lock-out).

use std::sync::OnceLock;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use password_hash::{PasswordHash, SaltString, rand_core::OsRng};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use unicode_normalization::UnicodeNormalization;

/// The shortest and longest username, in characters after normalising.
pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=64;
/// The shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest password, in bytes (long enough for any passphrase; short enough that hashing
/// cannot be made expensive by sending megabytes).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// argon2id memory in KiB (19 MiB), iterations and lanes.
pub const ARGON2_M_KIB: u32 = 19 * 1024;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;

/// Why an account could not be made or used. The messages are shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Username(String),
    #[error("{0}")]
    Password(String),
}

/// A username as stored and compared: NFKC, case-folded, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Normalise and check a typed username.
    pub fn parse(typed: &str) -> Result<Username, AccountError> {
        // NFKC folds compatibility forms (full-width "ｂｏｂ", ligatures) into their plain
        // letters; lower-casing folds case; NFKC again because lower-casing can un-normalise.
        let folded: String = typed
            .trim()
            .nfkc()
            .collect::<String>()
            .to_lowercase()
            .nfkc()
            .collect();
        let chars = folded.chars().count();
        if chars < *USERNAME_CHARS.start() {
            return Err(AccountError::Username(format!(
                "Enter a username of at least {} characters",
                USERNAME_CHARS.start()
            )));
        }
        if chars > *USERNAME_CHARS.end() {
            return Err(AccountError::Username(format!(
                "Enter a username of at most {} characters",
                USERNAME_CHARS.end()
            )));
        }
        if folded
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
        {
            return Err(AccountError::Username(
                "A username cannot have spaces or invisible characters in it".into(),
            ));
        }
        // U+FFFD is what bytes that are not UTF-8 become when a form is read: refuse it
        // rather than make a name nobody can type.
        if folded.contains('\u{FFFD}') {
            return Err(AccountError::Username(
                "A username can only have letters, numbers and symbols a keyboard can type".into(),
            ));
        }
        Ok(Username(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Format characters that make two names look the same (zero-width joiners, bidi controls).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// What a personal access token may do. Stored as text ([`Scope::as_str`]); text that is not
/// a known scope reads as [`Scope::Read`], the lesser, so an unknown value can never write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read the diary (GET only).
    Read,
    /// Read and change the diary.
    ReadWrite,
}

impl Scope {
    /// The stored and shown form: `read` or `read-write`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::ReadWrite => "read-write",
        }
    }

    /// The scope stored as `text` (anything but `read-write` is read-only: fail closed).
    pub fn from_stored(text: &str) -> Scope {
        if text == "read-write" {
            Scope::ReadWrite
        } else {
            Scope::Read
        }
    }

    /// Whether a token of this scope may make a change.
    pub fn may_write(self) -> bool {
        self == Scope::ReadWrite
    }
}

pub mod totp;

/// Check a new password: length, then strength (zxcvbn score 3 of 4 or better, with the
/// username and the site's name counted as guessable). The error says what to change.
pub fn check_new_password(password: &str, username: &Username) -> Result<(), AccountError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::Password(format!(
            "Enter a password of at most {MAX_PASSWORD_BYTES} bytes (about {MAX_PASSWORD_BYTES} letters)"
        )));
    }
    if password.contains('\u{FFFD}') {
        return Err(AccountError::Password(
            "Your password has a character this site could not read: choose one with letters, numbers and symbols a keyboard can type".into(),
        ));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::Password(format!(
            "Enter a password of at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let strength = zxcvbn::zxcvbn(password, &[username.as_str(), "legcramps", "leg cramps"]);
    if (strength.score() as u8) < 3 {
        // zxcvbn's warning is a sentence of its own ("This is a very common password.").
        let why = strength
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" {}.", w.to_string().trim_end_matches('.')))
            .unwrap_or_default();
        return Err(AccountError::Password(format!(
            "Choose a password that is harder to guess.{why} A few unrelated words together work well"
        )));
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // The parameters are constants within argon2's limits, so this cannot fail.
    let params =
        Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).unwrap_or_else(|_| Params::default());
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hash a password with argon2id and a fresh salt: the PHC string to store. Slow (tens of
/// milliseconds): call it off the async runtime.
pub fn hash_password(password: &str) -> String {
    hash_exactly(&nfc(password))
}

/// A password in Unicode normal form C: "é" typed as one character or as "e" and an accent is
/// the same password (issue 20, finding 15).
fn nfc(password: &str) -> String {
    password.nfc().collect()
}

/// Whether the password is already in normal form C (a hash of another form is made again
/// at sign-in).
pub fn is_normalised(password: &str) -> bool {
    unicode_normalization::is_nfc(password)
}

fn hash_exactly(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        // Hashing a bounded password with valid parameters does not fail; if it ever did,
        // an unusable hash means the account simply cannot sign in with a password.
        .unwrap_or_else(|_| "!".to_owned())
}

/// A hash of a password nobody has, to verify against when there is no such account, so that
/// sign-in takes as long either way.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no account has this password"))
}

/// Whether `password` matches `stored` (a PHC string); with `stored` of `None` (no such
/// account), does the same work and says no. Uses the parameters kept in the hash.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        // Still spend the time, so a long password does not tell anything either.
        let _ = verify(password.get(..0).unwrap_or(""), dummy_hash());
        return false;
    }
    match stored {
        // Hashes are of the normal form; one made before that was of the bytes as typed
        // (then tried too, and made again at sign-in: `is_normalised`).
        Some(hash) => {
            verify(&nfc(password), hash) || (!is_normalised(password) && verify(password, hash))
        }
        None => {
            let _ = verify(password, dummy_hash());
            false
        }
    }
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Whether a stored hash was made with weaker parameters than today's (rehash at sign-in).
pub fn needs_rehash(stored: &str) -> bool {
    PasswordHash::new(stored).map_or(true, |h| {
        let get = |name: &str| h.params.get_decimal(name);
        h.algorithm.as_str() != "argon2id"
            || get("m").unwrap_or(0) < ARGON2_M_KIB
            || get("t").unwrap_or(0) < ARGON2_T
    })
}

/// A random secret (256 bits) and the SHA-256 under which it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Shown once (in a cookie, a page, a token) and never stored.
    pub text: String,
    /// What the database keeps.
    pub hash: String,
}

impl Secret {
    /// A fresh secret from the operating system's random source, with `prefix` in its text
    /// (so a leaked token says what it is, as `lc_pat_...` does).
    pub fn new(prefix: &str) -> Secret {
        let mut bytes = [0u8; 32];
        // The OS random source failing is not something to carry on from.
        getrandom::getrandom(&mut bytes).unwrap_or_else(|e| panic!("no random source: {e}"));
        let text = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash_secret(&text);
        Secret { text, hash }
    }
}

/// The stored form of a secret: SHA-256, hex. (A 256-bit random secret needs no slow hash.)
pub fn hash_secret(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// How many recovery codes an account has at a time.
pub const RECOVERY_CODES: usize = 10;

/// The letters recovery codes are written in (Crockford's base 32: no I, L, O or U).
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh set of recovery codes, as shown once ("7KQ4-M2XD-9PRT-A6HV", 80 bits each), with
/// the hashes to store.
pub fn recovery_codes() -> Vec<Secret> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 16];
            getrandom::getrandom(&mut bytes).unwrap_or_else(|e| panic!("no random source: {e}"));
            let chars: String = bytes
                .iter()
                .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
                .collect();
            let text = format!(
                "{}-{}-{}-{}",
                &chars[0..4],
                &chars[4..8],
                &chars[8..12],
                &chars[12..16]
            );
            let hash = hash_recovery_code(&text);
            Secret { text, hash }
        })
        .collect()
}

/// The stored form of a typed recovery code: case, spaces and hyphens ignored, and the
/// letters people confuse (O, I, L) read as the digits they look like.
pub fn hash_recovery_code(typed: &str) -> String {
    let normal: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    hash_secret(&format!("recovery code\n{normal}"))
}

/// Compare two secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// How long the next attempt must wait after `failures` recent failed attempts: none for the
/// first few, then doubling to a cap. Never a lock-out: the owner can always try again after
/// the wait, and an attacker gains only a few guesses an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed before any wait.
    pub free: u32,
    /// The first wait, in seconds.
    pub first_seconds: u64,
    /// The longest wait, in seconds.
    pub max_seconds: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            free: 5,
            first_seconds: 2,
            max_seconds: 15 * 60,
        }
    }
}

impl Backoff {
    /// Seconds to wait before the next attempt after `failures` failures in a row.
    pub fn wait_seconds(&self, failures: u32) -> u64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(30);
        self.first_seconds
            .saturating_mul(1u64 << doublings)
            .min(self.max_seconds)
    }
}

#[cfg(test)]
mod tests {
    /// Issue 20, finding 15: passwords are compared in normal form C; a hash made of the bytes
    /// as typed (before) still verifies, and is made again from the normal form.
    #[test]
    fn a_password_is_the_same_however_its_accents_are_typed() {
        let composed = "caf\u{e9} kettle ladder";
        let decomposed = "cafe\u{301} kettle ladder";
        let new = super::hash_password(decomposed);
        assert!(super::verify_password(composed, Some(&new)));
        assert!(super::verify_password(decomposed, Some(&new)));
        let before = super::hash_exactly(decomposed);
        assert!(super::verify_password(decomposed, Some(&before)));
        assert!(
            !super::is_normalised(decomposed),
            "so sign-in makes it again"
        );
        assert!(!super::verify_password("cafe kettle ladder", Some(&new)));
    }

    #[test]
    fn a_scope_that_is_not_read_write_can_only_read() {
        use super::Scope;
        assert!(Scope::from_stored("read-write").may_write());
        for text in ["read", "", "READ-WRITE", "write", "read-write "] {
            assert!(!Scope::from_stored(text).may_write(), "{text:?}");
        }
        assert_eq!(
            Scope::from_stored(Scope::ReadWrite.as_str()),
            Scope::ReadWrite
        );
    }

    use super::*;

    #[test]
    fn look_alike_usernames_are_one_name() {
        let plain = Username::parse("bob_smith").expect("ok");
        for other in ["Bob_Smith", "ＢＯＢ_ｓｍｉｔｈ", " bob_smith ", "BOB_SMITH"] {
            assert_eq!(Username::parse(other).expect("ok"), plain, "{other}");
        }
        // A ligature folds to its letters.
        assert_eq!(
            Username::parse("ﬁona").expect("ok"),
            Username::parse("fiona").expect("ok")
        );
    }

    #[test]
    fn usernames_are_3_to_64_characters_without_spaces_or_invisibles() {
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(64)).is_ok());
        assert!(Username::parse(&"a".repeat(65)).is_err());
        for bad in [
            "bob smith",
            "bob\u{200B}smith",
            "bob\u{202E}smith",
            "bob\tsmith",
            "bob\u{FFFD}smith",
        ] {
            assert!(Username::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_need_length_and_strength_and_say_why() {
        let me = Username::parse("marion").expect("ok");
        let short = check_new_password("Ab1!", &me).expect_err("short");
        assert!(short.to_string().contains("at least 8"), "{short}");
        let long = check_new_password(&"x".repeat(1025), &me).expect_err("long");
        assert!(long.to_string().contains("at most 1024 bytes"), "{long}");
        let common = check_new_password("password1", &me).expect_err("common");
        assert!(common.to_string().contains("harder to guess"), "{common}");
        assert!(check_new_password("marion2026", &me).is_err(), "own name");
        assert!(check_new_password("correct kettle ladder orbit", &me).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_with_the_parameters_kept_and_verify() {
        let h = hash_password("correct kettle ladder orbit");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("correct kettle ladder orbit", Some(&h)));
        assert!(!verify_password("correct kettle ladder orbiT", Some(&h)));
        assert!(!verify_password("anything", None));
        assert!(!verify_password("anything", Some("not a hash")));
        assert!(!needs_rehash(&h));
        // A hash made with weaker parameters is flagged for a rehash at the next sign-in.
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(4096, 1, 1, None).expect("params"),
        )
        .hash_password(b"pw", &SaltString::generate(&mut OsRng))
        .expect("hash")
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(
            verify_password("pw", Some(&weak)),
            "old hashes still verify"
        );
    }

    #[test]
    fn secrets_are_random_and_stored_only_as_hashes() {
        let a = Secret::new("lc_s_");
        let b = Secret::new("lc_s_");
        assert_ne!(a.text, b.text);
        assert!(a.text.starts_with("lc_s_") && a.text.len() == 5 + 43);
        assert_eq!(a.hash, hash_secret(&a.text));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.text[5..]));
        assert!(same_secret(&a.text, &a.text.clone()));
        assert!(!same_secret(&a.text, &b.text));
    }

    #[test]
    fn recovery_codes_are_ten_80_bit_codes_read_forgivingly() {
        let codes = recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut texts: Vec<&str> = codes.iter().map(|c| c.text.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), 10);
        for c in &codes {
            assert_eq!(c.text.len(), 19, "{}", c.text);
            assert!(!c.text.contains(['I', 'L', 'O', 'U']), "{}", c.text);
            let typed = c.text.to_lowercase().replace('-', " ");
            assert_eq!(hash_recovery_code(&typed), c.hash);
        }
        assert_eq!(
            hash_recovery_code("O1LI-0000-0000-0000"),
            hash_recovery_code("0111 0000 0000 0000")
        );
        assert_ne!(
            hash_recovery_code("0000-0000-0000-0000"),
            hash_recovery_code("0000-0000-0000-0001")
        );
    }

    #[test]
    fn backoff_waits_longer_but_never_locks_out() {
        let b = Backoff::default();
        assert_eq!(b.wait_seconds(0), 0);
        assert_eq!(b.wait_seconds(4), 0);
        assert_eq!(b.wait_seconds(5), 2);
        assert_eq!(b.wait_seconds(6), 4);
        assert_eq!(b.wait_seconds(100), 15 * 60);
        assert_eq!(b.wait_seconds(u32::MAX), 15 * 60);
    }
}
