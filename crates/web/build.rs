//! Fetches the NHS.UK design system (`nhsuk-frontend`) from the npm registry with `npm ci`,
//! pinned by `frontend/package-lock.json`, and prepares it for embedding:
//!
//! - the CSS, compiled from the design system's Sass sources with the npm `sass` package, with
//!   only the components the site uses (`frontend/legcramps.scss`) and without `@font-face`:
//!   the Frutiger fonts load from assets.nhs.uk, a third-party request (and a typeface licensed
//!   for NHS services, which this is not); the design system's own fallback, Arial, is used;
//! - the compiled JS (an ES module);
//! - the icons the CSS refers to.
//!
//! Nothing is copied into the repository. If npm or the registry is unavailable the build still
//! succeeds with our own small fallback stylesheet (a cargo warning says so), so `cargo run`
//! works on any machine; CI sets `LEGCRAMPS_REQUIRE_NHSUK=1` to make that an error instead.
//!
//! The output is `assets.rs` in OUT_DIR: every asset with its URL path (fingerprinted, so it can
//! be cached forever), content type and bytes, and the same bytes compressed with brotli (at its
//! best, quality 11) and gzip (level 9), made here once so that serving costs nothing (issue 9).
//! A compressed form that is not smaller than the original is left out.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const NHSUK: &str = "node_modules/nhsuk-frontend/dist/nhsuk";

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets this"));
    println!("cargo:rerun-if-changed=frontend/package.json");
    println!("cargo:rerun-if-changed=frontend/package-lock.json");
    println!("cargo:rerun-if-changed=frontend/legcramps.scss");
    println!("cargo:rerun-if-changed=static");
    println!("cargo:rerun-if-env-changed=LEGCRAMPS_REQUIRE_NHSUK");

    let npm_dir = out.join("npm");
    let mut assets: Vec<(String, &str, PathBuf)> = Vec::new();
    match install(&manifest.join("frontend"), &npm_dir) {
        Ok(()) => {
            let dist = npm_dir.join(NHSUK);
            let css = match compile_sass(&manifest.join("frontend/legcramps.scss"), &npm_dir) {
                Ok(css) => css,
                Err(why) => {
                    if env::var_os("LEGCRAMPS_REQUIRE_NHSUK").is_some_and(|v| v == "1") {
                        panic!("the design system's Sass could not be compiled: {why}");
                    }
                    println!(
                        "cargo:warning=the design system's Sass could not be compiled ({why}); using its whole prebuilt stylesheet"
                    );
                    fs::read_to_string(dist.join("nhsuk-frontend.min.css")).expect("nhsuk css")
                }
            };
            let (css, images) = prepare_css(&css);
            let css_path = out.join("nhsuk.css");
            fs::write(&css_path, css).expect("write css");
            assets.push(("nhsuk.css".into(), "text/css; charset=utf-8", css_path));
            assets.push((
                "nhsuk.js".into(),
                "text/javascript; charset=utf-8",
                dist.join("nhsuk-frontend.min.js"),
            ));
            for image in images {
                assets.push((
                    format!("images/{image}"),
                    "image/svg+xml",
                    dist.join("assets/images").join(&image),
                ));
            }
            println!("cargo:rustc-env=LEGCRAMPS_NHSUK=installed");
        }
        Err(why) => {
            if env::var_os("LEGCRAMPS_REQUIRE_NHSUK").is_some_and(|v| v == "1") {
                panic!("nhsuk-frontend could not be installed: {why}");
            }
            println!(
                "cargo:warning=nhsuk-frontend could not be installed from npm ({why}); using the fallback stylesheet"
            );
            assets.push((
                "nhsuk.css".into(),
                "text/css; charset=utf-8",
                manifest.join("static/fallback.css"),
            ));
            assets.push((
                "nhsuk.js".into(),
                "text/javascript; charset=utf-8",
                manifest.join("static/fallback.js"),
            ));
            println!("cargo:rustc-env=LEGCRAMPS_NHSUK=fallback");
        }
    }
    for (name, kind) in [
        ("app.css", "text/css; charset=utf-8"),
        ("gp-summary.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("init.js", "text/javascript; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
    ] {
        assets.push((name.into(), kind, manifest.join("static").join(name)));
    }
    write_table(&out, &assets);
}

/// `npm ci` into `dir`, unless the pinned version is already there.
fn install(frontend: &Path, dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let lock = fs::read(frontend.join("package-lock.json")).map_err(|e| e.to_string())?;
    let installed_lock = dir.join("package-lock.json");
    if fs::read(&installed_lock).ok().as_deref() == Some(&lock[..])
        && dir.join(NHSUK).join("nhsuk-frontend.min.css").exists()
        && dir.join("node_modules/sass/sass.js").exists()
    {
        return Ok(());
    }
    for f in ["package.json", "package-lock.json"] {
        fs::copy(frontend.join(f), dir.join(f)).map_err(|e| e.to_string())?;
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("npm ci failed ({status})"))
    }
}

/// Compile `scss` with the npm `sass` package installed in `npm_dir` (run by Node.js).
fn compile_sass(scss: &Path, npm_dir: &Path) -> Result<String, String> {
    let out = npm_dir.join("legcramps.css");
    let status = Command::new("node")
        .arg(npm_dir.join("node_modules/sass/sass.js"))
        .args(["--no-source-map", "--style=compressed", "--quiet"])
        .arg(format!(
            "--load-path={}",
            npm_dir.join("node_modules").display()
        ))
        .arg(scss)
        .arg(&out)
        .status()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !status.success() {
        return Err(format!("sass failed ({status})"));
    }
    fs::read_to_string(&out).map_err(|e| e.to_string())
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
