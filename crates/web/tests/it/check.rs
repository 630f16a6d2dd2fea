//! The check driven as a browser does it: post the form on the page with one more answer,
//! read the next page. Every outcome is reached, with JavaScript or without (the server never
//! depends on it), and changing or going back keeps the answers consistent.

use axum::http::StatusCode;

use crate::support::{Reply, hidden_fields, post_form, stable};

/// A browser session of the check: the current page, and what to post next.
struct Browser {
    page: Reply,
}

impl Browser {
    async fn start() -> Self {
        let page = post_form("/check", &[("action".into(), "continue".into())]).await;
        assert_eq!(page.status, StatusCode::OK);
        Browser { page }
    }

    /// The field the current question page asks about.
    fn current(&self) -> String {
        hidden_fields(&self.page.body)
            .into_iter()
            .find(|(k, _)| k == "current")
            .map(|(_, v)| v)
            .unwrap_or_default()
    }

    /// Submit the main form with these extra fields.
    async fn submit(&mut self, extra: &[(&str, &str)]) {
        let mut pairs = hidden_fields(&self.page.body);
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        self.page = post_form("/check", &pairs).await;
    }

    /// Answer the current question: `answer` is a value of its radio or checkbox, a number of
    /// minutes, or "unsure".
    async fn answer(&mut self, answer: &str) {
        let field = self.current();
        if field == "longest_cramp_minutes" && answer == "unsure" {
            self.submit(&[
                ("longest_cramp_minutes_unsure", "unsure"),
                ("action", "continue"),
            ])
            .await;
        } else {
            self.submit(&[(field.as_str(), answer), ("action", "continue")])
                .await;
        }
    }

    fn heading(&self) -> &str {
        let b = &self.page.body;
        let start = b
            .find("<h1")
            .map(|i| i + b[i..].find('>').unwrap_or(0) + 1)
            .unwrap_or(0);
        b[start..].split("</h1>").next().unwrap_or("").trim()
    }
}

/// Answer questions in order until the summary, then ask for the advice; return the page.
async fn run(answers: &[(&str, &str)]) -> Browser {
    let mut b = Browser::start().await;
    loop {
        let field = b.current();
        if field.is_empty() {
            break;
        }
        let answer = answers
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("no", |(_, a)| *a);
        b.answer(answer).await;
        assert_eq!(
            b.page.status,
            StatusCode::OK,
            "answering {field}: {}",
            b.page.body
        );
    }
    assert_eq!(b.heading(), "Check your answers");
    b.submit(&[("action", "advice")]).await;
    b
}

fn disposition(b: &Browser) -> &str {
    let body = &b.page.body;
    let start = body.find("data-disposition=\"").expect("an outcome page") + 18;
    &body[start..start + body[start..].find('"').expect("end")]
}

#[tokio::test]
async fn reaches_urgent_gp_and_stops_early_with_111() {
    let b = run(&[
        ("longest_cramp_minutes", "12"),
        ("eases_when_moving", "no"),
        ("gp_open", "no"),
    ])
    .await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert!(b.page.body.contains("nhsuk-card--care--urgent"));
    assert!(b.page.body.contains("href=\"tel:111\""));
    assert!(
        b.page
            .body
            .contains("Your GP surgery is closed: phone <a href=\"tel:111\">111</a> now.")
    );
    assert_eq!(b.page.headers["cache-control"], "no-store");
    // Only three questions were asked.
    assert_eq!(b.page.body.matches("nhsuk-summary-list__row").count(), 3);
}

#[tokio::test]
async fn reaches_gp() {
    let b = run(&[
        ("longest_cramp_minutes", "2"),
        ("sleep_disturbed", "yes"),
        ("known_conditions", "none"),
    ])
    .await;
    assert_eq!(disposition(&b), "gp");
    assert!(b.page.body.contains("nhsuk-card--care--non-urgent"));
    assert!(b.page.body.contains("help.gp.sleep"));
    assert!(!b.page.body.contains("tel:111\" role=\"button\""));
}

#[tokio::test]
async fn reaches_pharmacist_with_do_not_stop_advice() {
    let b = run(&[
        ("longest_cramp_minutes", "0.5"),
        ("new_medication", "yes"),
        ("known_conditions", "none"),
    ])
    .await;
    assert_eq!(disposition(&b), "pharmacist");
    assert!(
        b.page
            .body
            .contains("Do not stop taking a medicine you were prescribed")
    );
}

#[tokio::test]
async fn reaches_self_care_with_possible_causes_and_safety_net() {
    let b = run(&[
        ("longest_cramp_minutes", "1"),
        ("after_exercise", "yes"),
        ("pregnant", "yes"),
        ("known_conditions", "none"),
    ])
    .await;
    assert_eq!(disposition(&b), "self-care");
    assert!(b.page.body.contains("Possible causes"));
    assert!(b.page.body.contains("not a diagnosis"));
    assert!(b.page.body.contains("When to get help again"));
    assert!(b.page.body.contains("/stretches"));
    insta::assert_snapshot!("outcome_self_care", stable(&b.page.body));
}

