//! The check driven as a browser does it: post the form on the page with one more answer,
//! read the next page. Every outcome is reached, with JavaScript or without (the server never
//! depends on it), and changing or going back keeps the answers consistent.

use axum::http::StatusCode;

use crate::support::{Reply, hidden_fields, post_form, stable};

/// A browser session of the check: the current page, and what to post next.
struct Browser {
    page: Reply,
    /// The app, when not the default one.
    app: Option<axum::Router>,
}

impl Browser {
    async fn start() -> Self {
        let page = post_form("/check", &[("action".into(), "continue".into())]).await;
        assert_eq!(page.status, StatusCode::OK);
        Browser { page, app: None }
    }

    /// The check on an app built with these settings.
    async fn start_on(app: axum::Router) -> Self {
        let page = crate::support::post_form_to(
            app.clone(),
            "/check",
            &[("action".into(), "continue".into())],
        )
        .await;
        Browser {
            page,
            app: Some(app),
        }
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
        self.page = match &self.app {
            None => post_form("/check", &pairs).await,
            Some(app) => crate::support::post_form_to(app.clone(), "/check", &pairs).await,
        };
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
/// Urgent outcomes come straight after the last question, with no summary page.
async fn run(answers: &[(&str, &str)]) -> Browser {
    walk_through(Browser::start().await, answers).await
}

async fn walk_through(mut b: Browser, answers: &[(&str, &str)]) -> Browser {
    loop {
        let field = b.current();
        if field.is_empty() {
            break;
        }
        let answer = answers.iter().find(|(f, _)| *f == field).map_or(
            match field.as_str() {
                "longest_cramp_minutes" => "1",
                "known_conditions" => "none",
                _ => "no",
            },
            |(_, a)| *a,
        );
        b.answer(answer).await;
        assert_eq!(
            b.page.status,
            StatusCode::OK,
            "answering {field}: {}",
            b.page.body
        );
    }
    if b.heading() == "Check your answers" {
        b.submit(&[("action", "advice")]).await;
    }
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
        ("long_cramp_recent", "yes"),
        ("gp_open", "no"),
    ])
    .await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert_eq!(b.heading(), "Phone 111 now", "the H1 is the outcome");
    assert!(b.page.body.contains("nhsuk-card--care--urgent"));
    // One instruction, once: one 111 button, and 111 online.
    assert_eq!(b.page.body.matches("href=\"tel:111\"").count(), 1);
    // No "111 online" unless the host names its nation's service (issue 18, finding 12).
    assert!(!b.page.body.contains("111 online"));
    assert!(!b.page.body.contains("Contact your GP surgery"));
    assert_eq!(b.page.headers["cache-control"], "no-store");
    // Six questions were asked: breathlessness, one leg, how long, eased, when, surgery open.
    assert_eq!(b.page.body.matches("nhsuk-summary-list__row").count(), 6);
    // Only what led there: no "could not rule out" for questions never asked, and no
    // advice about a new medicine the person never mentioned.
    assert!(!b.page.body.contains("not sure"));
    assert!(!b.page.body.contains("pharmacist"));
    // Answers worded as the radios were.
    assert!(b.page.body.contains(">No</dd>"));
    insta::assert_snapshot!("outcome_urgent_111", stable(&b.page.body));
}

#[tokio::test]
async fn reaches_999_at_once_on_breathlessness() {
    let b = run(&[("breathless_or_chest_pain", "yes")]).await;
    assert_eq!(disposition(&b), "emergency");
    assert_eq!(b.heading(), "Phone 999 now");
    assert!(b.page.body.contains("nhsuk-card--care--emergency"));
    assert_eq!(b.page.body.matches("href=\"tel:999\"").count(), 1);
    assert!(!b.page.body.contains("tel:111"));
    assert!(b.page.body.contains("do not drive yourself"));
    assert!(
        !b.page.body.contains("calf stretch"),
        "no home care beside a 999 call"
    );
    assert_eq!(b.page.body.matches("nhsuk-summary-list__row").count(), 1);
    insta::assert_snapshot!("outcome_emergency", stable(&b.page.body));
}

