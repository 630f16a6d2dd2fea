//! The outcome's wire shape.

use legcramps_core::content::SOURCE_CREDIT;
use legcramps_core::triage::Basis;
use legcramps_core::{CONTENT_VERSION, Outcome};
use serde::Serialize;

/// The outcome as JSON. Every field of the contract, plus `headline`, `reasons` (why each
/// triggered rule applied) and `source`.
#[derive(Debug, Serialize)]
pub struct OutcomeOut {
    pub disposition: &'static str,
    pub headline: &'static str,
    pub phone_111: bool,
    pub triggered: Vec<&'static str>,
    pub reasons: Vec<ReasonOut>,
    pub possible_causes: Vec<&'static str>,
    pub advice: Vec<AdviceOut>,
    pub safety_net: &'static str,
    pub content_version: &'static str,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
pub struct ReasonOut {
    pub fact: &'static str,
    /// `answered`: the answers given meet the rule; `assumed`: an answer it needs was missing
    /// and the safe reading was taken.
    pub basis: &'static str,
    pub text: &'static str,
}

#[derive(Debug, Serialize)]
pub struct AdviceOut {
    pub id: &'static str,
    pub fact: &'static [&'static str],
    pub text: &'static str,
}

pub fn outcome_out(o: &Outcome) -> OutcomeOut {
    OutcomeOut {
        disposition: o.level.code(),
        headline: o.level.headline(),
        phone_111: o.phone_111,
        triggered: o.triggered().collect(),
        reasons: o
            .reasons()
            .map(|(r, basis)| match basis {
                Basis::Answered => ReasonOut {
                    fact: r.fact,
                    basis: "answered",
                    text: r.because,
                },
                Basis::Assumed => ReasonOut {
                    fact: r.fact,
                    basis: "assumed",
                    text: r.assumed,
                },
            })
            .collect(),
        possible_causes: o.possible_causes().collect(),
        advice: o
            .advice()
            .map(|a| AdviceOut {
                id: a.id,
                fact: a.facts,
                text: a.text,
            })
            .collect(),
        safety_net: o.safety_net().text,
        content_version: CONTENT_VERSION,
        source: SOURCE_CREDIT.text,
    }
}

/// The outcome as one line of JSON.
pub fn outcome_json(o: &Outcome) -> String {
    // Serialising static strings and booleans into a String cannot fail.
    serde_json::to_string(&outcome_out(o)).expect("an outcome of static strings always serialises")
}
