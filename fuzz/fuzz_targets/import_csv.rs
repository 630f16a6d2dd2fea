//! The CSV import parser (`legcramps import`, hardening findings 3, 4 and 12): any bytes give a
//! diary or an import error, never a panic; a diary that parses exports to CSV that reads back
//! as the same episodes, each with the same medicines, pregnancy and conditions for its day
//! (the round trip the formula-injection guard must keep exact).
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
    let csv = to_csv(&file.episodes, &file.profile);
    let again = from_csv(&csv).expect("an exported CSV reads back");
    assert_eq!(again.episodes, file.episodes, "CSV round trip");
    // Each cramp reads back the same medicines, pregnancy and conditions for its day.
    for e in &file.episodes {
        let day = e.start.date_naive();
        let said = |p: &legcramps_core::profile::Profile| {
            let on = p.on(day);
            let mut medicines: Vec<String> =
                on.medicines.iter().map(|m| m.name().to_owned()).collect();
            let mut conditions: Vec<String> =
                on.conditions.iter().map(|c| c.name().to_owned()).collect();
            medicines.sort();
            medicines.dedup();
            conditions.sort();
            (medicines, on.pregnant, conditions)
        };
        assert_eq!(said(&again.profile), said(&file.profile), "the profile on {day}");
    }
});
