//! The HTML report's timeline, as plain numbers for the template.
//!
//! One lane per affected pod (per node for findings that name no pod), one
//! row per finding in a lane: a dot for each evidence record with a full
//! timestamp, and a bar from the finding's first to its last occurrence,
//! placed on a time axis in SVG user units. It is derived from the `Report`
//! alone (nothing is added to the JSON) and uses no clock, so it is as
//! deterministic as the report. Records with no timestamp, or with one that
//! states no year, are left off and counted in a note.

use std::collections::BTreeMap;

use serde::Serialize;

use super::model::{Finding, Report, Severity};

/// Width of the drawing (SVG `viewBox` units; the SVG scales to the page).
const WIDTH: f64 = 1000.0;
/// Lane labels sit left of the plot.
const PLOT_LEFT: f64 = 250.0;
/// Room right of the plot for half a tick label.
const PLOT_RIGHT: f64 = WIDTH - 44.0;
/// Tick labels above the first lane.
const AXIS_HEIGHT: f64 = 28.0;
/// One finding's row within a lane.
const ROW_HEIGHT: f64 = 18.0;
/// Thickness of a first-to-last bar.
const SPAN_HEIGHT: f64 = 6.0;
/// Space above and below the rows of a lane.
const LANE_PAD: f64 = 6.0;
/// Lane labels longer than this are cut (the full name is the tooltip).
const MAX_LABEL: usize = 32;
/// At most this many ticks on the axis.
const MAX_TICKS: i64 = 7;

const SECOND: i64 = 1_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Tick spacings, smallest first.
const STEPS: [i64; 23] = [
    SECOND,
    2 * SECOND,
    5 * SECOND,
    10 * SECOND,
    15 * SECOND,
    30 * SECOND,
    MINUTE,
    2 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    30 * DAY,
    91 * DAY,
    365 * DAY,
];

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Timeline {
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    /// Top and bottom of the lanes (tick lines run between them).
    pub lanes_top: f64,
    pub lanes_bottom: f64,
    /// Baseline of the tick labels.
    pub ticks_y: f64,
    pub ticks: Vec<Tick>,
    /// The time range in words: `2023-09-12 09:31:07 to 09:41:24 UTC`.
    pub caption: String,
    pub lanes: Vec<Lane>,
    /// Severities drawn, most severe first (the legend).
    pub severities: Vec<Severity>,
    /// What was left off, and why.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Lane {
    /// `pod` or `node`.
    pub kind: &'static str,
    /// The pod (`namespace/name`) or node name.
    pub name: String,
    /// `name`, cut to fit beside the plot.
    pub label: String,
    pub y: f64,
    pub height: f64,
    /// Baseline of the label, centred on the lane.
    pub label_y: f64,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    /// 1-based index of the finding in the report (`#finding-N`).
    pub finding: usize,
    pub rule: String,
    pub severity: Severity,
    /// Centre line of the row.
    pub y: f64,
    pub span: Option<Span>,
    pub marks: Vec<Mark>,
}

/// The finding from its first to its last occurrence.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Span {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

/// One evidence record.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub title: String,
}

/// A report timestamp, read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum When {
    /// Microseconds since 1970-01-01T00:00:00 (the log's own clock, taken as UTC).
    At(i64),
    /// `--MM-DD...`: the log states no year and the bundle gave none.
    NoYear,
    /// Not a time this module can read.
    Unreadable,
}

/// Reads `2023-09-12T09:31:07.681775` (the report's format; a trailing `Z`
/// and any number of fraction digits are accepted too).
fn when(ts: &str) -> When {
    if ts.starts_with("--") {
        return When::NoYear;
    }
    let ts = ts.strip_suffix('Z').unwrap_or(ts);
    // A date alone is not a report time.
    if ts.len() < 19 {
        return When::Unreadable;
    }
    ts.parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(micros_of)
        .map_or(When::Unreadable, When::At)
}

/// Microseconds since 1970-01-01T00:00:00 of a date and time taken as UTC.
fn micros_of(dt: jiff::civil::DateTime) -> Option<i64> {
    jiff::tz::Offset::UTC
        .to_timestamp(dt)
        .ok()
        .map(|t| t.as_microsecond())
}

