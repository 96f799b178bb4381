//! From signal hits and node facts to verdicts: which node and pod each hit
//! is about (`subject`), what each condition says on that node
//! (`conditions`), the outcome per rule and node (confirmed, probable, ruled
//! out, or resolved: `resolved`), and symptoms folded into the cause that
//! explains them. The verdicts are plain data; the report is built from them
//! elsewhere.

mod cleared;
mod conditions;
mod fix;
mod history;
mod resolved;
mod subject;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use super::load::RulePack;
use crate::facts::{
    Affected, Clearance, ConditionResult, ConditionStatus, Confidence, Effect, Explained, Fix,
    NodeFacts, NodeStatus, Observations, Severity, SignalHit,
};
use crate::layout::Layout;
use crate::logline::Timestamp;
use conditions::{evaluate_condition, Ctx, TextIndex};
use subject::{event_of, pair_companions, subject, PodIndex, Subject};

/// A rule's current finding on one node (or on no node the bundle names).
#[derive(Clone, Debug)]
pub struct Finding<'a> {
    /// Index into the rule pack.
    pub rule: usize,
    pub node: Option<String>,
    /// The rule's severity; a symptom standing alone is never above low.
    pub severity: Severity,
    pub confidence: Confidence,
    /// Why that confidence, in a sentence.
    pub confidence_reason: String,
    pub affected: Affected,
    /// The records that show it, by artifact path and line.
    pub hits: Vec<&'a SignalHit>,
    /// How often the failure happened: log records, and events by their count.
    pub occurrences: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub conditions: Vec<ConditionResult>,
    pub fix: Fix,
    /// Symptoms folded into this finding.
    pub explains: Vec<Explained>,
}

/// A rule whose signal matched on a node but which is not a current cause
/// there: a required condition is false (ruled out), or later evidence shows
/// the failure over (resolved).
#[derive(Clone, Debug)]
pub struct Dismissed<'a> {
    pub rule: usize,
    pub node: Option<String>,
    /// What ruled it out, or what resolved it.
    pub reason: String,
    /// The evidence that shows a resolved failure over, and when.
    pub cleared_by: Vec<Clearance>,
    pub affected: Affected,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
    pub hits: Vec<&'a SignalHit>,
    pub occurrences: u64,
    pub conditions: Vec<ConditionResult>,
}

/// What evaluation decides for a bundle.
#[derive(Clone, Debug, Default)]
pub struct Verdicts<'a> {
    /// Most severe first, confirmed before probable, then by rule id and node.
    pub findings: Vec<Finding<'a>>,
    pub ruled_out: Vec<Dismissed<'a>>,
    /// Failures that later evidence shows over: history, not a current cause.
    pub resolved: Vec<Dismissed<'a>>,
    /// The year of timestamps that carry none: the most common year the artifacts state.
    pub year: Option<u16>,
}

/// All the hits of one rule on one node.
struct Group<'h> {
    rule: usize,
    node: Option<String>,
    /// By artifact path, then line.
    hits: Vec<(&'h SignalHit, Subject)>,
}

