//! "Check your leg cramps" on the web: one question per page, in the order the core gives.
//!
//! No server-side state and no cookies: the answers so far travel in hidden fields of the one
//! form on each page (`a.<field>`), in POST bodies, so they never appear in a URL, the browser
//! history or a log. Every page is rebuilt from those answers with the core's `walk`, so
//! changing an earlier answer, going back, or a tampered form always ends in a consistent,
//! complete set of answers. Pages with answers on them are marked `Cache-Control: no-store`.

use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use legcramps_core::questions::{
    AnswerKind, Asked, Question, answer_text, as_asked, certain_level, question_for, read_minutes,
    walk,
};
use legcramps_core::triage::{Action, Basis, Group, Rule};
use legcramps_core::{Assessment, Condition, Conditions, Field, Level, evaluate};

use crate::http::render::{Page, render};
use crate::http::views::{AdviceLine, Layout};

pub(crate) mod api;
pub(crate) mod save;

/// A hidden form field carrying an earlier answer.
#[derive(Debug)]
pub(crate) struct Hidden {
    pub(crate) name: String,
    pub(crate) value: String,
}

/// The answers so far, as hidden fields.
fn hidden(a: &Assessment, asked: Asked) -> Vec<Hidden> {
    let mut out = Vec::new();
    for field in Field::all().filter(|f| asked.contains(*f)) {
        let name = format!("a.{}", field.name());
        let mut push = |value: String| {
            out.push(Hidden {
                name: name.clone(),
                value,
            });
        };
        match field {
            Field::LongestCrampMinutes => push(
                a.longest_cramp_minutes
                    .map_or("unsure".to_owned(), |m| m.get().to_string()),
            ),
            Field::YesNo(q) => push(yes_no_value(a.get(q)).to_owned()),
            Field::KnownConditions => match a.known_conditions {
                None => push("unsure".to_owned()),
                Some(cs) if cs.is_empty() => push("none".to_owned()),
                Some(cs) => cs.iter().for_each(|c| push(c.name().to_owned())),
            },
        }
    }
    out
}

fn yes_no_value(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unsure",
    }
}

/// Why an answer could not be accepted: the message shown next to the question.
type Problem = &'static str;

/// Read the answer to `field` from the values submitted under `name`.
fn read_answer(
    field: Field,
    values: &[&str],
    unsure_box: bool,
    a: &mut Assessment,
) -> Result<(), Problem> {
    match field {
        Field::LongestCrampMinutes => {
            let typed = values.first().map_or("", |v| v.trim());
            match (typed.is_empty(), unsure_box || typed == "unsure") {
                (true, false) => {
                    return Err(
                        "Enter how many minutes your longest cramp lasted, or select \u{2018}I\u{2019}m not sure\u{2019}",
                    );
                }
                (false, true) if typed != "unsure" => {
                    return Err(
                        "Enter a number of minutes or select \u{2018}I\u{2019}m not sure\u{2019}, not both",
                    );
                }
                (_, true) => a.longest_cramp_minutes = None,
                (false, false) => {
                    a.longest_cramp_minutes = Some(
                        read_minutes(typed)
                            .ok_or("Enter the number of minutes as a number, like 2 or 15. Enter 0 if it was less than a minute")?
                            .map_err(|_| "Enter a number of minutes from 0 to 1440")?,
                    );
                }
            }
        }
        Field::YesNo(q) => {
            let v = match values.first().copied() {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                Some("unsure") => None,
                _ => return Err("Select yes, no or \u{2018}I\u{2019}m not sure\u{2019}"),
            };
            a.set(q, v);
        }
        Field::KnownConditions => {
            if values.is_empty() {
                return Err(
                    "Select the conditions you have been told you have, or \u{2018}None of these\u{2019}, or \u{2018}I\u{2019}m not sure\u{2019}",
                );
            }
            let exclusive = values.iter().any(|v| *v == "none" || *v == "unsure");
            if exclusive && values.len() > 1 {
                return Err(
                    "Select \u{2018}None of these\u{2019} or \u{2018}I\u{2019}m not sure\u{2019} on its own",
                );
            }
            a.known_conditions = match values[0] {
                "none" => Some(Conditions::NONE),
                "unsure" => None,
                _ => Some(
                    values
                        .iter()
                        .map(|v| Condition::from_name(v).ok_or("Select from the conditions listed"))
                        .collect::<Result<Conditions, _>>()?,
                ),
            };
        }
    }
    Ok(())
}

/// The submitted form.
struct Submitted {
    pairs: Vec<(String, String)>,
}

