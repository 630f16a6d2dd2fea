//! The guidance, as data.
//!
//! Every sentence here is our own plain-English wording of the NHS inform page "Leg cramps"
//! (NHS 24); none is copied from the page. Each item records the fact ids it carries, so a
//! clinical reviewer can trace every sentence back to its source, and tests prove that every
//! registered fact is carried somewhere. The data is compiled into the binary: nothing is read
//! from disk at run time.

/// The version of the clinical content. Bump it whenever any wording, rule or question that a
/// person could see changes, so that an outcome can be traced to the content that produced it.
pub const CONTENT_VERSION: &str = "2026.12.2";

/// How an item is meant to be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Ordinary text, with an optional bulleted list.
    Text,
    /// Advice to get help urgently: shown prominently (a red care card on the web).
    Urgent,
    /// Advice to speak to a professional (a blue care card on the web).
    NonUrgent,
    /// Numbered steps to follow in order.
    Steps,
}

/// One piece of guidance: a paragraph, and optionally a list or steps.
#[derive(Debug)]
pub struct Item {
    /// Stable id of this piece of content (unique across all topics).
    pub id: &'static str,
    /// The fact ids this item carries.
    pub facts: &'static [&'static str],
    pub kind: Kind,
    /// An optional heading for the item.
    pub heading: Option<&'static str>,
    /// The paragraph (or the lead-in to the list).
    pub text: &'static str,
    /// Bullets or steps; empty for a plain paragraph.
    pub list: &'static [&'static str],
}

/// A topic of the guidance: one page on the web, one `legcramps guide TOPIC` in the terminal.
#[derive(Debug)]
pub struct Topic {
    pub slug: &'static str,
    pub title: &'static str,
    /// One line that says what the topic covers.
    pub summary: &'static str,
    pub items: &'static [Item],
}

/// The credit shown on every page and every printed outcome. The signs of a blood clot come
/// from a second source, credited beside the first wherever they appear: they appear on every
/// outcome (in its safety net) and on every page (in the "Get help now" box), so both are
/// credited together everywhere.
pub const SOURCE_CREDIT: Item = Item {
    id: "source.credit",
    facts: &["source.nhs-inform", "source.nhs-dvt"],
    kind: Kind::Text,
    heading: None,
    text: "Based on the NHS inform page \"Leg cramps\", written by NHS 24, and, for the signs of a blood clot, the NHS page \"Deep vein thrombosis (DVT)\". This tool is not an NHS service and does not replace advice from a health professional.",
    list: &[],
};

/// Read a host's address for its nation's NHS online urgent service ("111 online" differs by
/// nation, so there is no default: hazard H18). It must be an `https://` address with a host,
/// at most 200 characters, with no spaces, quotes or angle brackets.
pub fn online_111_address(text: &str) -> Result<String, String> {
    let t = text.trim();
    let host = t.strip_prefix("https://").unwrap_or("");
    let host = host.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') {
        return Err(format!(
            "`{t}` is not an https address: give one like https://111.nhs.uk/"
        ));
    }
    if t.len() > 200
        || t.chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c))
    {
        return Err(format!(
            "`{t}` is not an address: it must be at most 200 characters, with no spaces or quotes"
        ));
    }
    Ok(t.to_owned())
}

/// "Get help now": the 999 sign and the urgent signs in a few lines, shown before anything
/// else on the home page, the check's start page and the "When to get help" topic (and first
/// in `legcramps guide when-to-get-help`). The first item is the 999 line; the second leads in
/// to the urgent signs.
pub const GET_HELP_NOW: &[Item] = &[
    Item {
        id: "help-now.999",
        facts: &["dvt.emergency"],
        kind: Kind::Urgent,
        heading: Some("Get help now"),
        text: "Phone 999 if you have pain in your leg and chest pain, or new or worse shortness of breath.",
        list: &[],
    },
    Item {
        id: "help-now.urgent",
        facts: &[
            "dvt.urgent",
            "dvt.signs",
            "help.urgent.long-unrelieved",
            "help.urgent.toxin-or-wound",
            "help.urgent.gp-closed-111",
        ],
        kind: Kind::Urgent,
        heading: None,
        text: "Phone your GP surgery today, or 111 if it is closed, if:",
        list: &[
            "the leg that hurts is swollen, warm, or red or darker",
            "a cramp lasts 10 minutes or more, and moving does not help",
            "your cramps began in the weeks after you touched lead or mercury",
            "your cramps began in the weeks after dirt got into a cut",
        ],
    },
];