/// What the conditions and later evidence decide for one group.
struct Outcome<'g, 'h> {
    group: &'g Group<'h>,
    conditions: Vec<ConditionResult>,
    ruled_out: bool,
    /// A package change after the failures ended what a ruled-out rule needed.
    changed: Option<String>,
    /// The hits no later evidence shows over.
    current: Vec<(&'h SignalHit, Subject)>,
    /// The hits later evidence shows over, with that evidence.
    cleared: Option<cleared::Cleared<'h>>,
}

pub fn evaluate<'a>(
    pack: &RulePack,
    obs: &'a Observations,
    layout: &Layout,
    nodes: &[NodeFacts<'_>],
) -> Verdicts<'a> {
    let pods = PodIndex::new(obs, layout);
    let year = bundle_year(obs);
    let statuses: Vec<&NodeStatus> = obs.artifacts.iter().flat_map(|a| a.nodes.iter()).collect();
    let mut text_found = TextIndex::new();
    for t in &obs.texts {
        let node = layout
            .node_of
            .get(t.artifact)
            .copied()
            .flatten()
            .and_then(|n| layout.nodes.get(n))
            .map(|n| n.name.clone());
        let path = obs
            .artifacts
            .get(t.artifact)
            .map(|a| a.path.clone())
            .unwrap_or_default();
        text_found
            .entry((t.rule, t.condition))
            .or_default()
            .push((node, path, t.line));
    }
    let mut groups: BTreeMap<(usize, Option<String>), Group<'a>> = BTreeMap::new();
    for h in &obs.hits {
        let s = subject(h, obs, layout, &pods);
        groups
            .entry((h.rule, s.node.clone()))
            .or_insert_with(|| Group {
                rule: h.rule,
                node: s.node.clone(),
                hits: Vec::new(),
            })
            .hits
            .push((h, s));
    }
    for g in groups.values_mut() {
        g.hits.sort_by(|(a, _), (b, _)| {
            (
                obs.artifacts.get(a.artifact).map(|x| &x.path),
                a.record.first_line,
            )
                .cmp(&(
                    obs.artifacts.get(b.artifact).map(|x| &x.path),
                    b.record.first_line,
                ))
        });
        pair_companions(&mut g.hits);
    }
    let ctx = Ctx {
        obs,
        layout,
        nodes,
        statuses,
        text_found,
    };
    let evidence = cleared::Evidence::new(obs, year, pack, layout);
    let outcomes: Vec<Outcome<'_, 'a>> = groups
        .values()
        .filter_map(|g| outcome(pack, &ctx, &evidence, g, year))
        .collect();
    let mut verdicts = Verdicts {
        year,
        ..Verdicts::default()
    };
    for o in &outcomes {
        let Some(rule) = pack.rules.get(o.group.rule) else {
            continue;
        };
        let node = o.group.node.clone();
        let dismissed = |reason: String, hits: &[(&'a SignalHit, Subject)], cleared_by| {
            let (first_seen, last_seen) = seen(hits, obs, year);
            let bare: Vec<&SignalHit> = hits.iter().map(|(h, _)| *h).collect();
            Dismissed {
                rule: o.group.rule,
                node: node.clone(),
                reason,
                cleared_by,
                affected: fix::affected(hits, node.as_deref()),
                first_seen,
                last_seen,
                occurrences: occurrences(hits, obs),
                hits: bare,
                conditions: o.conditions.clone(),
            }
        };
        if let Some(reason) = &o.changed {
            verdicts.resolved.push(dismissed(
                format!("resolved: {reason}"),
                &o.group.hits,
                Vec::new(),
            ));
            continue;
        }
        if o.ruled_out {
            let reason = failed_requires(rule, &o.conditions, ConditionStatus::Failed)
                .map(|r| format!("{}: {}", r.name, r.detail))
                .collect::<Vec<_>>()
                .join("; ");
            verdicts
                .ruled_out
                .push(dismissed(reason, &o.group.hits, Vec::new()));
            continue;
        }
        if let Some(c) = &o.cleared {
            let reason = c
                .clearances
                .iter()
                .map(|c| {
                    let line = c.line.map(|l| format!(" line {l}")).unwrap_or_default();
                    let time = c.timestamp.map(|t| format!(", {t}")).unwrap_or_default();
                    format!("{} ({}{line}{time})", c.what, c.artifact)
                })
                .collect::<Vec<_>>()
                .join("; ");
            verdicts.resolved.push(dismissed(
                format!("resolved: {reason}"),
                &c.hits,
                c.clearances.clone(),
            ));
        }
        // A symptom hit is folded into a specific finding that explains it.
        let mut hits: Vec<(&SignalHit, Subject)> = o.current.clone();
        if hits.is_empty() {
            continue;
        }
        if rule.spec.symptom {
            hits.retain(|(_, s)| explainer(pack, &outcomes, o.group.rule, s).is_none());
            if hits.is_empty() {
                continue;
            }
        }
        let (confidence, confidence_reason) = confidence(rule, &o.conditions);
        let (first_seen, last_seen) = seen(&hits, obs, year);
        // A symptom standing alone is not a root cause: never above low.
        let severity = if rule.spec.symptom {
            rule.spec.severity.min(Severity::Low)
        } else {
            rule.spec.severity
        };
        let node = node.as_deref();
        verdicts.findings.push(Finding {
            rule: o.group.rule,
            node: node.map(str::to_string),
            severity,
            confidence,
            confidence_reason,
            affected: fix::affected(&hits, node),
            occurrences: occurrences(&hits, obs),
            hits: hits.iter().map(|(h, _)| *h).collect(),
            first_seen,
            last_seen,
            conditions: o.conditions.clone(),
            fix: fix::render_fix(rule, &hits, node),
            explains: Vec::new(),
        });
    }
    count_explained(pack, &outcomes, &mut verdicts.findings);
    let id = |r: usize| pack.rules.get(r).map(|r| r.spec.id.as_str());
    verdicts.findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.confidence.cmp(&b.confidence))
            .then(id(a.rule).cmp(&id(b.rule)))
            .then(a.affected.nodes.cmp(&b.affected.nodes))
    });
    for list in [&mut verdicts.ruled_out, &mut verdicts.resolved] {
        list.sort_by(|a, b| (id(a.rule), &a.node).cmp(&(id(b.rule), &b.node)));
    }
    verdicts
}