/// The UTC date and time of microseconds since 1970-01-01T00:00:00.
fn civil_of(t: i64) -> jiff::civil::DateTime {
    let t = jiff::Timestamp::from_microsecond(t).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::tz::Offset::UTC.to_datetime(t)
}

fn date(t: i64) -> String {
    civil_of(t).date().to_string()
}

fn clock(t: i64, seconds: bool) -> String {
    let in_day = t.rem_euclid(DAY) / SECOND;
    let (h, m, s) = (in_day / 3600, in_day / 60 % 60, in_day % 60);
    if seconds {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}")
    }
}

/// One decimal is plenty for SVG units, and keeps the HTML short and stable.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn short(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL {
        return name.to_string();
    }
    let mut s: String = name.chars().take(MAX_LABEL - 1).collect();
    s.push('\u{2026}');
    s
}

/// A lane's identity: `pod` or `node`, and the name.
type LaneKey = (&'static str, String);
/// A lane's rows before placement, by finding index.
type RawRows = BTreeMap<usize, RawRow>;

/// The lane an evidence record goes to: the pod it names (or the finding's
/// only pod), else the node it comes from (or the finding's only node).
fn lane_of(f: &Finding, text: &str, artifact: &str) -> LaneKey {
    if let [pod] = f.affected.pods.as_slice() {
        return ("pod", pod.clone());
    }
    // The longest name that the record quotes, so `web-1` does not take `web-10`'s lines.
    let named = f
        .affected
        .pods
        .iter()
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            !name.is_empty() && text.contains(name)
        })
        .max_by_key(|p| p.len());
    if let Some(pod) = named {
        return ("pod", pod.clone());
    }
    node_lane(f, artifact)
}

fn node_lane(f: &Finding, artifact: &str) -> LaneKey {
    match f.affected.nodes.as_slice() {
        [] => ("node", "unknown node".to_string()),
        [node] => ("node", node.clone()),
        nodes => {
            let named = nodes
                .iter()
                .filter(|n| artifact.contains(n.as_str()))
                .max_by_key(|n| n.len());
            ("node", named.unwrap_or(&nodes[0]).clone())
        }
    }
}

/// The lanes the whole finding belongs to (for its first-to-last bar).
fn lanes_of(f: &Finding) -> Vec<LaneKey> {
    if f.affected.pods.is_empty() {
        if f.affected.nodes.is_empty() {
            vec![("node", "unknown node".to_string())]
        } else {
            f.affected
                .nodes
                .iter()
                .map(|n| ("node", n.clone()))
                .collect()
        }
    } else {
        f.affected.pods.iter().map(|p| ("pod", p.clone())).collect()
    }
}

/// Marks and spans in microseconds, before they are placed on the axis.
#[derive(Default)]
struct RawRow {
    span: Option<(i64, i64, String)>,
    marks: Vec<(i64, String)>,
}

/// The smallest tick step that gives at most `MAX_TICKS` ticks over `range`.
fn step_for(range: i64) -> i64 {
    STEPS
        .iter()
        .copied()
        .find(|s| range / s < MAX_TICKS)
        .unwrap_or(365 * DAY * ((range / (365 * DAY)) / MAX_TICKS + 1))
}

/// The tick times in `[t0, t1]`: multiples of `step` (UTC midnight-aligned),
/// or, for steps of a month and more, the first day of every 1, 3 or 12 months.
fn tick_times(t0: i64, t1: i64, step: i64) -> Vec<i64> {
    let mut out = Vec::new();
    if step >= 30 * DAY {
        let months = if step >= 365 * DAY {
            12 * (step / (365 * DAY))
        } else if step >= 91 * DAY {
            3
        } else {
            1
        };
        let first = civil_of(t0).date();
        // Months since year 0, rounded down to a multiple of the step.
        let mut k = (i64::from(first.year()) * 12 + i64::from(first.month()) - 1)
            .div_euclid(months)
            * months;
        loop {
            let first_of_month = i16::try_from(k.div_euclid(12)).ok().and_then(|y| {
                let m = i8::try_from(k.rem_euclid(12) + 1).ok()?;
                micros_of(jiff::civil::date(y, m, 1).at(0, 0, 0, 0))
            });
            let Some(t) = first_of_month.filter(|&t| t <= t1) else {
                break;
            };
            if t >= t0 {
                out.push(t);
            }
            k += months;
        }
        return out;
    }
    let mut t = t0.div_euclid(step) * step;
    if t < t0 {
        t += step;
    }
    while t <= t1 {
        out.push(t);
        t += step;
    }
    out
}

