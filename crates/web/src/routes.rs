//! The one route list: every path the app serves and the handler behind it. The private
//! router (the signed-in person's own data, or the local diary) is built from
//! [`DIARY_ROUTES`] alone, so the ownership tests, which walk the same table, cannot miss a
//! route.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use legcramps_core::patterns::Settings;

use crate::config::{AppConfig, DiaryAccess, Shared, UK_TIME};
use crate::http::{auth, middleware};
use crate::{account, check, diary, guide, openapi, profile, reminders};

/// The app without a diary (the guidance, the check, the stretches and the triage API).
pub fn router() -> Router {
    app(AppConfig {
        diary: DiaryAccess::Off("this server was started without a diary".to_owned()),
        settings: Settings::default(),
        time_zone: UK_TIME,
        nhs_111_online: None,
        push: None,
    })
}

/// Whether a response may be compressed (see [`app`]): not `no-store`, not already encoded.
fn compressible(headers: &axum::http::HeaderMap) -> bool {
    use axum::http::header;
    let no_store = headers.get_all(header::CACHE_CONTROL).iter().any(|v| {
        v.to_str()
            .map_or(true, |v| v.to_ascii_lowercase().contains("no-store"))
    });
    !no_store && !headers.contains_key(header::CONTENT_ENCODING)
}

/// The whole app: pages, check, diary, API, assets, health check, with security headers and
/// request logging on every response.
pub fn app(config: AppConfig) -> Router {
    let shared: Shared = Arc::new(config);
    // The diary router is built from DIARY_ROUTES alone, so the ownership tests, which walk
    // the same table, cannot miss a route.
    let diary = DIARY_ROUTES
        .iter()
        .fold(Router::new(), |r, (path, methods)| {
            r.route(path, diary_methods(path, methods))
        })
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            auth::guard,
        ))
        .with_state(shared.clone());
    // Signing up and in: open to all, behind the gate (accounts on, the site's own host, no
    // post from another site).
    let sign_in = Router::new()
        .route(
            "/account/sign-up",
            get(account::sign_up_form).post(account::sign_up),
        )
        .route(
            "/account/sign-in",
            get(account::sign_in_form).post(account::sign_in),
        )
        .route(
            "/account/recover",
            get(account::recover_form).post(account::recover),
        )
        .route("/account/sign-in/step", post(account::factors::step))
        .route("/account/passkey/options", post(account::passkeys::options))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            auth::gate,
        ))
        .with_state(shared.clone());
    Router::new()
        .route("/", get(guide::home))
        .route("/guide/{slug}", get(guide::topic))
        .route("/stretches", get(guide::stretches))
        .route("/accessibility", get(guide::accessibility))
        .route("/privacy", get(guide::privacy))
        .route("/check", get(check::start).post(check::step))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/v1/triage", post(check::api::triage))
        .route("/api/v1/content", get(guide::api::content))
        .route("/api/openapi.json", get(openapi::openapi))
        .route("/assets/{*path}", get(crate::http::assets::serve))
        .route("/favicon.ico", get(crate::http::assets::favicon))
        .route("/manifest.webmanifest", get(guide::offline::manifest))
        .route("/sw.js", get(guide::offline::service_worker))
        .route("/offline", get(guide::offline::page))
        .merge(diary)
        .merge(sign_in)
        // "No cramps" from a morning notification: its one-use code is the credential.
        .merge(
            Router::new()
                .route("/push/no-cramps", post(reminders::no_cramps))
                .with_state(shared.clone()),
        )
        .fallback(crate::http::render::not_found_for)
        .method_not_allowed_fallback(crate::http::render::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            auth::context,
        ))
        // Pages and API answers compressed for the browsers that accept it, except a response
        // marked no-store: those are the only ones that carry a secret (the anti-forgery token)
        // or health data, some beside what the person typed, and compressing them would open
        // them to BREACH (docs/security.md). Assets come precompressed and are left alone.
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when(
                tower_http::compression::predicate::Predicate::and(
                    tower_http::compression::predicate::DefaultPredicate::new(),
                    |_: axum::http::StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| compressible(headers),
                ),
            ),
        )
        .layer(axum::middleware::from_fn_with_state(
            shared,
            middleware::headers_and_logs,
        ))
}

