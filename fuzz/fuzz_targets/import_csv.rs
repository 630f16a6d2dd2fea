//! The CSV import parser (`legcramps import`, hardening findings 3, 4 and 12): any bytes give a
//! diary or an import error, never a panic; a diary that parses exports to CSV that reads back
//! as the same episodes (the round trip the formula-injection guard must keep exact).
#![no_main]

use legcramps_contract::diary_io::{from_csv, import_checked, to_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = import_checked(text, chrono::Utc::now());
    let Ok(file) = from_csv(text) else {
        return;
    };
    let csv = to_csv(&file.episodes);
    let again = from_csv(&csv).expect("an exported CSV reads back");
    assert_eq!(again.episodes, file.episodes, "CSV round trip");
});
