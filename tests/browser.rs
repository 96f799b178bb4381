//! The HTML report as a person sees it: rendered by headless Chromium.
//!
//! A bundle with two causes (two samples side by side) is rendered to HTML;
//! the DOM the browser builds must show the verdict and every finding's title,
//! a screenshot must be a real picture (not blank, with the severity colour in
//! it), and the browser console must stay silent (the report has no script).
//!
//! Without Chromium the tests print `SKIPPED: chromium not found` and pass,
//! unless `PODMORTEM_REQUIRE_BROWSER=1` (CI sets it), which makes that a failure.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use podmortem::report::render::{render, Format};
use podmortem::rules::load;
use podmortem::{Analyzer, Options};

mod common;
use common::copy_tree;

const NAMES: [&str; 3] = ["chromium", "chromium-browser", "google-chrome"];
/// A browser run that takes longer than this is stuck.
const TIMEOUT: Duration = Duration::from_secs(120);

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in NAMES {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let fallback = PathBuf::from("/usr/bin/chromium");
    fallback.is_file().then_some(fallback)
}

/// The browser, or `None` after saying why the test does not run.
fn browser_or_skip() -> Option<PathBuf> {
    if let Some(b) = find_browser() {
        return Some(b);
    }
    let looked = format!(
        "looked for {} on PATH and /usr/bin/chromium",
        NAMES.join(", ")
    );
    if std::env::var("PODMORTEM_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!(
            "\n\n*** PODMORTEM_REQUIRE_BROWSER=1 but no Chromium was found ({looked}).\n\
             *** The HTML report was NOT checked in a browser. Install it: \
             apt-get install -y --no-install-recommends chromium\n"
        );
    }
    eprintln!(
        "SKIPPED: chromium not found ({looked}); the HTML report was not checked in a browser. \
         Set PODMORTEM_REQUIRE_BROWSER=1 to make this a failure."
    );
    None
}

/// Runs the browser headless on `url` with `args`; its stdout and stderr.
fn run_browser(browser: &Path, profile: &Path, args: &[String], url: &str) -> (String, String) {
    let out_path = profile.with_extension("stdout");
    let err_path = profile.with_extension("stderr");
    // Files, not pipes: a DOM dump is larger than a pipe buffer and we poll for a timeout.
    let stdout = File::create(&out_path).expect("stdout file");
    let stderr = File::create(&err_path).expect("stderr file");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", browser.display()));
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for the browser") {
            Some(status) => break status,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{} did not finish in {TIMEOUT:?}", browser.display());
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let read = |p: &Path| {
        let mut s = String::new();
        File::open(p)
            .and_then(|mut f| f.read_to_string(&mut s))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        s
    };
    let (out, err) = (read(&out_path), read(&err_path));
    assert!(
        status.success(),
        "{} failed ({status}):\n{err}",
        browser.display()
    );
    (out, err)
}

/// Console lines in Chromium's log. The report has no script, so any console
/// message at all (an error, an uncaught exception, a warning) is a defect.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// What the browser's DOM serialisation does to text.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// An 8-bit, non-interlaced PNG decoded to its rows of pixels (enough for a
/// Chromium screenshot; flate2 is already a dependency, so no image crate).
struct Png {
    width: usize,
    height: usize,
    channels: usize,
    pixels: Vec<u8>,
}

fn decode_png(data: &[u8]) -> Png {
    assert!(data.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG file");
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let (mut width, mut height, mut channels) = (0, 0, 0);
    let mut idat = Vec::new();
    let mut at = 8;
    while at + 8 <= data.len() {
        let len = be32(&data[at..]);
        let kind = &data[at + 4..at + 8];
        let body = &data[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = be32(body);
                height = be32(&body[4..]);
                let (depth, color, interlace) = (body[8], body[9], body[12]);
                assert_eq!(
                    (depth, interlace),
                    (8, 0),
                    "PNG: depth {depth}, interlace {interlace}"
                );
                channels = match color {
                    0 => 1,
                    2 => 3,
                    4 => 2,
                    6 => 4,
                    other => panic!("PNG colour type {other} not handled"),
                };
            }
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .expect("inflate the PNG image data");
    let stride = width * channels;
    assert_eq!(raw.len(), height * (stride + 1), "PNG image data size");
    let mut pixels = vec![0u8; height * stride];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= channels {
                pixels[y * stride + x - channels]
            } else {
                0
            };
            let b = if y > 0 {
                pixels[(y - 1) * stride + x]
            } else {
                0
            };
            let c = if y > 0 && x >= channels {
                pixels[(y - 1) * stride + x - channels]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("PNG filter {other}"),
            };
            pixels[y * stride + x] = line[x].wrapping_add(predicted);
        }
    }
    Png {
        width,
        height,
        channels,
        pixels,
    }
}

