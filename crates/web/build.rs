//! Prepares the NHS.UK design system (`nhsuk-frontend`, MIT) for embedding, from the files
//! committed in `vendor/nhsuk/` — the compiled CSS (only the components the site uses,
//! `frontend/legcramps.scss`), the compiled JS (an ES module) and the icons the CSS refers to —
//! which `scripts/design-system` regenerates from the npm package pinned by
//! `frontend/package-lock.json` (CI checks they are not stale). The build never touches the
//! network and looks the same on every machine.
//!
//! The CSS loses its `@font-face` rules: the Frutiger fonts load from assets.nhs.uk, a
//! third-party request (and a typeface licensed for NHS services, which this is not); the
//! design system's own fallback, Arial, is used.
//!
//! The output is `assets.rs` in OUT_DIR: every asset with its URL path (fingerprinted, so it can
//! be cached forever), content type and bytes, and the same bytes compressed with brotli (at its
//! best, quality 11) and gzip (level 9), made here once so that serving costs nothing (issue 9).
//! A compressed form that is not smaller than the original is left out.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets this"));
    println!("cargo:rerun-if-changed=vendor");
    println!("cargo:rerun-if-changed=static");

    let vendor = manifest.join("vendor/nhsuk");
    let mut assets: Vec<(String, &str, PathBuf)> = Vec::new();
    let css = fs::read_to_string(vendor.join("nhsuk.css"))
        .expect("vendor/nhsuk/nhsuk.css (regenerate with scripts/design-system)");
    let (css, images) = prepare_css(&css);
    let css_path = out.join("nhsuk.css");
    fs::write(&css_path, css).expect("write css");
    assets.push(("nhsuk.css".into(), "text/css; charset=utf-8", css_path));
    assets.push((
        "nhsuk.js".into(),
        "text/javascript; charset=utf-8",
        vendor.join("nhsuk.js"),
    ));
    for image in images {
        assets.push((
            format!("images/{image}"),
            "image/svg+xml",
            vendor.join("images").join(&image),
        ));
    }
    let notice = fs::read_to_string(vendor.join("NOTICE")).expect("vendor/nhsuk/NOTICE");
    let version = notice.lines().next().unwrap_or("nhsuk-frontend").to_owned();
    println!("cargo:rustc-env=LEGCRAMPS_NHSUK={version}");
    for (name, kind) in [
        ("app.css", "text/css; charset=utf-8"),
        ("gp-summary.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("init.js", "text/javascript; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
        // Drawn from favicon.svg by scripts/icons (committed: the build needs no browser).
        ("apple-touch-icon.png", "image/png"),
        ("icon-192.png", "image/png"),
        ("icon-512.png", "image/png"),
        ("icon-maskable-512.png", "image/png"),
    ] {
        assets.push((name.into(), kind, manifest.join("static").join(name)));
    }
    write_table(&out, &assets);
}

/// Remove `@font-face` blocks and the font family that needs them; collect the images the CSS
/// refers to under `/assets/images/`, which we serve ourselves.
fn prepare_css(css: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("@font-face") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    // Sass quotes the URLs it writes; the prebuilt file does not.
    let out = out
        .replace("Frutiger W01,", "")
        .replace("url(\"/assets/images/", "url(/assets/images/")
        .replace(".svg\")", ".svg)");
    let mut images: Vec<String> = out
        .match_indices("url(/assets/images/")
        .filter_map(|(i, m)| {
            let tail = &out[i + m.len()..];
            tail.find(')').map(|e| tail[..e].to_owned())
        })
        .collect();
    images.sort();
    images.dedup();
    (out, images)
}

/// FNV-1a, for fingerprinting asset URLs (not security).
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
}

/// `bytes` compressed with brotli and with gzip, written beside `path` (`.br`, `.gz`); `None`
/// for a form that saves nothing.
fn precompress(out: &Path, name: &str, bytes: &[u8]) -> (Option<PathBuf>, Option<PathBuf>) {
    use std::io::Write as _;
    let stem = out.join("compressed").join(name.replace('/', "_"));
    fs::create_dir_all(stem.parent().expect("a parent")).expect("compressed dir");
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(bytes).expect("brotli");
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let keep = |data: Vec<u8>, ext: &str| {
        (data.len() < bytes.len()).then(|| {
            let p = PathBuf::from(format!("{}.{ext}", stem.display()));
            fs::write(&p, data).expect("write compressed");
            p
        })
    };
    (keep(br, "br"), keep(gz, "gz"))
}

fn write_table(out: &Path, assets: &[(String, &str, PathBuf)]) {
    let mut code = String::from(
        "/// Every embedded asset: (URL path, content type, bytes, brotli, gzip).\n#[allow(clippy::type_complexity)]\npub(crate) static ASSETS: &[(&str, &str, &[u8], Option<&[u8]>, Option<&[u8]>)] = &[\n",
    );
    let mut consts = String::new();
    let mut urls: Vec<(String, String)> = Vec::new();
    for (name, kind, path) in assets {
        let mut bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut path = path.clone();
        // app.js imports the design system's module by name: point it at the fingerprinted URL.
        if name == "app.js" {
            let text = String::from_utf8(bytes).expect("app.js is UTF-8");
            let (_, nhsuk) = urls
                .iter()
                .find(|(n, _)| n == "nhsuk.js")
                .expect("nhsuk.js first");
            let text = text.replace("'./nhsuk.js'", &format!("'{nhsuk}'"));
            path = out.join("app.js");
            fs::write(&path, &text).expect("write app.js");
            bytes = text.into_bytes();
        }
        // Images keep their names (the CSS refers to them); the rest are fingerprinted.
        let url = if name.starts_with("images/") {
            format!("/assets/{name}")
        } else {
            let (stem, ext) = name.rsplit_once('.').expect("an extension");
            format!("/assets/{stem}-{}.{ext}", fingerprint(&bytes))
        };
        let (br, gz) = precompress(out, name, &bytes);
        let included = |p: Option<PathBuf>| {
            p.map_or("None".to_owned(), |p| {
                format!("Some(include_bytes!({:?}))", p.display().to_string())
            })
        };
        let _ = writeln!(
            code,
            "    ({url:?}, {kind:?}, include_bytes!({:?}), {}, {}),",
            path.display().to_string(),
            included(br),
            included(gz)
        );
        if !name.starts_with("images/") {
            let ident = name.replace(['.', '-'], "_").to_uppercase();
            let _ = writeln!(
                consts,
                "#[allow(dead_code)]\npub(crate) const {ident}: &str = {url:?};"
            );
        }
        urls.push((name.clone(), url));
    }
    code.push_str("];\n");
    code.push_str(&consts);
    fs::write(out.join("assets.rs"), code).expect("write assets.rs");
}
