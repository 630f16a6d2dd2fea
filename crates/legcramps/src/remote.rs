//! `--server URL` (issue 8): the diary commands against a hosted legcramps site, through its
//! JSON API with a personal access token (`LEGCRAMPS_TOKEN`). The same files and checks as on
//! the local diary: what comes back is read with the import parser, so a damaged answer is an
//! error, never a wrong table.

use anyhow::Result;
use chrono::NaiveDate;
use legcramps_contract::diary_io::{DiaryFile, format_start, from_json};
use legcramps_core::diary::Episode;
use legcramps_core::profile::FromDiary;

use crate::bad;
use crate::cli;

/// A hosted diary.
pub(crate) struct Remote {
    base: url::Url,
    token: String,
    agent: ureq::Agent,
}

impl Remote {
    /// The hosted diary the flags name, if any. `--server` without a token is exit 2.
    pub(crate) fn from_args(args: &cli::Store) -> Result<Option<Remote>> {
        let Some(base) = args.server.clone() else {
            return Ok(None);
        };
        if !matches!(base.scheme(), "https" | "http") {
            return Err(bad(format!("--server {base}: give an https:// address")));
        }
        // Plain http would send the token and the diary in clear: only to this computer.
        if base.scheme() == "http" && !is_loopback(&base) {
            return Err(bad(format!(
                "--server {base}: give an https:// address (plain http is only for this computer: localhost, 127.0.0.1 or ::1)"
            )));
        }
        let token = args
            .token
            .clone()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| {
                bad("--server needs an access token: make one on your account page and set LEGCRAMPS_TOKEN")
            })?;
        let agent = ureq::AgentBuilder::new()
            .timeout(std::time::Duration::from_secs(30))
            // Never follow a redirect: it could carry the token somewhere else.
            .redirects(0)
            .build();
        Ok(Some(Remote {
            base,
            token: token.trim().to_owned(),
            agent,
        }))
    }

    fn url(&self, path: &str) -> Result<url::Url> {
        self.base
            .join(path)
            .map_err(|e| bad(format!("--server {}: {e}", self.base)))
    }

    /// An error from the server, said plainly (its problem+json detail when it sent one).
    fn failed(&self, e: ureq::Error) -> anyhow::Error {
        match e {
            ureq::Error::Status(status, response) => {
                let detail = response
                    .into_string()
                    .ok()
                    .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                    .and_then(|v| {
                        v["detail"]
                            .as_str()
                            .or_else(|| v["title"].as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                let what = match status {
                    401 => "the access token was refused (LEGCRAMPS_TOKEN)".to_owned(),
                    403 => "the server refused this".to_owned(),
                    _ => format!("the server answered {status}"),
                };
                bad(format!("{}: {what}: {detail}", self.base))
            }
            ureq::Error::Transport(t) => {
                anyhow::anyhow!("cannot reach {}: {t}", self.base)
            }
        }
    }

    /// Everything in the hosted diary within the range (either end open), page by page (the
    /// server's `Link: <...>; rel="next"`; the saved checks and the profile come with the first).
    pub(crate) fn everything(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<DiaryFile> {
        let mut url = self.url("api/v1/episodes")?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(f) = from {
                q.append_pair("from", &f.to_string());
            }
            if let Some(t) = to {
                q.append_pair("to", &t.to_string());
            }
            q.append_pair("limit", "1000");
        }
        let mut all: Option<DiaryFile> = None;
        loop {
            let response = self
                .agent
                .request_url("GET", &url)
                .set("Authorization", &format!("Bearer {}", self.token))
                .call()
                .map_err(|e| self.failed(e))?;
            let next = response
                .header("link")
                .and_then(next_link)
                .map(str::to_owned);
            let body = response
                .into_string()
                .map_err(|e| anyhow::anyhow!("reading the answer from {}: {e}", self.base))?;
            let page = from_json(&body).map_err(|e| {
                anyhow::anyhow!("{} sent a diary that cannot be read: {e}", self.base)
            })?;
            match &mut all {
                None => all = Some(page),
                Some(file) => file.episodes.extend(page.episodes),
            }
            let Some(next) = next else {
                break;
            };
            // The next page is on the same server, never elsewhere (the token goes with it).
            let joined = self.url(&next)?;
            if joined.origin() != self.base.origin() {
                return Err(anyhow::anyhow!(
                    "{} named a next page on another site: not followed",
                    self.base
                ));
            }
            url = joined;
        }
        all.ok_or_else(|| anyhow::anyhow!("{} sent no diary", self.base))
    }

    /// Log one episode; returns the id the server gave it.
    /// `said`: `--medication` and `--pregnant`, which the server adds to the profile.
    pub(crate) fn log(&self, e: &Episode, said: &FromDiary) -> Result<String> {
        let medication = said.medicines.first().map(|m| {
            serde_json::json!({
                "name": m.name(),
                "started": m.started.map(|d| d.to_string()),
            })
        });
        let body = serde_json::json!({
            "start": format_start(&e.start),
            "last_night": e.last_night,
            "minutes": e.duration.map(|d| d.minutes()),
            "site": e.site.map(|s| s.name()),
            "side": e.side.name(),
            "asleep": e.asleep,
            "eased": e.eased.map(|v| v.name()),
            "severity": e.severity.name(),
            "note": e.note.as_ref().map(|n| n.as_str()),
            "context": {
                "exercise": e.context.exercise,
                "new_medication": medication,
                "pregnant": said.pregnant,
                "short_of_fluids": e.context.short_of_fluids,
                "helped": e.context.helped.iter().map(|h| h.name()).collect::<Vec<_>>(),
                "suspected": e.context.suspected.iter().map(|b| b.name()).collect::<Vec<_>>(),
            },
        });
        self.post_json("api/v1/episodes", &body)?["id"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("{} did not say what it stored", self.base))
    }

    /// POST `body` as JSON to `path` with the token; the answer as JSON.
    fn post_json(&self, path: &str, body: &serde_json::Value) -> Result<serde_json::Value> {
        let answer = self
            .agent
            .request_url("POST", &self.url(path)?)
            .set("Authorization", &format!("Bearer {}", self.token))
            .set("Content-Type", "application/json")
            .send_string(&body.to_string())
            .map_err(|e| self.failed(e))?
            .into_string()
            .map_err(|e| anyhow::anyhow!("reading the answer from {}: {e}", self.base))?;
        serde_json::from_str(&answer)
            .map_err(|_| anyhow::anyhow!("{} did not say what it stored", self.base))
    }
}

impl Remote {
    /// `POST /api/v1/nights`: a night without cramps (or, with `undo`, taken back). Whether
    /// anything changed.
    pub(crate) fn check_in(&self, night: NaiveDate, undo: bool) -> Result<bool> {
        let body = serde_json::json!({ "night": night.to_string(), "undo": undo });
        self.post_json("api/v1/nights", &body)?["changed"]
            .as_bool()
            .ok_or_else(|| anyhow::anyhow!("{} did not say what it stored", self.base))
    }
}

/// The target of a `Link` header's `rel="next"` (RFC 8288), if it has one.
fn next_link(header: &str) -> Option<&str> {
    header.split(',').find_map(|part| {
        let (target, params) = part.trim().split_once(';')?;
        let next = params.split(';').any(|p| {
            p.trim().eq_ignore_ascii_case("rel=\"next\"")
                || p.trim().eq_ignore_ascii_case("rel=next")
        });
        next.then(|| target.trim().strip_prefix('<')?.strip_suffix('>'))
            .flatten()
    })
}

/// Whether `url` names this computer (`localhost`, a 127.x.x.x address or `::1`).
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Refuse `--server` on a command that does not work with it yet.
pub(crate) fn local_only(args: &cli::Store, command: &str) -> Result<()> {
    if args.server.is_some() {
        return Err(bad(format!(
            "{command} works on this computer's diary only; with --server use log, checkin, diary, export and report"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Issue 20, finding 12 (ASVS 12.2.1): plain http only to this computer.
    #[test]
    fn plain_http_is_refused_except_to_this_computer() {
        let with = |server: &str| crate::cli::Store {
            data_dir: None,
            database_url: None,
            server: Some(url::Url::parse(server).expect("a URL")),
            token: Some("lc_pat_x".to_owned()),
        };
        for ok in [
            "https://cramps.example.org",
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(super::Remote::from_args(&with(ok)).is_ok(), "{ok}");
        }
        for refused in ["http://cramps.example.org", "http://192.168.1.5:8080"] {
            let e = super::Remote::from_args(&with(refused))
                .err()
                .expect("refused")
                .to_string();
            assert!(e.contains("https://"), "{refused}: {e}");
        }
    }
}