#[test]
fn the_html_report_of_two_causes_in_chromium() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let bundle = tmp.path().join("two-causes");
    for sample in ["nfs-helper-missing-adhoc", "subpath-utillinux-k0s"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(sample);
        copy_tree(&from, &bundle.join(sample));
    }
    let pack = load::load(&load::builtin_sources()).unwrap_or_else(|e| panic!("{e}"));
    let analyzer = Analyzer::new(pack, Options::default());
    let report = analyzer.analyze(&bundle).expect("analyze");
    assert_eq!(report.findings.len(), 2, "{}", report.verdict);
    let html = render(&report, Format::Html).expect("html");
    let page = tmp.path().join("report.html");
    std::fs::write(&page, &html).expect("write report.html");
    let url = format!("file://{}", page.display());

    // What the browser built from the page.
    let (dom, err) = run_browser(
        &browser,
        &tmp.path().join("profile-dom"),
        &["--dump-dom".to_string()],
        &url,
    );
    let console = console_lines(&err);
    assert!(
        console.is_empty(),
        "browser console:\n{}",
        console.join("\n")
    );
    let verdict = dom
        .split_once("id=\"verdict\">")
        .and_then(|(_, rest)| rest.split_once("</p>"))
        .map(|(text, _)| text)
        .unwrap_or_else(|| panic!("no verdict paragraph in the browser's DOM:\n{dom}"));
    assert_eq!(verdict, escape(&report.verdict));
    for f in &report.findings {
        let heading = format!("<h3>{}</h3>", escape(&f.title));
        assert!(dom.contains(&heading), "the browser shows no `{heading}`");
    }
    // The timeline is there as SVG, with a lane per affected pod.
    assert!(dom.contains("<figure class=\"timeline\""), "no timeline");
    for pod in ["billing/invoice-export-0", "default/prometheus-main-0"] {
        assert!(dom.contains(pod), "no timeline lane for {pod}");
    }
    assert!(dom.matches("<circle class=\"tl-mark").count() >= 3);

    // What a person sees at the top of the page.
    let shot = tmp.path().join("report.png");
    let (_, err) = run_browser(
        &browser,
        &tmp.path().join("profile-shot"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".to_string(),
        ],
        &url,
    );
    let console = console_lines(&err);
    assert!(
        console.is_empty(),
        "browser console:\n{}",
        console.join("\n")
    );
    let data = std::fs::read(&shot).unwrap_or_else(|e| panic!("no screenshot: {e}"));
    assert!(
        data.len() > 20_000,
        "screenshot is only {} bytes",
        data.len()
    );
    let png = decode_png(&data);
    assert_eq!((png.width, png.height), (1280, 2000));
    assert!(png.channels >= 3, "a grey screenshot");
    let pixels: Vec<&[u8]> = png.pixels.chunks(png.channels).collect();
    let distinct: std::collections::BTreeSet<&[u8]> = pixels.iter().copied().collect();
    assert!(
        distinct.len() > 16,
        "a near-blank screenshot: {} colours",
        distinct.len()
    );
    // The severity colour (--high, #c0392b) of the verdict bar, badges and timeline marks.
    let red = pixels
        .iter()
        .filter(|p| p[0] > 150 && p[1] < 90 && p[2] < 80)
        .count();
    assert!(
        red > 200,
        "only {red} red pixels: the severity colours are not drawn"
    );
}

#[test]
fn the_console_check_sees_script_errors() {
    // The check above must not pass because it cannot see anything.
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let page = tmp.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('podmortem-test-error'); \
         notDefined();</script></body></html>",
    )
    .expect("write bad.html");
    let (_, err) = run_browser(
        &browser,
        &tmp.path().join("profile"),
        &["--dump-dom".to_string()],
        &format!("file://{}", page.display()),
    );
    let console = console_lines(&err);
    assert!(
        console.iter().any(|l| l.contains("podmortem-test-error")),
        "console.error not seen:\n{err}"
    );
    assert!(
        console.iter().any(|l| l.contains("Uncaught")),
        "an uncaught exception not seen:\n{err}"
    );
}
