//! The outcome's wire shape.

use legcramps_core::content::SOURCE_CREDIT;
use legcramps_core::triage::{ADVICE, Advice, Basis, Section};
use legcramps_core::{CONTENT_VERSION, Outcome};
use serde::Serialize;

/// The outcome as JSON. Every field of the contract, plus `headline` (the one thing to do:
/// "Phone 111 now"), `reasons` (why each triggered rule applied), `safety_net_lines` (the
/// safety net as the short lines people see) and `source`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Outcome))]
pub struct OutcomeOut {
    pub disposition: &'static str,
    pub headline: &'static str,
    pub phone_111: bool,
    /// True exactly when `disposition` is `emergency`.
    pub phone_999: bool,
    pub triggered: Vec<&'static str>,
    pub reasons: Vec<ReasonOut>,
    pub possible_causes: Vec<&'static str>,
    pub advice: Vec<AdviceOut>,
    pub safety_net: String,
    pub safety_net_lines: Vec<&'static str>,
    pub content_version: &'static str,
    /// The version of the rule table that made this outcome (docs/product.md's contract).
    pub rules_version: &'static str,
    pub source: &'static str,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Reason))]
pub struct ReasonOut {
    pub fact: &'static str,
    /// `answered`: the answers given meet the rule; `assumed`: an answer it needs was missing
    /// and the safe reading was taken.
    pub basis: &'static str,
    pub text: &'static str,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Advice))]
pub struct AdviceOut {
    pub id: &'static str,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub fact: &'static [&'static str],
    pub text: &'static str,
    /// `now`: what to do at once; `later`: for when the urgent part is sorted (or, for a
    /// routine outcome, what else may help). Every `now` item comes before every `later` one.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "now"))]
    pub section: &'static str,
}

pub fn outcome_out(o: &Outcome) -> OutcomeOut {
    OutcomeOut {
        disposition: o.level.code(),
        headline: o.headline(),
        phone_111: o.phone_111,
        phone_999: o.phone_999,
        triggered: o.triggered().collect(),
        reasons: o
            .reasons()
            .map(|(r, basis)| ReasonOut {
                fact: r.fact,
                basis: match basis {
                    Basis::Answered => "answered",
                    Basis::Assumed => "assumed",
                },
                text: r.reason(basis),
            })
            .collect(),
        possible_causes: o.possible_causes().collect(),
        advice: o
            .advice_by_section()
            .map(|(a, section)| AdviceOut {
                id: a.id,
                fact: a.facts,
                text: a.text,
                section: section.code(),
            })
            .collect(),
        safety_net: o.safety_net().text(),
        safety_net_lines: o.safety_net().lines.iter().map(|l| l.text).collect(),
        content_version: CONTENT_VERSION,
        rules_version: legcramps_core::triage::RULES_VERSION,
        source: SOURCE_CREDIT.text,
    }
}

/// The outcome as one line of JSON.
pub fn outcome_json(o: &Outcome) -> String {
    // Serialising static strings and booleans into a String cannot fail.
    serde_json::to_string(&outcome_out(o)).expect("an outcome of static strings always serialises")
}

/// Writes outcomes as JSON lines fast, for auditing many assessments at once.
///
/// Every piece of an outcome's JSON comes from a small fixed table (a rule's reason, a piece
/// of advice, a level's headline and safety net), so each piece is serialised once, by serde,
/// when the writer is built; writing an outcome then only copies those bytes. The result is
/// byte-for-byte what [`outcome_json`] gives (a test enumerates the outcomes to prove it),
/// in constant memory.
#[derive(Debug)]
pub struct OutcomeWriter {
    /// Per action (in `Action::ALL` order): the opening up to the phone flags, and the closing
    /// from the safety net on.
    open: Vec<String>,
    close: Vec<String>,
    /// Per rule: its fact as a JSON string, and its reason object (answered, assumed).
    facts: Vec<String>,
    reasons: Vec<[String; 2]>,
    /// Per possible cause: its fact ids as comma-separated JSON strings.
    causes: Vec<String>,
    /// Per piece of advice: its object, in the `now` and the `later` section.
    advice: Vec<[String; 2]>,
}

fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("static strings always serialise")
}

impl Default for OutcomeWriter {
    fn default() -> Self {
        use legcramps_core::triage::{Action, CAUSES, RULES};
        let reason = |fact, basis, text| json(&ReasonOut { fact, basis, text });
        OutcomeWriter {
            open: Action::ALL
                .iter()
                .map(|a| {
                    format!(
                        "{{\"disposition\":{},\"headline\":{},\"phone_111\":{},\"phone_999\":{}",
                        json(a.level().code()),
                        json(a.headline()),
                        *a == Action::Phone111,
                        *a == Action::Phone999,
                    )
                })
                .collect(),
            close: Action::ALL
                .iter()
                .map(|a| {
                    let net = legcramps_core::triage::safety_net(*a);
                    let lines: Vec<&str> = net.lines.iter().map(|l| l.text).collect();
                    format!(
                        ",\"safety_net\":{},\"safety_net_lines\":{},\"content_version\":{},\"rules_version\":{},\"source\":{}}}",
                        json(&net.text()),
                        json(&lines),
                        json(CONTENT_VERSION),
                        json(legcramps_core::triage::RULES_VERSION),
                        json(SOURCE_CREDIT.text)
                    )
                })
                .collect(),
            facts: RULES.iter().map(|r| json(r.fact)).collect(),
            reasons: RULES
                .iter()
                .map(|r| {
                    [
                        reason(r.fact, "answered", r.because),
                        reason(r.fact, "assumed", r.assumed),
                    ]
                })
                .collect(),
            causes: CAUSES
                .iter()
                .map(|c| c.facts.iter().map(json).collect::<Vec<_>>().join(","))
                .collect(),
            advice: ADVICE
                .iter()
                .map(|a| {
                    [Section::Now, Section::Later].map(|section| {
                        json(&AdviceOut {
                            id: a.id,
                            fact: a.facts,
                            text: a.text,
                            section: section.code(),
                        })
                    })
                })
                .collect(),
        }
    }
}

fn join<'a>(out: &mut Vec<u8>, parts: impl Iterator<Item = &'a str>) {
    for (i, part) in parts.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(part.as_bytes());
    }
}

impl OutcomeWriter {
    /// Append the outcome's JSON (no newline) to `out`.
    pub fn write(&self, o: &Outcome, out: &mut Vec<u8>) {
        let action = legcramps_core::triage::Action::ALL
            .iter()
            .position(|a| *a == o.action())
            .unwrap_or(0);
        out.extend_from_slice(self.open[action].as_bytes());
        out.extend_from_slice(b",\"triggered\":[");
        join(out, o.rule_indices().map(|(i, _)| self.facts[i].as_str()));
        out.extend_from_slice(b"],\"reasons\":[");
        join(
            out,
            o.rule_indices()
                .map(|(i, basis)| self.reasons[i][usize::from(basis == Basis::Assumed)].as_str()),
        );
        out.extend_from_slice(b"],\"possible_causes\":[");
        join(out, o.cause_indices().map(|i| self.causes[i].as_str()));
        out.extend_from_slice(b"],\"advice\":[");
        let index = |a: &Advice| ADVICE.iter().position(|x| x.id == a.id).unwrap_or(0);
        join(
            out,
            o.advice_by_section().map(|(a, section)| {
                self.advice[index(a)][usize::from(section == Section::Later)].as_str()
            }),
        );
        out.push(b']');
        out.extend_from_slice(self.close[action].as_bytes());
    }
}
