//! Installable, and useful offline (issue 9): a web app manifest, a service worker, and the
//! page it shows when there is no connection.
//!
//! The worker keeps, at install, only pages that hold no health data: the home page, the
//! guidance, the stretches (whose timer runs in `app.js`), the accessibility and privacy pages,
//! the offline page, and the embedded assets. Pages are fetched from the network first and
//! fall back to that copy; any other page (the diary, the account, the check and its outcome,
//! the API) is never cached: offline it gets the offline page, which still says how to get help
//! now. Its cache is named after the content version and the assets, so a new release replaces
//! it.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use legcramps_core::content::{CONTENT_VERSION, TOPICS};

use crate::http::render::{Page, render};
use crate::http::views::{Block, Layout};

/// The pages the worker keeps for offline use (none holds health data).
pub(crate) fn offline_pages() -> Vec<String> {
    let mut pages: Vec<String> = ["/", "/stretches", "/accessibility", "/privacy", "/offline"]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    pages.extend(
        TOPICS
            .iter()
            .map(|t| crate::http::views::topic_href(t.slug)),
    );
    pages.sort();
    pages.dedup();
    pages
}

pub(crate) async fn manifest() -> Response {
    let body = serde_json::json!({
        "name": "Leg cramps",
        "short_name": "Leg cramps",
        "description": "What to do about leg cramps, when to get help, the calf stretch with a timer, and a cramp diary for your GP.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f0f4f5",
        "theme_color": "#005eb8",
        "icons": [
            {"src": crate::http::assets::FAVICON_SVG, "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": crate::http::assets::ICON_192_PNG, "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": crate::http::assets::ICON_512_PNG, "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": crate::http::assets::ICON_MASKABLE_512_PNG, "sizes": "512x512", "type": "image/png", "purpose": "maskable"}
        ]
    });
    let mut r = body.to_string().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/manifest+json"),
    );
    r
}

pub(crate) async fn service_worker() -> Response {
    let assets: Vec<&str> = crate::http::assets::ASSETS
        .iter()
        .map(|(u, _, _, _, _)| *u)
        .collect();
    let pages = offline_pages();
    let version =
        legcramps_accounts::hash_secret(&format!("{CONTENT_VERSION}\n{}", assets.join("\n")));
    let js = format!(
        r#"// The legcramps service worker (made by the server; see crates/web/src/offline.rs).
// It keeps only pages without health data; the diary, the account and the check are never cached.
const CACHE = 'legcramps-{version}';
const PAGES = {pages};
const ASSETS = {assets};

self.addEventListener('install', (event) => {{
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll([...PAGES, ...ASSETS].map((u) => new Request(u, {{ cache: 'reload', credentials: 'omit' }}))))
      .then(() => self.skipWaiting()),
  );
}});

self.addEventListener('activate', (event) => {{
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
}});

self.addEventListener('fetch', (event) => {{
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (ASSETS.includes(url.pathname)) {{
    event.respondWith(caches.match(url.pathname).then((hit) => hit || fetch(request)));
    return;
  }}
  if (request.mode !== 'navigate') return;
  if (PAGES.includes(url.pathname) && url.search === '') {{
    // A page without health data: the network first, this copy when there is none.
    event.respondWith(
      fetch(request)
        .then((response) => {{
          if (response.ok && !/no-store/.test(response.headers.get('Cache-Control') || '')) {{
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }}
          return response;
        }})
        .catch(() => caches.match(url.pathname).then((hit) => hit || caches.match('/offline'))),
    );
    return;
  }}
  // Anything else (the diary, the account, the check): the network only, never stored;
  // with no connection, the offline page.
  event.respondWith(fetch(request).catch(() => caches.match('/offline')));
}});

// Reminders (crates/web/src/reminders): the message says what to show and never holds health
// data. The morning question has two buttons: "No cramps" sends the one-use code it carries,
// which records last night; "Log one" opens the diary at the quick log.
self.addEventListener('push', (event) => {{
  let data = {{}};
  try {{ data = event.data ? event.data.json() : {{}}; }} catch (e) {{ data = {{}}; }}
  const morning = data.kind === 'morning';
  const options = {{
    body: typeof data.body === 'string' ? data.body : '',
    tag: morning ? 'legcramps-morning' : 'legcramps-stretch',
    icon: '{icon}',
    data: {{ kind: morning ? 'morning' : 'stretch', code: morning ? data.code : undefined }},
  }};
  if (morning) options.actions = [{{ action: 'no-cramps', title: 'No cramps' }}, {{ action: 'log', title: 'Log one' }}];
  event.waitUntil(self.registration.showNotification(typeof data.title === 'string' ? data.title : 'Leg cramps', options));
}});

function openPage(path) {{
  return self.clients.matchAll({{ type: 'window', includeUncontrolled: true }}).then((windows) => {{
    for (const w of windows) {{
      if (new URL(w.url).origin === self.location.origin && 'navigate' in w) return w.navigate(path).then((c) => (c || w).focus());
    }}
    return self.clients.openWindow(path);
  }});
}}

function noCramps(code) {{
  return fetch('/push/no-cramps', {{
    method: 'POST',
    credentials: 'omit',
    headers: {{ 'Content-Type': 'application/json' }},
    body: JSON.stringify({{ code }}),
  }}).then((response) => {{
    if (!response.ok) return openPage('/diary');
    return self.registration.showNotification('Noted: no cramps last night', {{
      body: 'It is in your diary. You can take it back there.',
      tag: 'legcramps-morning',
      icon: '{icon}',
      data: {{ kind: 'noted' }},
    }});
  }}).catch(() => openPage('/diary'));
}}

// What a tap on a notification (or one of its buttons) does; the promise ends when it is done.
function onNotificationClick(notification, action) {{
  const data = notification.data || {{}};
  notification.close();
  if (data.kind === 'morning' && action === 'no-cramps' && data.code) return noCramps(data.code);
  if (data.kind === 'morning') return openPage('/diary#quick-log');
  if (data.kind === 'stretch') return openPage('/stretches');
  return openPage('/diary');
}}

self.addEventListener('notificationclick', (event) => {{
  event.waitUntil(onNotificationClick(event.notification, event.action));
}});
"#,
        icon = crate::http::assets::ICON_192_PNG,
        pages = serde_json::to_string(&pages).unwrap_or_else(|_| "[]".to_owned()),
        assets = serde_json::to_string(&assets).unwrap_or_else(|_| "[]".to_owned()),
    );
    let mut r = js.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Checked on every visit, so a new release reaches people.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

#[derive(Template)]
#[template(path = "offline.html")]
struct OfflinePage {
    layout: Layout,
    help: Block,
    topics: Vec<(String, &'static str)>,
}

pub(crate) async fn page(page: Page) -> Response {
    render(
        StatusCode::OK,
        &OfflinePage {
            layout: page.layout("You are offline", ""),
            help: crate::http::views::help_now(),
            topics: TOPICS
                .iter()
                .map(|t| (crate::http::views::topic_href(t.slug), t.title))
                .collect(),
        },
    )
}