#[tokio::test]
async fn not_sure_about_breathlessness_is_111_never_999() {
    // Issue 18, finding 1: the check goes on (every question but the surgery's hours), the
    // outcome is 111 even with the surgery open, it opens with the 999 line, and the reasons
    // name the doubt.
    let b = run(&[("breathless_or_chest_pain", "unsure")]).await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert_eq!(b.heading(), "Phone 111 now");
    let body = &b.page.body;
    let after_h1 = &body[body.find("</h1>").expect("h1")..];
    let lead = "If you are short of breath or have chest pain now, phone 999.";
    assert!(
        after_h1.find(lead) < after_h1.find("Why"),
        "the 999 line opens the outcome"
    );
    assert_eq!(body.matches(lead).count(), 1, "said once");
    assert_eq!(body.matches("href=\"tel:999\"").count(), 1);
    assert_eq!(body.matches("href=\"tel:111\"").count(), 1);
    assert!(body.contains("You were not sure if you have new or worse shortness of breath"));
    assert!(
        body.contains("Is the leg that hurts swollen"),
        "the leg question was asked"
    );
    assert!(body.contains("Has a doctor told you"), "and the rest");
    assert!(
        !body.contains("Is your GP surgery open now?"),
        "111 whatever the surgery's hours"
    );
    assert!(
        !body.contains("calf stretch"),
        "no stretching with a possible clot"
    );
    // And with a swollen leg too, the doubt stays in the reasons.
    let b = run(&[
        ("breathless_or_chest_pain", "unsure"),
        ("one_leg_swollen_warm_or_red", "yes"),
    ])
    .await;
    assert_eq!(b.heading(), "Phone 111 now");
    assert!(
        b.page
            .body
            .contains("You were not sure if you have new or worse shortness of breath")
    );
    assert!(
        b.page.body.contains("signs of a blood clot in the leg")
            || b.page.body.contains("blood clot in the leg")
    );
}

#[tokio::test]
async fn one_swollen_leg_is_the_dvt_route_and_an_open_surgery_is_phoned() {
    let b = run(&[("one_leg_swollen_warm_or_red", "yes"), ("gp_open", "yes")]).await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert_eq!(b.heading(), "Phone your GP surgery now");
    assert!(
        !b.page.body.contains("tel:111"),
        "no Phone 111 button when it is open"
    );
    assert!(b.page.body.contains("blood clot"));
}

#[tokio::test]
async fn ten_minutes_is_asked_whether_it_eased() {
    let b = run(&[
        ("longest_cramp_minutes", "10"),
        ("eases_when_moving", "no"),
        ("long_cramp_recent", "yes"),
        ("gp_open", "no"),
    ])
    .await;
    assert_eq!(disposition(&b), "urgent-gp");
}

/// Issue 18, finding 3: a long cramp that did not ease, three weeks ago and over, is a GP
/// appointment with "if it happens again, phone that day" — not "phone 111 now".
#[tokio::test]
async fn a_long_cramp_three_weeks_ago_is_a_gp_appointment() {
    let b = run(&[
        ("longest_cramp_minutes", "12"),
        ("eases_when_moving", "no"),
        ("long_cramp_recent", "no"),
    ])
    .await;
    assert_eq!(disposition(&b), "gp");
    assert_eq!(b.heading(), "Speak to your GP");
    assert!(b.page.body.contains("It ended more than 24 hours ago"));
    assert!(
        b.page
            .body
            .contains("If a cramp like this happens again, phone your GP surgery that day")
    );
    assert!(!b.page.body.contains("tel:111"));
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
            .contains("Do not stop a medicine you were prescribed")
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
    assert!(b.page.body.contains("What may play a part"));
    assert!(
        !b.page.body.contains("talk about with"),
        "self-care never sends people to a professional about causes"
    );
    assert!(b.page.body.contains("When to get help again"));
    assert!(b.page.body.contains("/stretches"));
    insta::assert_snapshot!("outcome_self_care", stable(&b.page.body));
}

