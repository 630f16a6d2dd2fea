//! One triage evaluation (target: at most 1 µs median). Run with
//! `cargo bench -p legcramps-core --bench triage`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use legcramps_core::{Assessment, Condition, Conditions, Minutes, YesNo, evaluate};

fn assessments() -> [(&'static str, Assessment); 3] {
    let mut all_no = Assessment {
        longest_cramp_minutes: Minutes::new(2.0).ok(),
        known_conditions: Some(Conditions::NONE),
        ..Assessment::default()
    };
    for q in YesNo::ALL {
        all_no.set(q, Some(false));
    }
    let mut busy = all_no;
    busy.longest_cramp_minutes = Minutes::new(14.0).ok();
    busy.set(YesNo::EasesWhenMoving, None)
        .set(YesNo::NewMedication, Some(true))
        .set(YesNo::Frequent, Some(true))
        .set(YesNo::Pregnant, Some(true));
    busy.known_conditions = Some(Conditions::NONE.with(Condition::LiverDisease));
    [
        ("self-care, all answered", all_no),
        ("urgent, several rules and causes", busy),
        ("nothing answered", Assessment::default()),
    ]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate");
    for (name, a) in assessments() {
        group.bench_function(name, |b| b.iter(|| evaluate(black_box(&a))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