/// Every route behind the diary guard (the signed-in person's own data, or the local diary):
/// path and methods. The router is built from this table, and the tests that show one person
/// cannot reach another's data walk it.
pub const DIARY_ROUTES: &[(&str, &[&str])] = &[
    ("/diary", &["get", "post"]),
    ("/diary/new", &["get"]),
    ("/diary/quick", &["post"]),
    ("/diary/patterns", &["get"]),
    ("/diary/summary", &["get"]),
    ("/diary/record", &["get"]),
    ("/diary/export.csv", &["get"]),
    ("/diary/export.json", &["get"]),
    ("/diary/export.fhir.json", &["get"]),
    ("/diary/reminder.ics", &["get"]),
    ("/diary/reminders", &["get", "post"]),
    ("/diary/reminders/off", &["post"]),
    ("/diary/reminders/try", &["post"]),
    ("/diary/delete-all", &["get", "post"]),
    ("/diary/import", &["get", "post"]),
    ("/diary/checks", &["post"]),
    ("/diary/unsaved", &["get"]),
    ("/diary/nights", &["post"]),
    ("/diary/nights/undo", &["post"]),
    ("/diary/unsaved/discard", &["post"]),
    ("/diary/profile", &["get"]),
    ("/diary/profile/medicines", &["post"]),
    ("/diary/profile/medicines/new", &["get"]),
    ("/diary/profile/medicines/{id}", &["get", "post"]),
    ("/diary/profile/medicines/{id}/delete", &["get", "post"]),
    ("/diary/profile/pregnancies", &["post"]),
    ("/diary/profile/pregnancies/new", &["get"]),
    ("/diary/profile/pregnancies/{id}", &["get", "post"]),
    ("/diary/profile/pregnancies/{id}/delete", &["get", "post"]),
    ("/diary/profile/conditions", &["post"]),
    ("/diary/profile/conditions/new", &["get"]),
    ("/diary/profile/conditions/{id}", &["get", "post"]),
    ("/diary/profile/conditions/{id}/delete", &["get", "post"]),
    ("/diary/{id}", &["post"]),
    ("/diary/{id}/edit", &["get"]),
    ("/diary/{id}/delete", &["get", "post"]),
    ("/api/v1/episodes", &["get", "post"]),
    ("/api/v1/nights", &["post"]),
    ("/account", &["get"]),
    ("/account/sign-out", &["post"]),
    ("/account/sessions/end-others", &["post"]),
    ("/account/delete", &["get", "post"]),
    ("/account/password", &["get", "post"]),
    ("/account/recovery-codes", &["get", "post"]),
    ("/account/tokens", &["get", "post"]),
    ("/account/tokens/{id}/revoke", &["post"]),
    ("/account/security", &["get"]),
    ("/account/confirm", &["get", "post"]),
    ("/account/totp", &["get", "post"]),
    ("/account/totp/remove", &["post"]),
    ("/account/passkeys", &["post"]),
    ("/account/passkeys/options", &["post"]),
    ("/account/passkeys/{id}/remove", &["get", "post"]),
    ("/account/passkeys/{id}/rename", &["get", "post"]),
];

