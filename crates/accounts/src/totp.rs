//! Authenticator-app codes (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps, the settings
//! every authenticator app reads from an `otpauth://` link), through `totp-rs`.
//!
//! A code is accepted for its own step and the one either side (clocks drift); the caller
//! keeps the last step used so that a code works only once ([`matching_step`] says which step
//! a code belongs to).

use totp_rs::{Algorithm, Secret as TotpSecret, TOTP};

/// Seconds in one step.
pub const STEP_SECONDS: u64 = 30;

fn totp(secret_base32: &str, username: &str, issuer: &str) -> Option<TOTP> {
    let bytes = TotpSecret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        bytes,
        Some(issuer.replace(':', " ")),
        username.to_owned(),
    )
    .ok()
}

/// A new 160-bit secret, base32 (as people type it into an app by hand).
pub fn new_secret() -> String {
    TotpSecret::generate_secret().to_encoded().to_string()
}

/// The `otpauth://` link an app reads from the QR code.
pub fn link(secret_base32: &str, username: &str, issuer: &str) -> Option<String> {
    totp(secret_base32, username, issuer).map(|t| t.get_url())
}

/// The secret in groups of four, easier to type.
pub fn grouped(secret_base32: &str) -> String {
    secret_base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Only the digits of what was typed ("123 456" and "123-456" are "123456").
pub fn digits_of(typed: &str) -> Option<String> {
    let d: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (d.len() == 6 && d.chars().all(|c| c.is_ascii_digit())).then_some(d)
}

/// The time step (`unix / 30`) whose code `typed` is, among the current one and the one
/// either side; `None` when it is none of them.
pub fn matching_step(secret_base32: &str, typed: &str, unix_now: u64) -> Option<i64> {
    let code = digits_of(typed)?;
    let t = totp(secret_base32, "", "x")?;
    let now_step = unix_now / STEP_SECONDS;
    [now_step, now_step.saturating_sub(1), now_step + 1]
        .into_iter()
        .find(|step| crate::same_secret(&t.generate(step * STEP_SECONDS), &code))
        .and_then(|s| i64::try_from(s).ok())
}

/// The code for a moment (tests, and people checking their app).
pub fn code_at(secret_base32: &str, unix: u64) -> Option<String> {
    totp(secret_base32, "", "x").map(|t| t.generate(unix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_step_and_either_side_match_and_no_others() {
        let s = new_secret();
        assert!(s.len() >= 32, "{s}");
        let now = 1_800_000_000;
        let step = i64::try_from(now / STEP_SECONDS).unwrap_or_default();
        let code = code_at(&s, now).unwrap_or_default();
        assert_eq!(matching_step(&s, &code, now), Some(step));
        assert_eq!(matching_step(&s, &code, now + 30), Some(step));
        assert_eq!(matching_step(&s, &code, now - 30), Some(step));
        assert_eq!(matching_step(&s, &code, now + 90), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&s, &spaced, now), Some(step));
        assert_eq!(matching_step(&s, "12345", now), None);
        assert_eq!(matching_step(&s, "abcdef", now), None);
        assert_eq!(matching_step("not base32!", &code, now), None);
    }

    #[test]
    fn the_link_names_the_issuer_and_person() {
        let s = new_secret();
        let l = link(&s, "sam", "cramps.example").unwrap_or_default();
        assert!(l.starts_with("otpauth://totp/"), "{l}");
        assert!(
            l.contains("sam") && l.contains("issuer=cramps.example"),
            "{l}"
        );
        assert!(l.contains(&format!("secret={s}")), "{l}");
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