/// All topics, in reading order.
pub const TOPICS: &[Topic] = &[
    Topic {
        slug: "overview",
        title: "About leg cramps",
        summary: "What a leg cramp is, and why most are nothing to worry about.",
        items: &[
            Item {
                id: "overview.what",
                facts: &["about.sudden-tight-painful", "about.common-harmless"],
                kind: Kind::Text,
                heading: None,
                text: "A leg cramp is when a muscle in your leg all at once goes tight and hurts. Lots of people get them, and most of the time they do no harm.",
                list: &[],
            },
            Item {
                id: "overview.serious",
                facts: &["help.serious-sign"],
                kind: Kind::Text,
                heading: None,
                text: "Sometimes, leg cramps can warn of a more serious problem with your health. So it is worth knowing when to get them checked.",
                list: &[],
            },
        ],
    },
    Topic {
        slug: "symptoms",
        title: "Symptoms",
        summary: "What a cramp feels like, where it happens and how long it lasts.",
        items: &[
            Item {
                id: "symptoms.what",
                facts: &["symptoms.sudden-pain", "symptoms.involuntary-contraction"],
                kind: Kind::Text,
                heading: None,
                text: "A cramp starts all at once, as pain in a leg muscle. It happens because the muscle tightens and shortens by itself. You are not doing it, and you cannot just let go.",
                list: &[],
            },
            Item {
                id: "symptoms.where",
                facts: &["symptoms.sites"],
                kind: Kind::Text,
                heading: None,
                text: "Most cramps are in the calf. But a cramp can happen in any part of your leg, even your feet and thighs.",
                list: &[],
            },
            Item {
                id: "symptoms.how-long",
                facts: &[
                    "symptoms.duration",
                    "symptoms.thigh-longest",
                    "help.urgent.long-unrelieved",
                ],
                kind: Kind::Text,
                heading: None,
                text: "A cramp usually lasts from a few seconds to less than 10 minutes. Cramps in the thigh usually last the longest. If a cramp lasts 10 minutes or more and moving does not ease it, see when to get help.",
                list: &[],
            },
            Item {
                id: "symptoms.during",
                facts: &["symptoms.during"],
                kind: Kind::Text,
                heading: None,
                text: "While it lasts, the muscle feels hard and sore, and your feet and toes go stiff.",
                list: &[],
            },
            Item {
                id: "symptoms.after",
                facts: &["symptoms.after"],
                kind: Kind::Text,
                heading: None,
                text: "When it has passed, your leg may still hurt and feel tender for several hours.",
                list: &[],
            },
            Item {
                id: "symptoms.night",
                facts: &["symptoms.night"],
                kind: Kind::Text,
                heading: None,
                text: "Cramps often come at night, while you are asleep.",
                list: &[],
            },
        ],
    },
    Topic {
        slug: "when-to-get-help",
        title: "When to get help",
        summary: "Which cramps need a GP urgently, which need a GP, and what the GP will do.",
        items: &[
            Item {
                id: "help.urgent",
                facts: &["help.urgent.long-unrelieved", "help.urgent.toxin-or-wound"],
                kind: Kind::Urgent,
                heading: Some("Speak to a GP urgently if:"),
                text: "",
                list: &[
                    "a cramp lasts 10 minutes or more and moving about does not ease it",
                    "your cramps began in the weeks after you touched lead or mercury, or got dirt in a cut",
                ],
            },
            Item {
                id: "help.urgent-111",
                facts: &["help.urgent.gp-closed-111"],
                kind: Kind::Urgent,
                heading: None,
                text: "If your GP surgery is closed, phone 111.",
                list: &[],
            },
            Item {
                id: "help.gp",
                facts: &[
                    "help.gp.quality-of-life",
                    "help.gp.frequent",
                    "help.gp.sleep",
                    "help.gp.numbness-swelling",
                    "help.gp.muscle-wasting-weakness",
                ],
                kind: Kind::NonUrgent,
                heading: Some("Speak to a GP if:"),
                text: "",
                list: &[
                    "cramps are getting in the way of your everyday life",
                    "you get cramps often",
                    "cramps keep disturbing your sleep",
                    "your legs also feel numb or look swollen",
                    "the muscles in your legs are getting smaller or weaker",
                ],
            },
            Item {
                id: "help.at-the-gp",
                facts: &["help.gp.assessment"],
                kind: Kind::Text,
                heading: Some("What happens at the GP"),
                text: "The GP will ask about your cramps and look at your legs and feet. They may ask if anything else has changed, such as numbness or swelling.",
                list: &[],
            },
            Item {
                id: "help.tests",
                facts: &["help.gp.secondary-sign", "help.gp.tests"],
                kind: Kind::Text,
                heading: None,
                text: "Other symptoms like these can mean that something else is causing the cramps. If so, you may need tests, such as blood or urine tests, to check for other causes.",
                list: &[],
            },
            Item {
                id: "help.something-else",
                facts: &["dvt.feels-like-cramp", "dvt.one-leg", "dvt.signs"],
                kind: Kind::Text,
                heading: Some("Could it be something else?"),
                text: "A blood clot in a deep vein of the leg (a DVT) can cause pain that throbs or feels like a cramp. The pain is most often in the calf or thigh, and it is often worse when you walk or stand. A clot most often affects just one leg. In that leg, there may also be:",
                list: &[
                    "swelling",
                    "warm skin around the pain",
                    "red or darker skin (this can be harder to see on brown or black skin)",
                    "swollen veins that are hard or sore when you touch them",
                ],
            },
            Item {
                id: "help.clot-urgent",
                facts: &["dvt.urgent"],
                kind: Kind::Urgent,
                heading: Some("If you think you may have a clot"),
                text: "Ask your GP surgery for an urgent appointment, or phone 111.",
                list: &[],
            },
            Item {
                id: "help.clot-emergency",
                facts: &["dvt.emergency", "dvt.do-not-drive"],
                kind: Kind::Urgent,
                heading: None,
                text: "Phone 999 or go to A&E if you also have chest pain, or new or worse shortness of breath: the clot may have moved to your lungs, and that can put your life at risk. Do not drive yourself to A&E. Ask someone to take you, or phone 999 for an ambulance.",
                list: &[],
            },
        ],
    },
    Topic {
        slug: "causes",
        title: "Causes",
        summary: "Cramps with no known cause, and cramps caused by something else.",
        items: &[
            Item {
                id: "causes.two-kinds",
                facts: &["causes.types"],
                kind: Kind::Text,
                heading: None,
                text: "Often no one can find a cause for cramps. Doctors call these idiopathic cramps. When there is a cause, such as another illness, they are called secondary cramps.",
                list: &[],
            },
            Item {
                id: "causes.idiopathic",
                facts: &[
                    "causes.idiopathic.nerve-activity-sleep",
                    "causes.idiopathic.muscle-strain",
                    "causes.idiopathic.blood-supply",
                ],
                kind: Kind::Text,
                heading: Some("Cramps with no clear cause"),
                text: "These may come from:",
                list: &[
                    "nerves that fire in the wrong way while you sleep",
                    "working the leg muscles too hard, for example in exercise",
                    "the blood supply to a muscle being cut back all of a sudden",
                ],
            },
            Item {
                id: "causes.age",
                facts: &["causes.idiopathic.tendon-ageing"],
                kind: Kind::Text,
                heading: None,
                text: "Tendons are the tough cords that fix muscles to bones. They naturally get shorter as we get older, and a tendon that has become too short may make its muscle cramp. This may be why older people get more cramps.",
                list: &[],
            },
            Item {
                id: "causes.secondary",
                facts: &[
                    "causes.secondary.pregnancy",
                    "causes.secondary.exercise",
                    "causes.secondary.neurological",
                    "causes.secondary.liver-disease",
                    "causes.secondary.infection",
                    "causes.secondary.toxins",
                    "causes.secondary.dehydration",
                ],
                kind: Kind::Text,
                heading: Some("Cramps caused by something else"),
                text: "Things that can cause secondary cramps:",
                list: &[
                    "being pregnant: the extra weight strains your leg muscles, so they cramp more",
                    "exercise: cramps often start when you rest after it",
                    "nerve problems, such as motor neurone disease or peripheral neuropathy",
                    "liver disease: if the liver does not work well, toxins build up in the blood, and they can make muscles spasm",
                    "some germs, such as tetanus, which can cause cramps and spasms",
                    "poisons, such as lead or mercury, when there is a lot of them in the blood",
                    "too little water in your body: this can lower your salt levels and set off cramps",
                ],
            },
        ],
    },
    Topic {
        slug: "treatment",
        title: "Treatment and medicines",
        summary: "When medicine is used, and what to do if a new medicine may be the cause.",
        items: &[
            Item {
                id: "treatment.medication",
                facts: &["treatment.medication-persistent"],
                kind: Kind::Text,
                heading: None,
                text: "Most people do not need medicine for cramps. It is usually kept for cramps that carry on even though exercise has not helped.",
                list: &[],
            },
            Item {
                id: "treatment.underlying",
                facts: &["treatment.treat-underlying"],
                kind: Kind::Text,
                heading: None,
                text: "If something else is causing your cramps, treating that may ease them.",
                list: &[],
            },
            Item {
                id: "treatment.pregnancy",
                facts: &["treatment.pregnancy-passes"],
                kind: Kind::Text,
                heading: None,
                text: "Cramps that come with pregnancy should stop once the baby is born.",
                list: &[],
            },
            Item {
                id: "treatment.liver",
                facts: &["treatment.liver-harder"],
                kind: Kind::Text,
                heading: None,
                text: "Cramps from serious liver disease can be harder to treat. You may be given a medicine to relax the muscles.",
                list: &[],
            },
            Item {
                id: "treatment.medicine-cause",
                facts: &["medication.can-cause"],
                kind: Kind::NonUrgent,
                heading: Some("If you have started a new medicine"),
                text: "A few people get leg cramps from some medicines. Did yours start after a new medicine? Then speak to a pharmacist.",
                list: &[],
            },
            Item {
                id: "treatment.do-not-stop",
                facts: &["medication.do-not-stop"],
                kind: Kind::Text,
                heading: None,
                text: "Do not stop a medicine you were prescribed. Only stop if your GP or another health worker says so.",
                list: &[],
            },
        ],
    },
    Topic {
        slug: "stretches",
        title: "Stretches",
        summary: "How moving eases a cramp, and the calf stretch step by step.",
        items: &[
            Item {
                id: "stretches.relief",
                facts: &["stretch.relief"],
                kind: Kind::Text,
                heading: None,
                text: "Moving and stretching the muscle that has cramped eases most cramps.",
                list: &[],
            },
            Item {
                id: "stretches.daytime",
                facts: &["stretch.daytime-exercise"],
                kind: Kind::Text,
                heading: None,
                text: "Exercise your legs in the day. This often means you get cramps less often.",
                list: &[],
            },
            Item {
                id: "stretches.calf",
                facts: &["stretch.calf-step"],
                kind: Kind::Steps,
                heading: Some("Calf stretch"),
                text: "You need a stair or a step, and a wall or banister to hold on to so you do not fall.",
                list: CALF_STRETCH_STEPS,
            },
        ],
    },
    Topic {
        slug: "prevention",
        title: "Preventing cramps",
        summary: "Stretching, sleeping positions and bedding that may mean fewer cramps.",
        items: &[
            Item {
                id: "prevention.regular",
                facts: &["prevent.regular-stretching"],
                kind: Kind::Text,
                heading: None,
                text: "If cramps keep coming back, stretch the muscles in your lower legs often. This may stop them, or mean they come less often.",
                list: &[],
            },
            Item {
                id: "prevention.bedtime",
                facts: &["prevent.bedtime-stretch"],
                kind: Kind::Text,
                heading: None,
                text: "Doing a calf stretch every night before bed may help.",
                list: &[],
            },
            Item {
                id: "prevention.on-back",
                facts: &["prevent.lying-on-back"],
                kind: Kind::Text,
                heading: Some("If you sleep on your back"),
                text: "Keep your toes pointing up. To hold them there, try a pillow standing on its edge at the foot of the bed, and rest your soles against it.",
                list: &[],
            },
            Item {
                id: "prevention.on-front",
                facts: &["prevent.lying-on-front"],
                kind: Kind::Text,
                heading: Some("If you sleep on your front"),
                text: "Let your feet hang over the end of the bed. That keeps them relaxed, so your calf muscles are less likely to tighten up.",
                list: &[],
            },
            Item {
                id: "prevention.bedding",
                facts: &["prevent.loose-bedding"],
                kind: Kind::Text,
                heading: None,
                text: "Leave your bedding loose, not tucked in tight.",
                list: &[],
            },
        ],
    },
];

