//! The triage contract's JSON parser (`POST /api/v1/triage`, `legcramps triage`): any bytes
//! either parse or give a contract error, never a panic; what parses is triaged, and its
//! stored form (the diary keeps saved checks as `assessment_json`) reads back as the same
//! answers.
#![no_main]

use legcramps_contract::diary_io::assessment_json;
use legcramps_contract::{outcome_out, parse_assessment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(a) = parse_assessment(text) else {
        return;
    };
    let outcome = legcramps_core::evaluate(&a);
    let _ = outcome_out(&outcome);
    let stored = assessment_json(&a).to_string();
    let again = parse_assessment(&stored).expect("a stored assessment reads back");
    assert_eq!(again, a, "the stored form of an assessment reads back unchanged");
});
