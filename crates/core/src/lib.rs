//! The pure core of legcramps: the guidance as data, the check's questions, and the triage
//! rules. No IO, no clock, no allocation on the triage path.
//!
//! - [`facts`]: the register of clinical fact ids (the source of truth for traceability).
//! - [`content`]: the guidance topics, each item naming the facts it carries.
//! - [`assessment`]: the answers a person gives, as types that can only hold valid values.
//! - [`questions`]: the check's questions as data, and the order they are asked in.
//! - [`triage`]: the rule table, the advice it leads to, the safety net.
//! - [`review`]: the rule table as Markdown for clinical review.
//! - [`diary`]: a cramp episode and its context, as valid-only types.
//! - [`profile`]: medicines, pregnancies and conditions, kept once and read per cramp's day.
//! - [`patterns`]: the diary's patterns and the GP summary's figures.

pub mod assessment;
pub mod content;
pub mod diary;
pub mod facts;
pub mod patterns;
pub mod profile;
pub mod questions;
pub mod review;
pub mod triage;

pub use assessment::{Assessment, Condition, Conditions, Field, Minutes, YesNo};
pub use content::CONTENT_VERSION;
pub use triage::{Level, Outcome, evaluate};