/// The handlers of one row of [`DIARY_ROUTES`].
fn diary_methods(path: &str, methods: &[&str]) -> axum::routing::MethodRouter<Shared> {
    use axum::routing::MethodRouter;
    let one = |method: &str| -> MethodRouter<Shared> {
        match (path, method) {
            ("/diary", "get") => get(diary::list),
            ("/diary", "post") => post(diary::create),
            ("/diary/new", "get") => get(diary::new_form),
            ("/diary/quick", "post") => post(diary::quick),
            ("/diary/patterns", "get") => get(diary::patterns::patterns),
            ("/diary/summary", "get") => get(diary::patterns::summary),
            ("/diary/record", "get") => get(diary::patterns::record),
            ("/diary/export.csv", "get") => get(diary::exports::export_csv),
            ("/diary/export.json", "get") => get(diary::exports::export_json),
            ("/diary/export.fhir.json", "get") => get(diary::exports::export_fhir),
            ("/diary/reminder.ics", "get") => get(diary::exports::reminder),
            ("/diary/reminders", "get") => get(reminders::page),
            ("/diary/reminders", "post") => post(reminders::turn_on),
            ("/diary/reminders/off", "post") => post(reminders::turn_off),
            ("/diary/reminders/try", "post") => post(reminders::try_now),
            ("/diary/delete-all", "get") => get(diary::delete_all_form),
            ("/diary/delete-all", "post") => post(diary::delete_all),
            ("/diary/import", "get") => get(diary::import::form),
            ("/diary/import", "post") => post(diary::import::add),
            ("/diary/checks", "post") => post(check::save::save_check),
            ("/diary/unsaved", "get") => get(diary::unsaved::page),
            ("/diary/nights", "post") => post(diary::check_in),
            ("/diary/nights/undo", "post") => post(diary::undo_check_in),
            ("/diary/unsaved/discard", "post") => post(diary::unsaved::discard),
            ("/diary/profile", "get") => get(profile::page),
            (
                "/diary/profile/medicines"
                | "/diary/profile/pregnancies"
                | "/diary/profile/conditions",
                "post",
            ) => post(profile::create),
            (
                "/diary/profile/medicines/new"
                | "/diary/profile/pregnancies/new"
                | "/diary/profile/conditions/new",
                "get",
            ) => get(profile::new_form),
            (
                "/diary/profile/medicines/{id}"
                | "/diary/profile/pregnancies/{id}"
                | "/diary/profile/conditions/{id}",
                "get",
            ) => get(profile::edit_form),
            (
                "/diary/profile/medicines/{id}"
                | "/diary/profile/pregnancies/{id}"
                | "/diary/profile/conditions/{id}",
                "post",
            ) => post(profile::update),
            (
                "/diary/profile/medicines/{id}/delete"
                | "/diary/profile/pregnancies/{id}/delete"
                | "/diary/profile/conditions/{id}/delete",
                "get",
            ) => get(profile::delete_form),
            (
                "/diary/profile/medicines/{id}/delete"
                | "/diary/profile/pregnancies/{id}/delete"
                | "/diary/profile/conditions/{id}/delete",
                "post",
            ) => post(profile::delete),
            ("/diary/{id}", "post") => post(diary::update),
            ("/diary/{id}/edit", "get") => get(diary::edit_form),
            ("/diary/{id}/delete", "get") => get(diary::delete_form),
            ("/diary/{id}/delete", "post") => post(diary::delete),
            ("/api/v1/episodes", "get") => get(diary::api::api_list),
            ("/api/v1/episodes", "post") => post(diary::api::api_create),
            ("/api/v1/nights", "post") => post(diary::api::api_check_in),
            ("/account", "get") => get(account::page),
            ("/account/sign-out", "post") => post(account::sign_out),
            ("/account/sessions/end-others", "post") => post(account::end_others),
            ("/account/delete", "get") => get(account::delete_form),
            ("/account/delete", "post") => post(account::delete),
            ("/account/password", "get") => get(account::password_form),
            ("/account/password", "post") => post(account::change_password),
            ("/account/recovery-codes", "get") => get(account::codes_form),
            ("/account/recovery-codes", "post") => post(account::new_codes),
            ("/account/tokens", "get") => get(account::tokens_page),
            ("/account/tokens", "post") => post(account::create_token),
            ("/account/tokens/{id}/revoke", "post") => post(account::revoke_token),
            ("/account/security", "get") => get(account::factors::security),
            ("/account/confirm", "get") => get(account::confirm::confirm_form),
            ("/account/confirm", "post") => post(account::confirm::confirm),
            ("/account/totp", "get") => get(account::factors::totp_form),
            ("/account/totp", "post") => post(account::factors::totp_confirm),
            ("/account/totp/remove", "post") => post(account::factors::totp_remove),
            ("/account/passkeys", "post") => post(account::passkey_pages::add),
            ("/account/passkeys/options", "post") => post(account::passkeys::options_signed_in),
            ("/account/passkeys/{id}/remove", "get") => get(account::passkey_pages::remove_form),
            ("/account/passkeys/{id}/remove", "post") => post(account::passkey_pages::remove),
            ("/account/passkeys/{id}/rename", "get") => get(account::passkey_pages::rename_form),
            ("/account/passkeys/{id}/rename", "post") => post(account::passkey_pages::rename),
            // A row of the table without a handler is a programming error that every test
            // (each builds the router) finds at once.
            _ => panic!("DIARY_ROUTES names {method} {path}, which has no handler"),
        }
    };
    methods
        .iter()
        .map(|m| one(m))
        .reduce(MethodRouter::merge)
        .unwrap_or_default()
}
