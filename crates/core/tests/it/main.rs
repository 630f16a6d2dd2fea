//! Integration tests of the core: content traceability, the triage safety properties (by
//! enumerating the whole answer space), the scenario table, and the questionnaire flow.

mod coverage;
mod durations;
mod flow;
mod patterns;
mod readability;
mod review_record;
mod safety;
mod scenarios;
mod support;
