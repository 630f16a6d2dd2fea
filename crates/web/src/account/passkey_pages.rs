//! The passkey pages of a signed-in person: add one, rename one, remove one (the ceremony
//! itself is in [`super::passkeys`]).

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use legcramps_store::{Store, StoredPasskey};
use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use crate::account::common::{form, when};
use crate::account::confirm::again;
use crate::account::factors::security_page;
use crate::account::passkeys::{MAX_NAME, cleaned, credential_text, name_of, take};
use crate::http::auth::{Confirmed, Hosted, SignedIn, ip_hash};
use crate::http::error::WebError;
use crate::http::render::{Page, render};
use crate::http::views::Layout;

/// Add a passkey to the signed-in account.
pub(crate) async fn add(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    Confirmed(who): Confirmed,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(rp) = &site.webauthn else {
        return WebError::NotFound.into_response();
    };
    let f = form(&body);
    let failed = || async {
        security_page(
            &page,
            store,
            &who,
            StatusCode::BAD_REQUEST,
            None,
            Some("The passkey could not be added: try again".to_owned()),
        )
        .await
    };
    let (reg, response) =
        match take::<PasskeyRegistration, RegisterPublicKeyCredential>(store, &f, "passkey-add")
            .await
        {
            Ok(Some((Some(a), s, r))) if a == who.account_id => (s, r),
            Ok(_) => return failed().await,
            Err(r) => return r,
        };
    let Ok(passkey) = rp.finish_passkey_registration(&response, &reg) else {
        return failed().await;
    };
    let Ok(json) = serde_json::to_string(&passkey) else {
        return failed().await;
    };
    let name = name_of(&f, &headers);
    match store
        .add_passkey(
            &who.account_id,
            &credential_text(passkey.cred_id().as_ref()),
            &name,
            &json,
        )
        .await
    {
        Ok(true) => {
            let _ = store
                .record_event(
                    Some(&who.account_id),
                    legcramps_store::EventKind::PasskeyAdded,
                    &ip_hash(site, ip.as_ref()),
                )
                .await;
            security_page(
                &page,
                store,
                &who,
                StatusCode::OK,
                Some(format!(
                    "Your passkey \u{201c}{name}\u{201d} has been added."
                )),
                None,
            )
            .await
        }
        Ok(false) => failed().await,
        Err(e) => WebError::accounts(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "account_passkey_remove.html")]
struct RemovePage {
    layout: Layout,
    id: String,
    name: String,
    added: String,
    error: Option<String>,
}

async fn remove_page(
    page: &Page,
    store: &Store,
    who: &SignedIn,
    id: &str,
    status: StatusCode,
    error: Option<String>,
) -> Response {
    let p = match own_passkey(page, store, who, id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    render(
        status,
        &RemovePage {
            layout: page.layout("Remove a passkey", "account"),
            id: p.credential_id,
            name: p.name,
            added: when(page.context().zone, p.created_utc),
            error,
        },
    )
}

/// The signed-in person's passkey with this id; for anyone else's, a 404 (nothing to say about
/// it), or "try again" when the store cannot be reached.
async fn own_passkey(
    page: &Page,
    store: &Store,
    who: &SignedIn,
    id: &str,
) -> Result<StoredPasskey, Response> {
    match store.passkey(id).await {
        Ok(Some(p)) if p.account_id == who.account_id => Ok(p),
        Ok(_) => Err(crate::http::render::not_found_page(page)),
        Err(e) => Err(WebError::accounts(e).into_response()),
    }
}

pub(crate) async fn remove_form(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
    Path(id): Path<String>,
) -> Response {
    remove_page(&page, store, &who, &id, StatusCode::OK, None).await
}

/// Remove a passkey, after the password (or a passkey) again. The last way in of an account
/// without a password stays.
pub(crate) async fn remove(
    page: Page,
    Hosted(ref store, ref site, ref ip): Hosted,
    who: SignedIn,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(r) = own_passkey(&page, store, &who, &id).await {
        return r;
    }
    let iph = ip_hash(site, ip.as_ref());
    let f = form(&body);
    match again(store, site, &who, &iph, &f, "password").await {
        Ok(true) => {}
        Ok(false) => {
            return remove_page(
                &page,
                store,
                &who,
                &id,
                StatusCode::UNAUTHORIZED,
                Some("Enter your password, or use a passkey, to remove this passkey".to_owned()),
            )
            .await;
        }
        Err(r) => return r,
    }
    let (account, count) = match (
        store.account_by_id(&who.account_id).await,
        store.passkeys_of(&who.account_id).await,
    ) {
        (Ok(Some(a)), Ok(p)) => (a, p.len()),
        (Ok(None), _) => return WebError::NotFound.into_response(),
        (Err(e), _) | (_, Err(e)) => return WebError::accounts(e).into_response(),
    };
    if account.password_hash.is_none() && count <= 1 {
        return remove_page(&page,
            store,
            &who,
            &id,
            StatusCode::BAD_REQUEST,
            Some("This passkey is the only way you sign in. Set a password (Change your password) or add another passkey first".to_owned()),
        )
        .await;
    }
    match store.remove_passkey(&who.account_id, &id).await {
        Ok(_) => {
            let _ = store
                .record_event(
                    Some(&who.account_id),
                    legcramps_store::EventKind::PasskeyRemoved,
                    &iph,
                )
                .await;
            security_page(
                &page,
                store,
                &who,
                StatusCode::OK,
                Some("The passkey has been removed.".to_owned()),
                None,
            )
            .await
        }
        Err(e) => WebError::accounts(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "account_passkey_rename.html")]
struct RenamePage {
    layout: Layout,
    id: String,
    /// Its name now.
    name: String,
    /// What is in the box.
    typed: String,
    error: Option<String>,
}

/// The rename form for one of the signed-in person's passkeys (404 for anyone else's).
pub(crate) async fn rename_form(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    who: SignedIn,
    Path(id): Path<String>,
) -> Response {
    rename_page(&page, store, &who, &id, StatusCode::OK, None, None).await
}

async fn rename_page(
    page: &Page,
    store: &Store,
    who: &SignedIn,
    id: &str,
    status: StatusCode,
    typed: Option<String>,
    error: Option<String>,
) -> Response {
    let p = match own_passkey(page, store, who, id).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    render(
        status,
        &RenamePage {
            layout: page.layout(
                if error.is_some() {
                    "Error: Rename a passkey"
                } else {
                    "Rename a passkey"
                },
                "account",
            ),
            id: p.credential_id,
            typed: typed.unwrap_or_else(|| p.name.clone()),
            name: p.name,
            error,
        },
    )
}

/// A new name for a passkey, as typed: without spaces at the ends or control characters, not
/// empty and at most [`MAX_NAME`] characters, or what is wrong with it.
fn new_name(typed: &str) -> Result<String, String> {
    let name = cleaned(typed);
    if name.is_empty() {
        Err("Enter a name for the passkey".to_owned())
    } else if name.chars().count() > MAX_NAME {
        Err(format!("The name must be {MAX_NAME} characters or fewer"))
    } else {
        Ok(name)
    }
}

/// Rename a passkey. Only its name changes (no sign-in again: a name signs no one in).
pub(crate) async fn rename(
    page: Page,
    Hosted(ref store, _, _): Hosted,
    Confirmed(who): Confirmed,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(r) = own_passkey(&page, store, &who, &id).await {
        return r;
    }
    let f = form(&body);
    let typed = f.get("passkey_name").map_or("", String::as_str);
    let name = match new_name(typed) {
        Ok(n) => n,
        Err(e) => {
            return rename_page(
                &page,
                store,
                &who,
                &id,
                StatusCode::BAD_REQUEST,
                Some(typed.to_owned()),
                Some(e),
            )
            .await;
        }
    };
    match store.rename_passkey(&who.account_id, &id, &name).await {
        Ok(true) => {
            security_page(
                &page,
                store,
                &who,
                StatusCode::OK,
                Some(format!(
                    "Your passkey is now called \u{201c}{name}\u{201d}."
                )),
                None,
            )
            .await
        }
        Ok(false) => crate::http::render::not_found_page(&page),
        Err(e) => WebError::accounts(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_name_is_trimmed_and_checked() {
        assert_eq!(new_name("  my phone \n").as_deref(), Ok("my phone"));
        assert_eq!(new_name("a\u{7}b").as_deref(), Ok("ab"));
        assert!(new_name("  ").expect_err("empty").contains("Enter a name"));
        assert!(
            new_name(&"x".repeat(61))
                .expect_err("long")
                .contains("60 characters")
        );
        assert!(new_name(&"é".repeat(60)).is_ok(), "characters, not bytes");
    }
}