pub fn timeline(report: &Report) -> Timeline {
    // (kind, name) -> finding index -> row
    let mut lanes: BTreeMap<LaneKey, RawRows> = BTreeMap::new();
    let mut undated = 0usize;
    let mut yearless = 0usize;
    let mut unreadable = 0usize;
    for (i, f) in report.findings.iter().enumerate() {
        for e in &f.evidence {
            let Some(ts) = e.timestamp.as_deref() else {
                undated += 1;
                continue;
            };
            let t = match when(ts) {
                When::At(t) => t,
                When::NoYear => {
                    yearless += 1;
                    continue;
                }
                When::Unreadable => {
                    unreadable += 1;
                    continue;
                }
            };
            let title = format!(
                "{} ({}): {}:{} at {ts}",
                f.rule, f.severity, e.artifact, e.line
            );
            lanes
                .entry(lane_of(f, &e.text, &e.artifact))
                .or_default()
                .entry(i)
                .or_default()
                .marks
                .push((t, title));
        }
        if let (Some(first), Some(last)) = (f.first_seen.as_deref(), f.last_seen.as_deref()) {
            if let (When::At(a), When::At(b)) = (when(first), when(last)) {
                let title = format!(
                    "{} ({}): seen {} time(s), {first} to {last}",
                    f.rule, f.severity, f.occurrences
                );
                for lane in lanes_of(f) {
                    lanes.entry(lane).or_default().entry(i).or_default().span =
                        Some((a.min(b), a.max(b), title.clone()));
                }
            }
        }
    }
    let mut notes = Vec::new();
    if undated > 0 {
        notes.push(format!(
            "{undated} evidence record(s) carry no timestamp (describe output, event lists) and are not drawn."
        ));
    }
    if yearless > 0 {
        notes.push(format!(
            "{yearless} evidence record(s) state no year, and no artifact of the bundle gives one: they are not drawn."
        ));
    }
    if unreadable > 0 {
        notes.push(format!(
            "{unreadable} evidence record(s) have a timestamp that is not a full date and are not drawn."
        ));
    }
    let times: Vec<i64> = lanes
        .values()
        .flat_map(|rows| rows.values())
        .flat_map(|r| {
            r.marks
                .iter()
                .map(|m| m.0)
                .chain(r.span.iter().flat_map(|s| [s.0, s.1]))
        })
        .collect();
    let (Some(&lo), Some(&hi)) = (times.iter().min(), times.iter().max()) else {
        return Timeline {
            notes,
            ..Timeline::default()
        };
    };
    // A single instant still gets an axis; otherwise 3 % of room on each side.
    let pad = if hi == lo {
        30 * SECOND
    } else {
        ((hi - lo) / 33).max(1)
    };
    let (t0, t1) = (lo - pad, hi + pad);
    let x_of =
        |t: i64| round(PLOT_LEFT + (t - t0) as f64 / (t1 - t0) as f64 * (PLOT_RIGHT - PLOT_LEFT));

    let step = step_for(t1 - t0);
    let one_day = t0.div_euclid(DAY) == t1.div_euclid(DAY);
    let ticks = tick_times(t0, t1, step)
        .into_iter()
        .map(|t| {
            let label = if step >= DAY {
                date(t)
            } else if one_day {
                clock(t, step < MINUTE)
            } else {
                // `MM-DD HH:MM`: the year is in the caption.
                let d = date(t);
                format!("{} {}", d.get(5..).unwrap_or(&d), clock(t, step < MINUTE))
            };
            Tick { x: x_of(t), label }
        })
        .collect();
    let caption = if lo.div_euclid(DAY) == hi.div_euclid(DAY) {
        format!(
            "{} {} to {} UTC",
            date(lo),
            clock(lo, true),
            clock(hi, true)
        )
    } else {
        format!(
            "{} {} to {} {} UTC",
            date(lo),
            clock(lo, true),
            date(hi),
            clock(hi, true)
        )
    };

    // Lanes in order of their first time, then pods before nodes, then by name.
    let mut order: Vec<(LaneKey, RawRows)> = lanes.into_iter().collect();
    let first_time = |rows: &RawRows| {
        rows.values()
            .flat_map(|r| {
                r.marks
                    .iter()
                    .map(|m| m.0)
                    .chain(r.span.iter().map(|s| s.0))
            })
            .min()
            .unwrap_or(i64::MAX)
    };
    order.sort_by(|a, b| {
        first_time(&a.1)
            .cmp(&first_time(&b.1))
            .then_with(|| b.0 .0.cmp(a.0 .0))
            .then_with(|| a.0 .1.cmp(&b.0 .1))
    });
    let mut y = AXIS_HEIGHT;
    let mut out_lanes = Vec::new();
    let mut severities: Vec<Severity> = Vec::new();
    for ((kind, name), rows) in order {
        let height = rows.len() as f64 * ROW_HEIGHT + 2.0 * LANE_PAD;
        let mut out_rows = Vec::new();
        for (k, (i, raw)) in rows.into_iter().enumerate() {
            let Some(f) = report.findings.get(i) else {
                continue;
            };
            if !severities.contains(&f.severity) {
                severities.push(f.severity);
            }
            let mut marks: Vec<Mark> = raw
                .marks
                .into_iter()
                .map(|(t, title)| Mark { x: x_of(t), title })
                .collect();
            marks.sort_by(|a, b| a.x.total_cmp(&b.x).then_with(|| a.title.cmp(&b.title)));
            let row_y = round(y + LANE_PAD + (k as f64 + 0.5) * ROW_HEIGHT);
            out_rows.push(Row {
                finding: i + 1,
                rule: f.rule.clone(),
                severity: f.severity,
                y: row_y,
                span: raw.span.map(|(a, b, title)| {
                    let x = x_of(a);
                    Span {
                        x,
                        y: round(row_y - SPAN_HEIGHT / 2.0),
                        // Never thinner than a hairline, so a one-instant finding shows.
                        width: round((x_of(b) - x).max(2.0)),
                        height: SPAN_HEIGHT,
                        title,
                    }
                }),
                marks,
            });
        }
        out_lanes.push(Lane {
            kind,
            label: short(&name),
            name,
            y: round(y),
            height: round(height),
            label_y: round(y + height / 2.0 + 4.0),
            rows: out_rows,
        });
        y += height;
    }
    // Most severe first.
    severities.sort_by_key(|s| std::cmp::Reverse(*s));
    Timeline {
        width: WIDTH,
        height: round(y + 8.0),
        plot_left: PLOT_LEFT,
        plot_right: PLOT_RIGHT,
        lanes_top: AXIS_HEIGHT,
        lanes_bottom: round(y),
        ticks_y: AXIS_HEIGHT - 10.0,
        ticks,
        caption,
        lanes: out_lanes,
        severities,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{
        Affected, BundleInfo, Confidence, Environment, Evidence, Fix, RulesInfo, SCHEMA,
    };

    fn evidence(artifact: &str, text: &str, ts: Option<&str>) -> Evidence {
        Evidence {
            artifact: artifact.into(),
            line: 1,
            line_end: 1,
            text: text.into(),
            excerpt: text.into(),
            timestamp: ts.map(str::to_string),
            matched: String::new(),
            signal: "s".into(),
        }
    }

    fn finding(
        rule: &str,
        severity: &str,
        pods: &[&str],
        nodes: &[&str],
        evidence: Vec<Evidence>,
        seen: Option<(&str, &str)>,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            title: rule.into(),
            severity: Severity::parse(severity).unwrap_or(Severity::Info),
            category: "storage".into(),
            confidence: Confidence::Confirmed,
            confidence_reason: String::new(),
            summary: String::new(),
            affected: Affected {
                pods: pods.iter().map(|s| s.to_string()).collect(),
                volumes: vec![],
                nodes: nodes.iter().map(|s| s.to_string()).collect(),
            },
            occurrences: evidence.len() as u64,
            evidence,
            first_seen: seen.map(|s| s.0.to_string()),
            last_seen: seen.map(|s| s.1.to_string()),
            conditions: vec![],
            fix: Fix {
                summary: String::new(),
                steps: vec![],
            },
            references: vec![],
            explains: vec![],
        }
    }

    fn report(findings: Vec<Finding>) -> Report {
        Report {
            schema: SCHEMA.to_string(),
            verdict: String::new(),
            bundle: BundleInfo {
                name: "b".into(),
                bytes: 0,
                sha256: String::new(),
            },
            environment: Environment::default(),
            findings,
            ruled_out: vec![],
            resolved: vec![],
            unrecognized: vec![],
            inventory: vec![],
            warnings: vec![],
            redactions: Default::default(),
            rules: RulesInfo {
                count: 0,
                sha256: String::new(),
            },
        }
    }

    fn at(ts: &str) -> i64 {
        match when(ts) {
            When::At(t) => t,
            other => panic!("{ts}: {other:?}"),
        }
    }

    #[test]
    fn reads_the_report_timestamp_format() {
        assert_eq!(when("1970-01-01T00:00:00.000000"), When::At(0));
        assert_eq!(
            when("1970-01-02T00:00:01.5"),
            When::At(DAY + SECOND + 500_000)
        );
        // 2023-09-12 is day 19612 since the epoch (date -u -d 2023-09-12 +%s / 86400).
        assert_eq!(
            when("2023-09-12T09:31:07.681775Z"),
            When::At(19_612 * DAY + 9 * HOUR + 31 * MINUTE + 7 * SECOND + 681_775)
        );
        assert_eq!(when("2024-02-29T00:00:00.000000"), When::At(19_782 * DAY));
        assert_eq!(when("--09-12T09:31:07.681775"), When::NoYear);
        assert_eq!(when("12 Sep 2023"), When::Unreadable);
        assert_eq!(when("2023-13-12T09:31:07.681775"), When::Unreadable);
        assert_eq!(date(19_782 * DAY + 5), "2024-02-29");
    }

    #[test]
    fn one_lane_per_pod_with_a_dot_per_dated_record_and_a_bar_per_finding() {
        let r = report(vec![
            finding(
                "subpath",
                "high",
                &["default/web-1", "default/web-10"],
                &["n1"],
                vec![
                    evidence(
                        "k.log",
                        "pod web-10 failed",
                        Some("2025-06-05T16:46:11.000000"),
                    ),
                    evidence(
                        "k.log",
                        "pod web-1 failed",
                        Some("2025-06-05T16:47:11.000000"),
                    ),
                    evidence("k.log", "no pod named", Some("2025-06-05T16:48:11.000000")),
                    evidence("events.json", "web-1", None),
                ],
                Some(("2025-06-05T16:46:11.000000", "2025-06-05T16:49:11.000000")),
            ),
            finding(
                "kata",
                "critical",
                &[],
                &["n2"],
                vec![evidence("c.log", "x", Some("--06-05T16:50:00.000000"))],
                Some(("--06-05T16:50:00.000000", "--06-05T16:50:00.000000")),
            ),
        ]);
        let t = timeline(&r);
        let names: Vec<(&str, &str)> = t.lanes.iter().map(|l| (l.kind, l.name.as_str())).collect();
        // web-10 and web-1 both start at the bar's 16:46:11; pods before nodes; n1 only
        // holds the record that names no pod; n2 has nothing dated.
        assert_eq!(
            names,
            vec![
                ("pod", "default/web-1"),
                ("pod", "default/web-10"),
                ("node", "n1")
            ]
        );
        let marks = |i: usize| t.lanes[i].rows[0].marks.len();
        assert_eq!((marks(0), marks(1), marks(2)), (1, 1, 1));
        // `web-10` in a record goes to web-10, not to web-1.
        assert!(t.lanes[1].rows[0].marks[0].title.contains("16:46:11"));
        assert!(t.lanes[0].rows[0].span.is_some() && t.lanes[1].rows[0].span.is_some());
        assert!(t.lanes[2].rows[0].span.is_none());
        assert_eq!(t.lanes[0].rows[0].finding, 1);
        assert_eq!(t.severities, vec![Severity::High]);
        // Every x is inside the plot, in time order.
        let xs: Vec<f64> = t
            .lanes
            .iter()
            .flat_map(|l| l.rows.iter().flat_map(|r| r.marks.iter().map(|m| m.x)))
            .collect();
        assert!(
            xs.iter().all(|x| (PLOT_LEFT..=PLOT_RIGHT).contains(x)),
            "{xs:?}"
        );
        assert!(t.lanes[1].rows[0].marks[0].x < t.lanes[0].rows[0].marks[0].x);
        assert!(t.lanes[0].rows[0].marks[0].x < t.lanes[2].rows[0].marks[0].x);
        // The axis is a few ticks in one day, labelled by clock time, and the range in UTC.
        assert!(
            (2..=MAX_TICKS as usize + 1).contains(&t.ticks.len()),
            "{:?}",
            t.ticks
        );
        // About 3 minutes: 30 s steps, labelled with seconds.
        assert!(t.ticks.iter().all(|k| k.label.len() == 8), "{:?}", t.ticks);
        assert_eq!(t.caption, "2025-06-05 16:46:11 to 16:49:11 UTC");
        assert_eq!(
            t.notes,
            vec![
                "1 evidence record(s) carry no timestamp (describe output, event lists) and are not drawn.",
                "1 evidence record(s) state no year, and no artifact of the bundle gives one: they are not drawn."
            ]
        );
        // Deterministic: the same report, the same numbers.
        assert_eq!(timeline(&r), t);
    }

    #[test]
    fn nothing_dated_gives_no_lanes_but_says_why() {
        let r = report(vec![finding(
            "multi-attach",
            "high",
            &["a/b"],
            &["n"],
            vec![evidence("events", "x", None)],
            None,
        )]);
        let t = timeline(&r);
        assert!(t.lanes.is_empty() && t.ticks.is_empty());
        assert_eq!(t.notes.len(), 1);
    }

    #[test]
    fn years_apart_the_axis_is_labelled_by_date() {
        let r = report(vec![
            finding(
                "a",
                "high",
                &[],
                &["n1"],
                vec![evidence("l", "x", Some("2023-09-12T09:31:07.000000"))],
                None,
            ),
            finding(
                "b",
                "medium",
                &[],
                &["n2"],
                vec![evidence("l", "x", Some("2025-06-05T16:46:11.000000"))],
                None,
            ),
        ]);
        let t = timeline(&r);
        assert!(!t.ticks.is_empty() && t.ticks.len() <= MAX_TICKS as usize + 1);
        // Ticks on calendar boundaries: nearly two years, so every new year.
        let labels: Vec<&str> = t.ticks.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, vec!["2024-01-01", "2025-01-01"]);
        // Three months apart: monthly ticks, on the first of the month.
        let months = tick_times(
            at("2024-01-15T00:00:00"),
            at("2024-04-20T00:00:00"),
            30 * DAY,
        );
        let dates: Vec<String> = months.into_iter().map(date).collect();
        assert_eq!(dates, vec!["2024-02-01", "2024-03-01", "2024-04-01"]);
        assert_eq!(t.caption, "2023-09-12 09:31:07 to 2025-06-05 16:46:11 UTC");
        assert_eq!(t.severities, vec![Severity::High, Severity::Medium]);
    }

    #[test]
    fn long_names_are_cut_for_the_label_only() {
        let long = "ns/".to_string() + &"x".repeat(60);
        assert_eq!(short(&long).chars().count(), MAX_LABEL);
        assert!(short(&long).ends_with('\u{2026}'));
        assert_eq!(short("a/b"), "a/b");
    }
}
