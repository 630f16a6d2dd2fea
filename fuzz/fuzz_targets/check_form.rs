//! The check's form (`POST /check`), through the real router: any body, however damaged,
//! gets a page (a question, the summary, an outcome, or "could not be read"), never a server
//! error and never a panic.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, header};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let request = Request::post("/check")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(data.to_vec()))
        .expect("a request");
    let response = runtime()
        .block_on(legcramps_web::router().oneshot(request))
        .expect("the router always answers");
    assert!(
        !response.status().is_server_error(),
        "POST /check answered {}",
        response.status()
    );
});