#[tokio::test]
async fn not_sure_is_read_the_safe_way() {
    let b = run(&[
        ("longest_cramp_minutes", "unsure"),
        ("eases_when_moving", "unsure"),
        ("long_cramp_recent", "unsure"),
        ("gp_open", "unsure"),
    ])
    .await;
    assert_eq!(disposition(&b), "urgent-gp");
    assert!(
        b.page
            .body
            .contains("You were not sure how long your cramp lasted")
    );
    assert_eq!(b.heading(), "Phone 111 now");
}

#[tokio::test]
async fn a_missing_answer_is_asked_again_with_an_error() {
    let mut b = Browser::start().await;
    b.answer("no").await;
    b.answer("no").await;
    b.submit(&[("action", "continue")]).await;
    assert_eq!(b.page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b.page.body.contains("There is a problem"));
    assert!(b.page.body.contains("href=\"#longest_cramp_minutes\""));
    assert!(b.page.body.contains("<title>Error: "));
    for (typed, message) in [
        ("abc", "as a number"),
        ("about ten-ish", "as a number"),
        ("-2", "from 0 to 1440"),
        ("2000", "from 0 to 1440"),
    ] {
        b.submit(&[("longest_cramp_minutes", typed), ("action", "continue")])
            .await;
        assert_eq!(b.page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(b.page.body.contains(message), "{typed}");
        assert!(
            b.page.body.contains(&format!("value=\"{typed}\"")),
            "what was typed is kept in the box: {typed}"
        );
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
        "lead_or_mercury_contact",
        "eases is skipped for a short cramp"
    );
    b.submit(&[("action", "continue")]).await;
    assert!(b.page.body.contains("Select yes, no or"));
}

#[tokio::test]
async fn conditions_none_and_not_sure_are_exclusive() {
    let mut b = Browser::start().await;
    for (field, a) in [
        ("breathless_or_chest_pain", "no"),
        ("one_leg_swollen_warm_or_red", "no"),
        ("longest_cramp_minutes", "1"),
        ("lead_or_mercury_contact", "no"),
        ("dirt_in_wound", "no"),
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
    b.answer("no").await;
    b.answer("no").await;
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
    b.answer("no").await;
    b.answer("no").await;
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
    assert_eq!(b.current(), "long_cramp_recent");
    b.answer("yes").await;
    assert_eq!(
        b.current(),
        "gp_open",
        "now certain to be urgent: only the GP-open question is left"
    );
    b.answer("yes").await;
    // Urgent: straight to the advice, no "check your answers" page.
    assert_eq!(disposition(&b), "urgent-gp");
    assert_eq!(
        b.heading(),
        "Phone your GP surgery now",
        "the surgery is open"
    );
    assert!(!b.page.body.contains("tel:111"));
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
            ("a.breathless_or_chest_pain".into(), "no".into()),
            ("a.one_leg_swollen_warm_or_red".into(), "no".into()),
            ("a.longest_cramp_minutes".into(), "2".into()),
            ("action".into(), "advice".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("name=\"current\" value=\"lead_or_mercury_contact\"")
    );
}

#[tokio::test]
async fn question_snapshot() {
    let b = Browser::start().await;
    insta::assert_snapshot!("question_minutes", stable(&b.page.body));
}

/// Hardening finding 7: another site could post answers to `/check` and make this site show
/// an outcome for answers the person never gave. Cross-site posts are refused, as the diary's
/// are; the check's own pages still work.
#[tokio::test]
async fn check_refuses_cross_site_posts() {
    use axum::body::Body;
    use axum::http::{Method, Request};
    let answers = "a.breathless_or_chest_pain=yes&action=advice";
    let send = |headers: &'static [(&'static str, &'static str)]| async move {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri("/check")
            .header("host", "127.0.0.1:8080")
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        crate::support::send(b.body(Body::from(answers)).expect("request")).await
    };
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://evil.example")][..],
    ] {
        let r = send(headers).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(!r.body.contains("data-disposition"), "no outcome is shown");
        assert!(r.body.contains("another website"));
    }
    for headers in [
        &[("sec-fetch-site", "same-origin")][..],
        &[("origin", "http://127.0.0.1:8080")][..],
        &[][..],
    ] {
        let r = send(headers).await;
        assert_eq!(r.status, StatusCode::OK, "{headers:?}");
        assert!(r.body.contains("data-disposition=\"emergency\""));
    }
}

