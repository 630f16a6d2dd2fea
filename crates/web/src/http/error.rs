//! One error type for the web app. A handler returns `Result<_, WebError>` and uses `?`; the
//! error becomes a reply by route: under `/api/` an RFC 9457 `application/problem+json`, and
//! elsewhere an NHS.UK page (or, for the storage failures, a plain page that leaks nothing).
//! [`WebError::into_response`] leaves the error on the response; [`by_route`], called by the
//! layers that already run on every request (the page context, the guard, the gate), renders
//! it with the request's path and the person's context in hand.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::http::problem::{Problem, diary_problem, problem};
use crate::http::render::{Page, not_found_page, render};
use crate::http::views::Layout;

/// How long to suggest waiting after a storage failure (for example the diary was busy), in
/// seconds, sent as `Retry-After`.
pub(crate) const RETRY_AFTER_SECONDS: u64 = 5;

/// Which part of the service could not reach its storage (each says so in its own words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Diary,
    Accounts,
}

/// Everything a request can end on other than its answer.
#[derive(Debug, Clone)]
pub(crate) enum WebError {
    /// Nothing here, or nothing of yours: 404.
    NotFound,
    /// The storage could not be reached: 503 with `Retry-After`; nothing was changed. The
    /// cause is logged where the error is made (see [`WebError::unavailable`]), never sent.
    Unavailable(Service),
    /// The diary refuses this request before any work (the diary is off, another host name,
    /// another site, an expired form), saying why.
    DiaryRefused { status: StatusCode, reason: String },
    /// An account route refuses this request before any work (another host name, another
    /// site): 403, saying why.
    Forbidden(String),
    /// A private route without a signed-in session: the sign-in page, or 401 on the API.
    SignInFirst,
    /// A form that writes, sent after its sign-in ended (issue 21): the sign-in page, saying
    /// `what` is not saved yet. `kept`: the cookie that finds it again once they sign in; none
    /// when there was no one to keep it for (the sign-in was ended on purpose), and the page
    /// then says it was not saved.
    NotSavedYet {
        kept: Option<HeaderValue>,
        what: &'static str,
    },
    /// A form that writes, sent with a live session but an older session's anti-forgery token
    /// (see [`crate::http::unsaved::StaleFormPage`]): given back filled in, with this
    /// session's token, to save with one tap. Nothing was changed.
    StaleForm {
        what: &'static str,
        action: String,
        fields: Vec<(String, String)>,
    },
    /// A change that needs the person to have proved who they are in the last few minutes
    /// (see [`crate::http::auth::Confirmed`]): "Confirm it is you", then back to `then` (a
    /// path on this site); 403 on the API.
    ConfirmFirst { then: String },
    /// Too many attempts: wait this many seconds (429, `Retry-After`).
    TooMany { seconds: u64 },
    /// An API problem, fully described by the handler.
    Problem(Problem),
}

impl WebError {
    /// The storage failed with `cause` (logged here, never shown).
    pub(crate) fn unavailable(service: Service, cause: impl std::fmt::Display) -> WebError {
        match service {
            Service::Diary => tracing::error!(error = %cause, "diary storage failed"),
            Service::Accounts => tracing::error!(error = %cause, "account storage failed"),
        }
        WebError::Unavailable(service)
    }

    /// The diary's storage failed.
    pub(crate) fn diary(cause: impl std::fmt::Display) -> WebError {
        WebError::unavailable(Service::Diary, cause)
    }

    /// The accounts' storage failed.
    pub(crate) fn accounts(cause: impl std::fmt::Display) -> WebError {
        WebError::unavailable(Service::Accounts, cause)
    }

    /// The diary refuses the request, saying why.
    pub(crate) fn diary_refused(status: StatusCode, reason: impl Into<String>) -> WebError {
        WebError::DiaryRefused {
            status,
            reason: reason.into(),
        }
    }

