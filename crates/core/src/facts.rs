//! The register of clinical fact ids.
//!
//! These are the ids of `../shared/clinical/facts.md`, which breaks the NHS inform page
//! "Leg cramps" (NHS 24) into atomic facts, plus a second section (`dvt.*`) from the NHS page
//! "Deep vein thrombosis (DVT)", used only to safety-net the conditions that mimic a cramp. The project keeps its own copy so that a clean
//! checkout can build and test without the shared folder; a test compares the two whenever
//! the shared file is present. Every id here must be carried by some content, and content
//! may name no id that is not here (see `tests/it/coverage.rs`).

/// Every fact id the product may carry, in the order of the source page.
pub const FACTS: &[&str] = &[
    // About
    "about.common-harmless",
    "about.sudden-tight-painful",
    // Symptoms
    "symptoms.sudden-pain",
    "symptoms.involuntary-contraction",
    "symptoms.sites",
    "symptoms.duration",
    "symptoms.thigh-longest",
    "symptoms.during",
    "symptoms.after",
    "symptoms.night",
    // When to get help
    "help.serious-sign",
    "help.urgent.long-unrelieved",
    "help.urgent.toxin-or-wound",
    "help.urgent.gp-closed-111",
    "help.gp.quality-of-life",
    "help.gp.frequent",
    "help.gp.sleep",
    "help.gp.numbness-swelling",
    "help.gp.muscle-wasting-weakness",
    "help.gp.assessment",
    "help.gp.secondary-sign",
    "help.gp.tests",
    // Causes
    "causes.types",
    "causes.idiopathic.nerve-activity-sleep",
    "causes.idiopathic.muscle-strain",
    "causes.idiopathic.blood-supply",
    "causes.idiopathic.tendon-ageing",
    "causes.secondary.pregnancy",
    "causes.secondary.exercise",
    "causes.secondary.neurological",
    "causes.secondary.liver-disease",
    "causes.secondary.infection",
    "causes.secondary.toxins",
    "causes.secondary.dehydration",
    // Treatment and medication
    "treatment.medication-persistent",
    "treatment.treat-underlying",
    "treatment.pregnancy-passes",
    "treatment.liver-harder",
    "medication.can-cause",
    "medication.do-not-stop",
    // Stretches
    "stretch.relief",
    "stretch.daytime-exercise",
    "stretch.calf-step",
    // Prevention
    "prevent.regular-stretching",
    "prevent.bedtime-stretch",
    "prevent.lying-on-back",
    "prevent.lying-on-front",
    "prevent.loose-bedding",
    // Source
    "source.nhs-inform",
    // Second source, for safety-netting only: NHS, "Deep vein thrombosis (DVT)"
    "dvt.feels-like-cramp",
    "dvt.one-leg",
    "dvt.signs",
    "dvt.urgent",
    "dvt.emergency",
    "dvt.do-not-drive",
    "source.nhs-dvt",
];

/// Whether `id` is a registered fact id.
pub fn is_registered(id: &str) -> bool {
    FACTS.contains(&id)
}