#[tokio::test]
async fn not_sure_is_read_the_safe_way() {
    let b = run(&[
        ("longest_cramp_minutes", "unsure"),
        ("eases_when_moving", "unsure"),
        ("gp_open", "unsure"),
    ])
    .await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert!(b.page.body.contains("We take the safe reading"));
    assert!(
        b.page
            .body
            .contains("If your GP surgery is closed, or you do not know whether it is open, phone")
    );
}

#[tokio::test]
async fn a_missing_answer_is_asked_again_with_an_error() {
    let mut b = Browser::start().await;
    b.submit(&[("action", "continue")]).await;
    assert_eq!(b.page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b.page.body.contains("There is a problem"));
    assert!(b.page.body.contains("href=\"#longest_cramp_minutes\""));
    assert!(b.page.body.contains("<title>Error: "));
    for (typed, message) in [
        ("abc", "as a number"),
        ("-2", "from 0 to 1440"),
        ("2000", "from 0 to 1440"),
    ] {
        b.submit(&[("longest_cramp_minutes", typed), ("action", "continue")])
            .await;
        assert_eq!(b.page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(b.page.body.contains(message), "{typed}");
    }
    b.submit(&[
        ("longest_cramp_minutes", "3"),
        ("longest_cramp_minutes_unsure", "unsure"),
        ("action", "continue"),
    ])
    .await;
    assert!(b.page.body.contains("not both"));
    b.answer("3").await;
    assert_eq!(
        b.current(),
        "toxin_or_wound_contact",
        "eases is skipped for a short cramp"
    );
    b.submit(&[("action", "continue")]).await;
    assert!(b.page.body.contains("Select yes, no or"));
}

#[tokio::test]
async fn conditions_none_and_not_sure_are_exclusive() {
    let mut b = Browser::start().await;
    for (field, a) in [
        ("longest_cramp_minutes", "1"),
        ("toxin_or_wound_contact", "no"),
    ] {
        assert_eq!(b.current(), field);
        b.answer(a).await;
    }
    while b.current() != "known_conditions" {
        b.answer("no").await;
    }
    b.submit(&[
        ("known_conditions", "none"),
        ("known_conditions", "neurological"),
        ("action", "continue"),
    ])
    .await;
    assert!(b.page.body.contains("on its own"));
    b.submit(&[
        ("known_conditions", "neurological"),
        ("known_conditions", "liver-disease"),
        ("action", "continue"),
    ])
    .await;
    assert_eq!(b.heading(), "Check your answers");
    assert!(b.page.body.contains("liver disease"));
}

#[tokio::test]
async fn back_returns_to_the_previous_question_with_its_answer() {
    let mut b = Browser::start().await;
    b.answer("12").await;
    assert_eq!(b.current(), "eases_when_moving");
    // The Back button is its own small form, before the main one.
    let back_form = &b.page.body[b.page.body.find("<form").expect("back form")..];
    let back_form = &back_form[..back_form.find("</form>").expect("end")];
    let mut pairs = hidden_fields(back_form);
    pairs.push(("action".into(), "back".into()));
    b.page = post_form("/check", &pairs).await;
    assert_eq!(b.current(), "longest_cramp_minutes");
    assert!(
        b.page.body.contains("value=\"12\""),
        "the previous answer is pre-filled"
    );
}

#[tokio::test]
async fn changing_an_answer_recomputes_which_questions_apply() {
    let mut b = Browser::start().await;
    b.answer("3").await;
    while !b.current().is_empty() {
        b.answer(if b.current() == "known_conditions" {
            "none"
        } else {
            "no"
        })
        .await;
    }
    assert_eq!(b.heading(), "Check your answers");
    // Change the duration to a long cramp: the "eases" question now applies.
    b.submit(&[("action", "change:longest_cramp_minutes")])
        .await;
    assert_eq!(b.current(), "longest_cramp_minutes");
    assert!(b.page.body.contains("value=\"3\""));
    b.answer("15").await;
    assert_eq!(b.current(), "eases_when_moving");
    b.answer("no").await;
    assert_eq!(
        b.current(),
        "gp_open",
        "now certain to be urgent: only the GP-open question is left"
    );
    b.answer("yes").await;
    assert_eq!(b.heading(), "Check your answers");
    b.submit(&[("action", "advice")]).await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert!(
        !b.page.body.contains("Phone 111 now"),
        "the surgery is open"
    );
}

#[tokio::test]
async fn tampered_answers_are_refused_not_guessed() {
    let r = post_form(
        "/check",
        &[
            ("a.frequent".into(), "maybe".into()),
            ("action".into(), "advice".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Your answers could not be read"));
    let r = post_form("/check", &[("action".into(), "change:frequent".into())]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = post_form(
        "/check",
        &[
            ("a.longest_cramp_minutes".into(), "NaN".into()),
            ("action".into(), "advice".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn asking_for_advice_early_goes_to_the_next_question() {
    let r = post_form(
        "/check",
        &[
            ("a.longest_cramp_minutes".into(), "2".into()),
            ("action".into(), "advice".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("name=\"current\" value=\"toxin_or_wound_contact\"")
    );
}

#[tokio::test]
async fn question_snapshot() {
    let b = Browser::start().await;
    insta::assert_snapshot!("question_minutes", stable(&b.page.body));
}