    /// The reply for a request to a page (`api` false) or to the API (`api` true).
    pub(crate) fn reply(self, api: bool, page: &Page) -> Response {
        match (self, api) {
            (WebError::NotFound, false) => not_found_page(page),
            (WebError::NotFound, true) => problem(
                StatusCode::NOT_FOUND,
                "/problems/not-found",
                "There is no such thing here",
                "nothing is here for this request".to_owned(),
                None,
            ),
            (WebError::Unavailable(Service::Diary), false) => with_retry_after((
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Sorry, the diary cannot be reached just now; nothing was changed. Please try again in a few seconds. If you need advice now, speak to your GP, or phone 111 if the surgery is closed.",
            )
                .into_response()),
            (WebError::Unavailable(Service::Accounts), false) => with_retry_after((
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, accounts cannot be reached just now; nothing was changed. Please try again in a few seconds.",
            )
                .into_response()),
            (WebError::Unavailable(_), true) => with_retry_after(diary_problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "The diary cannot be reached just now",
                "nothing was changed; try again in a few seconds".into(),
                None,
            )),
            (WebError::DiaryRefused { status, reason }, false) => render(
                status,
                &OffPage {
                    layout: page.layout("The diary is not available", "diary"),
                    reason,
                },
            ),
            (WebError::DiaryRefused { status, reason }, true) => problem_json(
                status,
                &serde_json::json!({
                    "type": "/problems/diary-unavailable",
                    "title": "The diary is not available here",
                    "status": status.as_u16(),
                    "detail": reason,
                }),
            ),
            (WebError::Forbidden(reason), _) => (StatusCode::FORBIDDEN, reason).into_response(),
            (WebError::SignInFirst, false) => Redirect::to("/account/sign-in").into_response(),
            (WebError::SignInFirst, true) => diary_problem(
                StatusCode::UNAUTHORIZED,
                "Sign in first",
                "the diary API needs a signed-in session".into(),
                None,
            ),
            (WebError::NotSavedYet { kept, what }, _) => {
                let waiting = kept.is_some();
                let mut r = render(
                    StatusCode::UNAUTHORIZED,
                    &crate::http::unsaved::SignInToSave {
                        layout: page.layout(format!("Sign in to save your {what}"), "account"),
                        username: String::new(),
                        error: None,
                        waiting,
                        lost: (!waiting).then_some(what),
                        signed_out: false,
                    },
                );
                if let Some(cookie) = kept {
                    r.headers_mut().append(header::SET_COOKIE, cookie);
                }
                r
            }
            (WebError::StaleForm { what, action, fields }, _) => render(
                StatusCode::CONFLICT,
                &crate::http::unsaved::StaleFormPage {
                    layout: page.layout(format!("Your {what} is not saved yet"), "diary"),
                    what,
                    sent: String::new(),
                    shown: crate::http::unsaved::recognisable(&fields),
                    cramp: action == "/diary" || action == "/diary/quick",
                    action,
                    fields,
                    id: String::new(),
                    field: crate::http::unsaved::FIELD,
                    more: 0,
                    stale: true,
                },
            ),
            (WebError::ConfirmFirst { then }, false) => {
                let then: String =
                    form_urlencoded::byte_serialize(then.as_bytes()).collect();
                Redirect::to(&format!("/account/confirm?then={then}")).into_response()
            }
            (WebError::ConfirmFirst { .. }, true) => diary_problem(
                StatusCode::FORBIDDEN,
                "Confirm it is you first",
                "this change needs your password or a passkey again: sign in on the site and confirm it is you".into(),
                None,
            ),
            (WebError::TooMany { seconds }, false) => {
                crate::http::backoff::wait_page(page, seconds)
            }
            (WebError::TooMany { seconds }, true) => {
                let mut r = diary_problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many changes just now",
                    format!("nothing was changed; try again in {seconds} seconds"),
                    None,
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                r
            }
            (WebError::Problem(p), _) => p.response(),
        }
    }
}

/// A `WebError` returned from a handler: rendered by [`by_route`], which knows the path.
#[derive(Debug, Clone)]
struct Unrendered(WebError);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut r = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        r.extensions_mut().insert(Unrendered(self));
        r
    }
}

/// A returned [`WebError`] as its page (with `page`'s context) or problem, by route (`api`);
/// any other response as it is. The layers that already know the path and the person —
/// [`crate::http::auth::context`] on every route, the guard and the gate on theirs — call it
/// on what the handler answered, so no error leaves unrendered and no extra layer runs.
pub(crate) fn by_route(mut response: Response, api: bool, page: &Page) -> Response {
    let Some(Unrendered(e)) = response.extensions_mut().remove::<Unrendered>() else {
        return response;
    };
    // Headers the handler put on its error reply (a cookie, say) stay on it; the guard adds
    // `no-store` to the rendered reply.
    let mut rendered = e.reply(api, page);
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().append(name.clone(), value.clone());
        }
    }
    rendered
}

fn with_retry_after(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    r
}

fn problem_json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    r
}

#[derive(Template)]
#[template(path = "diary_off.html")]
struct OffPage {
    layout: Layout,
    reason: String,
}

/// `?` for a handler that answers with a plain `Response`: the value, or return the error's
/// reply.
macro_rules! or_reply {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(e) => return axum::response::IntoResponse::into_response(e),
        }
    };
}
pub(crate) use or_reply;
