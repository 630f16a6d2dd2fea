//! The web app through its real router (the same `router()` that `legcramps serve` runs):
//! every page, the check to each outcome as a browser would drive it, the API contract and its
//! problem+json errors, the security headers, and snapshots of rendered pages.

mod accounts;
mod api;
mod check;
mod diary;
mod pages;
mod reminders;
mod support;