impl Submitted {
    fn parse(body: &[u8]) -> Self {
        Submitted {
            pairs: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    fn values(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The earlier answers carried in hidden fields. A value that is not one we wrote means
    /// the form was tampered with or damaged: we say so rather than guess.
    fn state(&self) -> Result<(Assessment, Asked), ()> {
        let mut a = Assessment::default();
        let mut asked = Asked::default();
        for field in Field::all() {
            let values = self.values(&format!("a.{}", field.name()));
            if values.is_empty() {
                continue;
            }
            // Only the conditions question carries several values; a second value for any
            // other answer means the form was tampered with: refused, not guessed.
            if values.len() > 1 && field != Field::KnownConditions {
                return Err(());
            }
            read_answer(field, &values, false, &mut a).map_err(|_| ())?;
            asked = asked.with(field);
        }
        Ok((a, asked))
    }
}

#[derive(Template)]
#[template(path = "check_start.html")]
struct StartPage {
    layout: Layout,
    help: crate::http::views::Block,
}

pub(crate) async fn start(page: Page) -> Response {
    render(
        StatusCode::OK,
        &StartPage {
            layout: page.layout("Check your leg cramps", "check"),
            help: crate::http::views::help_now(),
        },
    )
}

/// A radio or checkbox option.
#[derive(Debug)]
pub(crate) struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
    pub(crate) checked: bool,
    pub(crate) exclusive: bool,
    /// Put an "or" divider before this option.
    pub(crate) divider: bool,
}

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionPage {
    layout: Layout,
    hidden: Vec<Hidden>,
    question: &'static Question,
    field: &'static str,
    kind: &'static str,
    number: usize,
    choices: Vec<Choice>,
    minutes_value: String,
    unsure_checked: bool,
    error: Option<Problem>,
    changing: bool,
    can_go_back: bool,
    /// After "not sure" about breathlessness or chest pain: the 999 line, above every
    /// question still asked (issue 18's review).
    breathless_doubt: Option<&'static str>,
}

fn question_page(
    page: &Page,
    a: &Assessment,
    asked: Asked,
    q: &'static Question,
    preselect: bool,
    changing: bool,
    error: Option<(Problem, String)>,
) -> Response {
    // What the person typed is kept in the box on an error page, so they can correct it.
    let (error, typed) = match error {
        Some((p, typed)) => (Some(p), Some(typed)),
        None => (None, None),
    };
    // The answers before this question number it. The answers carried are all the others;
    // when changing an answer its old value is carried too, so "Back" returns to the summary
    // with it unchanged. Whatever is carried, the next step re-walks the questions, so answers
    // the check would no longer reach are dropped there.
    let before = walk(a, asked.without(q.field));
    let number = before
        .order
        .iter()
        .position(|x| x.field == q.field)
        .unwrap_or(before.order.len())
        + 1;
    let carried = if changing {
        asked
    } else {
        asked.without(q.field)
    };
    let selected = |v: &str| -> bool {
        if !preselect || !asked.contains(q.field) {
            return false;
        }
        match q.field {
            Field::YesNo(y) => yes_no_value(a.get(y)) == v,
            Field::KnownConditions => match a.known_conditions {
                None => v == "unsure",
                Some(cs) if cs.is_empty() => v == "none",
                Some(cs) => Condition::from_name(v).is_some_and(|c| cs.contains(c)),
            },
            Field::LongestCrampMinutes => false,
        }
    };
    let choices = match q.kind {
        AnswerKind::YesNo => vec![
            Choice {
                value: "yes",
                label: "Yes",
                checked: selected("yes"),
                exclusive: false,
                divider: false,
            },
            Choice {
                value: "no",
                label: "No",
                checked: selected("no"),
                exclusive: false,
                divider: false,
            },
            Choice {
                value: "unsure",
                label: "I\u{2019}m not sure",
                checked: selected("unsure"),
                exclusive: false,
                divider: true,
            },
        ],
        AnswerKind::Conditions => {
            let mut c: Vec<Choice> = Condition::ALL
                .iter()
                .map(|cond| Choice {
                    value: cond.name(),
                    label: condition_label(*cond),
                    checked: selected(cond.name()),
                    exclusive: false,
                    divider: false,
                })
                .collect();
            c.push(Choice {
                value: "none",
                label: "None of these",
                checked: selected("none"),
                exclusive: true,
                divider: true,
            });
            c.push(Choice {
                value: "unsure",
                label: "I\u{2019}m not sure",
                checked: selected("unsure"),
                exclusive: true,
                divider: false,
            });
            c
        }
        AnswerKind::Minutes => Vec::new(),
    };
    let (minutes_value, unsure_checked) = if let Some(typed) = typed {
        (typed, false)
    } else if preselect && asked.contains(Field::LongestCrampMinutes) {
        match a.longest_cramp_minutes {
            Some(m) => (m.get().to_string(), false),
            None => (String::new(), true),
        }
    } else {
        (String::new(), false)
    };
    let page = QuestionPage {
        breathless_doubt: legcramps_core::questions::breathless_in_doubt(a, asked)
            .then(|| legcramps_core::triage::breathless_doubt_line().text),
        layout: page.layout(
            if error.is_some() {
                format!("Error: {}", q.text)
            } else {
                q.text.to_owned()
            },
            "check",
        ),
        hidden: hidden(a, carried),
        question: q,
        field: q.field.name(),
        kind: match q.kind {
            AnswerKind::Minutes => "minutes",
            AnswerKind::YesNo => "yesno",
            AnswerKind::Conditions => "conditions",
        },
        number,
        choices,
        minutes_value,
        unsure_checked,
        error,
        changing,
        can_go_back: changing || !before.order.is_empty(),
    };
    private(render(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

fn condition_label(c: Condition) -> &'static str {
    match c {
        Condition::Neurological => {
            "A condition of the nerves, such as motor neurone disease or peripheral neuropathy"
        }
        Condition::LiverDisease => "Liver disease",
    }
}

/// One row of the answers summary.
#[derive(Debug)]
pub(crate) struct Row {
    pub(crate) field: &'static str,
    pub(crate) question: &'static str,
    pub(crate) answer: String,
}

fn rows(a: &Assessment, order: &[&'static Question]) -> Vec<Row> {
    order
        .iter()
        .map(|q| Row {
            field: q.field.name(),
            question: q.text,
            answer: answer_text(q, a),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "summary.html")]
struct SummaryPage {
    layout: Layout,
    hidden: Vec<Hidden>,
    rows: Vec<Row>,
}

/// A reason an outcome gives, with the fact behind it (for health professionals).
#[derive(Debug)]
pub(crate) struct Reason {
    pub(crate) text: &'static str,
    pub(crate) fact: &'static str,
    pub(crate) assumed: bool,
}

fn reason((rule, basis): (&'static Rule, Basis)) -> Reason {
    Reason {
        text: rule.reason(basis),
        fact: rule.fact,
        assumed: basis == Basis::Assumed,
    }
}

#[derive(Template)]
#[template(path = "outcome.html")]
struct OutcomePage {
    layout: Layout,
    level: &'static str,
    action: &'static str,
    /// "emergency", "urgent", "non-urgent" or "" (self-care): the care card.
    card: &'static str,
    headline: &'static str,
    /// The number to phone now, as a `tel:` link and a button ("999", "111"), if any.
    phone: Option<&'static str>,
    /// Offer 111 online beside the 111 button.
    online_111: bool,
    /// The line the outcome opens with (the 999 line when breathlessness or chest pain was
    /// "not sure"), shown once, before the care card.
    lead: Option<AdviceLine>,
    /// Reasons for the outcome's level, and what to do about it now.
    why: Vec<Reason>,
    do_now: Vec<AdviceLine>,
    /// For an urgent outcome: reasons below its level and routine advice that also apply.
    later_why: Vec<Reason>,
    later: Vec<AdviceLine>,
    causes: Vec<AdviceLine>,
    self_care: Vec<AdviceLine>,
    safety_net: Vec<AdviceLine>,
    rows: Vec<Row>,
    content_version: &'static str,
    /// The answers, for "save this check to your diary" and "change".
    hidden: Vec<Hidden>,
}

fn outcome_page(
    page: &Page,
    a: &Assessment,
    asked: Asked,
    order: &[&'static Question],
) -> Response {
    // The outcome of a check is worked out from the questions it asked: an early stop shows
    // only what led there.
    let o = evaluate(&as_asked(a, asked));
    let urgent = o.level.is_urgent();
    let group = |g: Group| -> Vec<AdviceLine> {
        o.advice()
            .filter(|x| x.group == g)
            .map(AdviceLine::of)
            .collect()
    };
    let (why, later_why) = if urgent {
        (
            o.leading_reasons().map(reason).collect(),
            o.other_reasons().map(reason).collect(),
        )
    } else {
        (o.reasons().map(reason).collect(), Vec::new())
    };
    let page = OutcomePage {
        layout: page.layout(o.headline(), "check"),
        level: o.level.code(),
        action: o.action().code(),
        card: match o.level {
            Level::Emergency => "emergency",
            Level::UrgentGp => "urgent",
            Level::Gp | Level::Pharmacist => "non-urgent",
            Level::SelfCare => "",
        },
        headline: o.headline(),
        phone: match o.action() {
            Action::Phone999 => Some("999"),
            Action::Phone111 => Some("111"),
            _ => None,
        },
        online_111: o.action() == Action::Phone111,
        why,
        lead: o.lead().map(AdviceLine::of),
        do_now: o
            .advice_now()
            .filter(|x| x.group != Group::Lead)
            .map(AdviceLine::of)
            .collect(),
        later_why,
        later: o.advice_later().map(AdviceLine::of).collect(),
        causes: group(Group::PossibleCause),
        self_care: if o.level == Level::SelfCare {
            Vec::new()
        } else {
            group(Group::SelfCare)
        },
        safety_net: AdviceLine::net(o.safety_net().lines),
        rows: rows(a, order),
        content_version: legcramps_core::CONTENT_VERSION,
        hidden: hidden(a, asked),
    };
    private(render(StatusCode::OK, &page))
}

/// Answers are personal: browsers must not keep a copy of pages that show them.
fn private(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Template)]
#[template(path = "check_broken.html")]
struct BrokenPage {
    layout: Layout,
}

fn broken(page: &Page) -> Response {
    private(render(
        StatusCode::BAD_REQUEST,
        &BrokenPage {
            layout: page.layout("Your answers could not be read", "check"),
        },
    ))
}

/// The answers carried in a submitted check form, normalised by walking the questions, and
/// the outcome the person was shown for them; `None` when the form is damaged or incomplete.
pub(crate) fn completed_check(body: &[u8]) -> Option<(Assessment, legcramps_core::Outcome)> {
    let (a, asked) = Submitted::parse(body).state().ok()?;
    let walked = walk(&a, asked);
    walked.next.is_none().then(|| {
        let shown = evaluate(&as_asked(&walked.answers, walked.asked));
        (walked.answers, shown)
    })
}

#[derive(Template)]
#[template(path = "check_cross_site.html")]
struct CrossSitePage {
    layout: Layout,
}

/// Every step of the check is a POST to `/check`. A post from another website is refused:
/// another site must not make this one show advice for answers the person never gave.
pub(crate) async fn step(page: Page, headers: axum::http::HeaderMap, body: Bytes) -> Response {
    if crate::http::middleware::cross_site(&headers) {
        return private(render(
            StatusCode::FORBIDDEN,
            &CrossSitePage {
                layout: page.layout("This came from another website", "check"),
            },
        ));
    }
    let form = Submitted::parse(&body);
    let Ok((mut a, mut asked)) = form.state() else {
        return broken(&page);
    };
    let current = form
        .one("current")
        .and_then(Field::from_name)
        .and_then(question_for);
    let changing = form.one("mode") == Some("change");
    let action = form.one("action").unwrap_or("continue");

    if action == "back" {
        let walked = walk(&a, asked);
        if changing {
            return summary_or_next(&page, &a, asked);
        }
        return match walked.order.last() {
            Some(previous) => question_page(&page, &a, asked, previous, true, false, None),
            None => start(page).await,
        };
    }
    if let Some(field) = action.strip_prefix("change:") {
        return match Field::from_name(field).and_then(question_for) {
            Some(q) if asked.contains(q.field) => {
                question_page(&page, &a, asked, q, true, true, None)
            }
            _ => broken(&page),
        };
    }
    if action == "advice" {
        let walked = walk(&a, asked);
        return match walked.next {
            None => outcome_page(&page, &walked.answers, walked.asked, &walked.order),
            Some(q) => question_page(&page, &walked.answers, walked.asked, q, false, false, None),
        };
    }
    // Continue: take the answer to the current question, if there is one.
    if let Some(q) = current {
        let name = q.field.name();
        let values = form.values(name);
        let unsure_box = form.one(&format!("{name}_unsure")) == Some("unsure");
        let mut next = a;
        match read_answer(q.field, &values, unsure_box, &mut next) {
            Ok(()) => {
                a = next;
                asked = asked.with(q.field);
            }
            Err(problem) => {
                let typed = values.first().map_or(String::new(), |v| (*v).to_owned());
                return question_page(&page, &a, asked, q, false, changing, Some((problem, typed)));
            }
        }
    }
    summary_or_next(&page, &a, asked)
}

fn summary_or_next(page: &Page, a: &Assessment, asked: Asked) -> Response {
    let walked = walk(a, asked);
    match walked.next {
        Some(q) => question_page(page, &walked.answers, walked.asked, q, false, false, None),
        // Urgent advice comes at once: no "check your answers" page in the way. The answers
        // stay visible, and changeable, on the outcome page.
        None if certain_level(&walked.answers, walked.asked).is_urgent() => {
            outcome_page(page, &walked.answers, walked.asked, &walked.order)
        }
        None => private(render(
            StatusCode::OK,
            &SummaryPage {
                layout: page.layout("Check your answers", "check"),
                hidden: hidden(&walked.answers, walked.asked),
                rows: rows(&walked.answers, &walked.order),
            },
        )),
    }
}