/// Evaluate a group's conditions and decide whether it is ruled out or resolved.
fn outcome<'g, 'h>(
    pack: &RulePack,
    ctx: &Ctx<'_>,
    evidence: &cleared::Evidence<'_>,
    g: &'g Group<'h>,
    year: Option<u16>,
) -> Option<Outcome<'g, 'h>> {
    let rule = pack.rules.get(g.rule)?;
    let conditions: Vec<ConditionResult> = rule
        .conditions
        .iter()
        .enumerate()
        .map(|(ci, c)| evaluate_condition(ctx, g.rule, ci, c, g.node.as_deref()))
        .collect();
    let ruled_out = failed_requires(rule, &conditions, ConditionStatus::Failed)
        .next()
        .is_some();
    let changed = if ruled_out {
        ctx.nodes
            .iter()
            .find(|f| Some(&f.name) == g.node.as_ref())
            .and_then(|facts| {
                resolved::by_package_change(facts, rule, &conditions, &g.hits, ctx.obs, year)
            })
    } else {
        None
    };
    let (current, cleared) = if ruled_out {
        (g.hits.clone(), None)
    } else {
        cleared::split(g.rule, g.node.as_deref(), &g.hits, evidence)
    };
    Some(Outcome {
        group: g,
        ruled_out: ruled_out && changed.is_none(),
        conditions,
        changed,
        current,
        cleared,
    })
}

/// The results of a rule's `require` conditions that have this status.
fn failed_requires<'r>(
    rule: &'r super::load::Rule,
    results: &'r [ConditionResult],
    status: ConditionStatus,
) -> impl Iterator<Item = &'r ConditionResult> {
    results
        .iter()
        .zip(&rule.conditions)
        .filter(move |(r, c)| c.spec.effect == Effect::Require && r.status == status)
        .map(|(r, _)| r)
}

