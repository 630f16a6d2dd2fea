//! The kernel of the web crate: the only part the features import. It knows who is asking
//! ([`auth`]), how a reply is rendered ([`render`]) and how an error becomes one ([`error`]),
//! and the headers, logs and limits every response passes through ([`middleware`]).

pub(crate) mod assets;
pub(crate) mod auth;
pub(crate) mod backoff;
pub(crate) mod date_input;
pub(crate) mod error;
pub(crate) mod middleware;
pub(crate) mod problem;
pub(crate) mod render;
pub(crate) mod session;
pub(crate) mod unsaved;
pub(crate) mod upload;
pub(crate) mod views;