/// The calf stretch, one step per line (fact `stretch.calf-step`). The guided routine in the
/// terminal and on the web walks through these.
pub const CALF_STRETCH_STEPS: &[&str] = &[
    "Hold on to a wall or a banister. Stand on a step on the balls of your feet, with your heels over the edge.",
    "Let your heels sink slowly until they are lower than the step.",
    "Hold them there for a few seconds.",
    "Raise your heels back to where you started.",
    "Do this again a few times.",
];

/// The calf stretch step that is held (the routine counts down while it is shown).
pub const CALF_STRETCH_HOLD_STEP: usize = 2;

/// The calf stretch step that says to do it again.
pub const CALF_STRETCH_REPEAT_STEP: usize = 4;

/// Said before the stretch, on the web page and in the terminal (issue 18, finding 24): a leg
/// with the signs of a clot is not one to stretch; it needs help today.
pub const STRETCH_CAUTION: Item = Item {
    id: "stretches.caution",
    facts: &["dvt.signs", "dvt.one-leg", "dvt.urgent"],
    kind: Kind::Urgent,
    heading: None,
    text: "Do not stretch a leg that is swollen, warm, or red or darker. Get help today instead: phone your GP surgery, or 111 if it is closed.",
    list: &[],
};

/// Said on every step of the guided stretch that is done standing on the step, not only the
/// first: a falls precaution of ours (hazard H13), not a fact of the source.
pub const CALF_STRETCH_HOLD_ON: &str = "Keep holding on to the wall or banister.";