/// How sure a finding that is not ruled out is, and why.
fn confidence(rule: &super::load::Rule, results: &[ConditionResult]) -> (Confidence, String) {
    let unknown: Vec<&ConditionResult> =
        failed_requires(rule, results, ConditionStatus::Unknown).collect();
    if rule.spec.symptom {
        (
            Confidence::Probable,
            "a symptom: nothing else in the bundle explains it, so the real cause may be outside what was collected".to_string(),
        )
    } else if !unknown.is_empty() {
        (
            Confidence::Probable,
            format!(
                "the signal matched but {} could not be checked: {}",
                unknown.len(),
                unknown
                    .iter()
                    .map(|r| r.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )
    } else if rule
        .conditions
        .iter()
        .any(|c| c.spec.effect == Effect::Require)
    {
        (
            Confidence::Confirmed,
            format!(
                "the signal matched and every required condition holds: {}",
                results
                    .iter()
                    .filter(|r| r.status == ConditionStatus::Held)
                    .map(|r| r.detail.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )
    } else {
        (
            Confidence::Confirmed,
            "the message itself names the failure".to_string(),
        )
    }
}

/// The group (not ruled out) of a rule that supersedes `symptom_rule` and
/// whose hits explain this symptom hit.
fn explainer<'o, 'g, 'h>(
    pack: &RulePack,
    outcomes: &'o [Outcome<'g, 'h>],
    symptom_rule: usize,
    symptom: &Subject,
) -> Option<&'o Outcome<'g, 'h>> {
    let id = &pack.rules.get(symptom_rule)?.spec.id;
    outcomes.iter().find(|other| {
        !other.ruled_out
            && pack
                .rules
                .get(other.group.rule)
                .is_some_and(|r| &r.spec.id != id && r.spec.supersedes.contains(id))
            && explains(&other.group.hits, other.group.node.as_deref(), symptom)
    })
}

/// Tell each specific finding how many symptom hits it explains, by rule.
fn count_explained(pack: &RulePack, outcomes: &[Outcome<'_, '_>], findings: &mut [Finding<'_>]) {
    for o in outcomes {
        let Some(rule) = pack.rules.get(o.group.rule) else {
            continue;
        };
        if !rule.spec.symptom || o.ruled_out {
            continue;
        }
        for (_, s) in &o.group.hits {
            let Some(e) = explainer(pack, outcomes, o.group.rule, s) else {
                continue;
            };
            let Some(f) = findings
                .iter_mut()
                .find(|f| f.rule == e.group.rule && f.node == e.group.node)
            else {
                continue;
            };
            match f.explains.iter_mut().find(|x| x.rule == rule.spec.id) {
                Some(x) => x.occurrences += 1,
                None => f.explains.push(Explained {
                    rule: rule.spec.id.clone(),
                    occurrences: 1,
                }),
            }
        }
    }
}

/// Does a specific finding's hits explain this symptom hit?
fn explains(specific: &[(&SignalHit, Subject)], node: Option<&str>, symptom: &Subject) -> bool {
    specific.iter().any(|(_, s)| {
        let same_pod = matches!((&s.pod, &symptom.pod), (Some(a), Some(b)) if a == b);
        let same_volume = !s.volumes.is_disjoint(&symptom.volumes);
        let same_uid = matches!((&s.uid, &symptom.uid), (Some(a), Some(b)) if a == b);
        // A symptom that names nothing is explained by a cause on its node.
        let anonymous = symptom.pod.is_none()
            && symptom.volumes.is_empty()
            && symptom.uid.is_none()
            && symptom.node.as_deref() == node;
        same_pod || same_volume || same_uid || anonymous
    })
}

/// First and last time of a group's hits, with the artifact's year (or the
/// bundle's) where a timestamp has none.
fn seen(
    hits: &[(&SignalHit, Subject)],
    obs: &Observations,
    year: Option<u16>,
) -> (Option<Timestamp>, Option<Timestamp>) {
    // Log records' times first: a journal's are local and zoneless, an event's
    // are UTC, and one span must not mix the two. Events speak when no
    // record of the group has a time (an events-only finding).
    let mut stamps: Vec<Timestamp> = hits
        .iter()
        .filter_map(|(h, _)| {
            let t = h.record.timestamp?;
            let y = obs.artifacts.get(h.artifact).and_then(|a| a.year).or(year);
            Some(y.map_or(t, |y| t.with_year(y)))
        })
        .collect();
    if stamps.is_empty() {
        for (h, _) in hits {
            if let Some(e) = event_of(h, obs) {
                // An event stands for all its occurrences, first to last.
                stamps.extend(e.first_time().into_iter().chain(e.last_time()));
            }
        }
    }
    stamps.sort_by_key(|t| t.sort_key());
    (stamps.first().copied(), stamps.last().copied())
}

/// How many times a group's records say the failure happened: an event
/// counts as often as it was seen, a log record once, and a record that
/// only accompanies another (see `pair_companions`) not at all.
fn occurrences(hits: &[(&SignalHit, Subject)], obs: &Observations) -> u64 {
    hits.iter()
        .filter(|(_, s)| !s.companion)
        .map(|(h, _)| {
            let from_events = obs
                .artifacts
                .get(h.artifact)
                .is_some_and(|a| !a.events.is_empty());
            if from_events {
                event_of(h, obs).map_or(1, |e| e.count.max(1))
            } else {
                1
            }
        })
        .sum()
}

/// The bundle-wide year for timestamps that carry none: the most common year the artifacts state.
fn bundle_year(obs: &Observations) -> Option<u16> {
    let mut counts: BTreeMap<u16, usize> = BTreeMap::new();
    for a in &obs.artifacts {
        if let Some(y) = a.year {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, c)| *c).map(|(y, _)| y)
}