/// Hardening finding 12: a duplicated hidden answer was read as the first of the two. It is
/// refused, as the docs say (only the conditions question carries several values).
#[tokio::test]
async fn a_duplicated_hidden_answer_is_refused() {
    let r = post_form(
        "/check",
        &[
            ("a.breathless_or_chest_pain".into(), "no".into()),
            ("a.breathless_or_chest_pain".into(), "yes".into()),
            ("action".into(), "advice".into()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Your answers could not be read"));
}

/// Issue 18, finding 12: "111 online" differs by nation, so it is shown only when the host
/// names its own service; the phone number 111 is always given.
#[tokio::test]
async fn the_111_online_link_is_the_one_the_host_names() {
    let app = legcramps_web::app(legcramps_web::AppConfig {
        diary: legcramps_web::DiaryAccess::Off("no diary".to_owned()),
        settings: legcramps_core::patterns::Settings::default(),
        time_zone: legcramps_web::UK_TIME,
        nhs_111_online: Some("https://www.nhs24.scot/".into()),
        push: None,
    });
    let b = walk_through(
        Browser::start_on(app).await,
        &[
            ("longest_cramp_minutes", "12"),
            ("eases_when_moving", "no"),
            ("long_cramp_recent", "yes"),
            ("gp_open", "no"),
        ],
    )
    .await;
    assert_eq!(b.heading(), "Phone 111 now");
    assert!(
        b.page
            .body
            .contains("<a href=\"https://www.nhs24.scot/\">Use 111 online</a>"),
        "{}",
        b.page.body
    );
    assert!(!b.page.body.contains("111.nhs.uk"));
}

/// Issue 18's review: after "not sure" about breathlessness or chest pain, the 999 line stands
/// above every question still asked (the check goes on, but the person is never without it).
#[tokio::test]
async fn after_not_sure_about_breathlessness_every_question_carries_the_999_line() {
    let line = "If you are short of breath or have chest pain now, phone 999.";
    let mut b = Browser::start().await;
    assert!(!b.page.body.contains(line), "not before the answer");
    b.answer("unsure").await;
    assert_eq!(b.current(), "one_leg_swollen_warm_or_red");
    assert!(b.page.body.contains(line));
    assert!(b.page.body.contains("href=\"tel:999\""));
    b.answer("no").await;
    assert_eq!(b.current(), "longest_cramp_minutes");
    assert!(b.page.body.contains(line));
    // Not after "no".
    let mut b = Browser::start().await;
    b.answer("no").await;
    assert!(!b.page.body.contains(line));
}

/// Issue 21, finding 13: "Check your answers" has its Back link, to the last question asked,
/// with its answer.
#[tokio::test]
async fn check_your_answers_has_a_back_link_to_the_last_question() {
    let mut b = Browser::start().await;
    b.answer("no").await;
    b.answer("no").await;
    b.answer("3").await;
    let mut last = String::new();
    while !b.current().is_empty() {
        last = b.current().to_owned();
        b.answer(if b.current() == "known_conditions" {
            "none"
        } else {
            "no"
        })
        .await;
    }
    assert_eq!(b.heading(), "Check your answers");
    let back_form = &b.page.body[b.page.body.find("<form").expect("back form")..];
    let back_form = &back_form[..back_form.find("</form>").expect("end")];
    assert!(back_form.contains(">Back</button>"), "{back_form}");
    let mut pairs = hidden_fields(back_form);
    pairs.push(("action".into(), "back".into()));
    b.page = post_form("/check", &pairs).await;
    assert_eq!(b.current(), last);
}