/// The calf stretch steps with a routine's own numbers in place of "a few seconds" and "a few
/// times", so that a page says each number once. The numbers are product settings (the source
/// gives none); the steps still carry `stretch.calf-step`.
pub fn calf_stretch_steps(hold_seconds: u32, repetitions: u32) -> Vec<String> {
    CALF_STRETCH_STEPS
        .iter()
        .enumerate()
        .map(|(i, s)| match i {
            CALF_STRETCH_HOLD_STEP => format!("Hold them there for {hold_seconds} seconds."),
            CALF_STRETCH_REPEAT_STEP => format!("Do this {repetitions} times in all."),
            _ => (*s).to_owned(),
        })
        .collect()
}

/// The guidance item with this id, if there is one.
pub fn item(id: &str) -> Option<&'static Item> {
    all_items().find(|i| i.id == id)
}

/// Every piece of guidance: the topics' items, the "Get help now" box and the credit.
pub fn all_items() -> impl Iterator<Item = &'static Item> {
    TOPICS
        .iter()
        .flat_map(|t| t.items.iter())
        .chain(GET_HELP_NOW.iter())
        .chain(std::iter::once(&STRETCH_CAUTION))
        .chain(std::iter::once(&SOURCE_CREDIT))
}

/// The topic with this slug, if there is one.
pub fn topic(slug: &str) -> Option<&'static Topic> {
    TOPICS.iter().find(|t| t.slug == slug)
}
