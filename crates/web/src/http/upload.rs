//! A form that sends a file (`multipart/form-data`, RFC 7578): read whole, within a size
//! limit, by a well-kept parser (multer), and within a memory budget shared by every such
//! form one process is reading, so that uploads cannot take the server's memory. The budget is
//! counted in bytes received, not in forms: a form sent slowly holds only what has arrived,
//! so slow senders cannot keep everyone else's files out (the outside test of issue 21 held
//! both of the old two places with two uploads that never finished). The guard reads one to
//! check its anti-forgery field, and hands the parsed form on to the handler in the request's
//! extensions (read once).

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use futures_util::StreamExt as _;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::error::WebError;

/// The largest form with a file this server reads (a product setting, not a clinical one: a
/// JSON copy of the most cramps one account may keep, 20,000, is about 7 MB).
pub(crate) const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// How many bytes of such forms one process holds at once (four of the largest); a form that
/// would go over waits for room as it arrives.
const BUDGET_BYTES: usize = 4 * MAX_UPLOAD_BYTES;

/// How long a form waits for room in the budget before it is refused as "busy" (503, try
/// again): room is freed as other forms finish, and a wait this long means the server is
/// flooded with files.
const WAIT_FOR_ROOM: Duration = Duration::from_secs(30);

static BUDGET: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(BUDGET_BYTES)));

/// Whose forms with a file this process is reading or handling now: one at a time for each
/// person (the outside test held the whole budget from one account with five stalled uploads).
static READING_FOR: LazyLock<std::sync::Mutex<std::collections::HashSet<String>>> =
    LazyLock::new(Default::default);

/// One person's turn to send a file, given back when the form is done with (dropped).
struct Turn(String);

impl Turn {
    fn take(who: &str) -> Result<Turn, WebError> {
        let mut reading = READING_FOR.lock().unwrap_or_else(|e| e.into_inner());
        if reading.insert(who.to_owned()) {
            Ok(Turn(who.to_owned()))
        } else {
            Err(refused(
                StatusCode::CONFLICT,
                "Another file from you is still being received. Nothing was added from this one: wait for the other to finish, then send this one again.",
            ))
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        READING_FOR
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// Whether the request is a form with a file.
pub(crate) fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("multipart/form-data"))
}

/// A file as sent: the name it had on the person's device (if any) and its bytes.
pub(crate) struct File {
    pub(crate) name: Option<String>,
    pub(crate) bytes: Bytes,
}

struct Inner {
    fields: Vec<(String, String)>,
    files: Vec<(String, File)>,
    /// Its bytes' room in the budget, held while the form is in memory (until the handler
    /// is done with it).
    _room: Option<OwnedSemaphorePermit>,
    /// Its sender's turn, held as long.
    _turn: Turn,
}

/// A form with a file, read and parsed.
#[derive(Clone)]
pub(crate) struct Upload(Arc<Inner>);

impl Upload {
    /// A text field's value (the first, if sent more than once).
    pub(crate) fn field(&self, name: &str) -> Option<&str> {
        self.0
            .fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The file sent as `name`, if one was chosen (a browser sends an empty part with no
    /// file name when none was).
    pub(crate) fn file(&self, name: &str) -> Option<&File> {
        self.0
            .files
            .iter()
            .find(|(n, f)| n == name && !(f.bytes.is_empty() && f.name.is_none()))
            .map(|(_, f)| f)
    }
}

fn refused(status: StatusCode, why: &str) -> WebError {
    WebError::diary_refused(status, why.to_owned())
}

/// Read a request's form with a file: the request's parts (its body spent) and the form.
/// Too large, or not a well-formed form, is refused saying so; nothing is stored either way.
/// `who` names the sender (an account's owner): one form with a file at a time each.
pub(crate) async fn read(
    request: Request,
    who: &str,
) -> Result<(axum::http::request::Parts, Upload), WebError> {
    let (parts, body) = request.into_parts();
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(|| {
            refused(
                StatusCode::BAD_REQUEST,
                "The form could not be read (it has no boundary). Go back and send it again.",
            )
        })?;
    let turn = Turn::take(who)?;
    let (bytes, room) = body_within_budget(body).await?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    let (mut fields, mut files) = (Vec::new(), Vec::new());
    let unreadable = || {
        refused(
            StatusCode::BAD_REQUEST,
            "The form could not be read. Go back and send it again.",
        )
    };
    while let Some(field) = form.next_field().await.map_err(|_| unreadable())? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        match field.file_name().map(str::to_owned) {
            // A file input: kept as bytes, even when no file was chosen (an empty name).
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(|_| unreadable())?;
                let name_on_device = Some(file_name).filter(|n| !n.trim().is_empty());
                files.push((
                    name,
                    File {
                        name: name_on_device,
                        bytes,
                    },
                ));
            }
            None => {
                let text = field.text().await.map_err(|_| unreadable())?;
                fields.push((name, text));
            }
        }
    }
    Ok((
        parts,
        Upload(Arc::new(Inner {
            fields,
            files,
            _room: room,
            _turn: turn,
        })),
    ))
}

/// The body, whole, each part given room in the budget as it arrives: too large (over
/// [`MAX_UPLOAD_BYTES`]) is refused as soon as it is known; no room within [`WAIT_FOR_ROOM`]
/// is refused as busy.
async fn body_within_budget(
    body: axum::body::Body,
) -> Result<(Bytes, Option<OwnedSemaphorePermit>), WebError> {
    let mut stream = body.into_data_stream();
    let mut whole = Vec::new();
    let mut room: Option<OwnedSemaphorePermit> = None;
    while let Some(part) = stream.next().await {
        let part = part.map_err(|_| {
            refused(
                StatusCode::BAD_REQUEST,
                "The file did not arrive whole. Nothing was added: send it again.",
            )
        })?;
        if whole.len() + part.len() > MAX_UPLOAD_BYTES {
            return Err(refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "That file is larger than 10 MB, the most this site takes. Nothing was added.",
            ));
        }
        if part.is_empty() {
            continue;
        }
        // At most MAX_UPLOAD_BYTES, which fits in u32.
        let n = u32::try_from(part.len()).unwrap_or(u32::MAX);
        let more = tokio::time::timeout(WAIT_FOR_ROOM, BUDGET.clone().acquire_many_owned(n))
            .await
            .map_err(|_| {
                refused(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Many files are being added just now, so yours was not. Nothing was added: try again in a minute.",
                )
            })?
            .map_err(|_| refused(StatusCode::SERVICE_UNAVAILABLE, "The server is stopping."))?;
        match &mut room {
            Some(held) => held.merge(more),
            None => room = Some(more),
        }
        whole.extend_from_slice(&part);
    }
    Ok((Bytes::from(whole), room))
}

/// The form with a file the guard already read, or read it now (the local diary's guard
/// checks no anti-forgery field, so leaves it to the handler).
pub(crate) async fn of(mut request: Request) -> Result<Upload, WebError> {
    if let Some(u) = request.extensions_mut().remove::<Upload>() {
        return Ok(u);
    }
    if !is_multipart(request.headers()) {
        return Err(refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Choose the file with the form on this page, then send it.",
        ));
    }
    read(request, "local").await.map(|(_, u)| u)
}
