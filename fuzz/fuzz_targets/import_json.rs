//! The JSON import parser (`legcramps import`): any bytes give a diary or an import error,
//! never a panic; a diary that parses exports to JSON that reads back unchanged.
#![no_main]

use legcramps_contract::diary_io::{from_json, import_checked, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = import_checked(text, chrono::Utc::now());
    let Ok(file) = from_json(text) else {
        return;
    };
    let json = to_json(&file);
    let again = from_json(&json).expect("an exported JSON diary reads back");
    assert_eq!(again, file, "JSON round trip");
});
