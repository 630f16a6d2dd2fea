//! The triage JSON contract (see `docs/product.md`), shared by `legcramps triage` and
//! `POST /api/v1/triage`.
//!
//! Input is parsed strictly into the core's [`Assessment`]: unknown fields, wrong types,
//! duplicated fields, out-of-range durations, unknown conditions, anything but one JSON object,
//! and trailing data are all errors that name the field (or the position). Output is the
//! outcome's wire shape, built from the core's static tables.
//!
//! The wire types live here, not in the core, so the core derives nothing that only JSON needs.
//! The diary's file formats live here too: [`diary_io`] (CSV, JSON and the API's new-cramp body), [`fhir`] (FHIR R4)
//! and [`ics`] (the RFC 5545 reminder).

pub mod diary_io;
pub mod fhir;
pub mod ics;
mod input;
mod objects;
mod output;

#[cfg(feature = "openapi")]
pub use input::ConditionName;
pub use input::{AssessmentIn, ContractError, ErrorKind, MAX_BODY_BYTES, parse_assessment};
pub use output::{AdviceOut, OutcomeOut, OutcomeWriter, ReasonOut, outcome_json, outcome_out};
