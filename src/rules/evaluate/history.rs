//! A package change after the failures ends them.
//!
//! A `require` package condition that fails today (the NFS client is
//! installed; util-linux is no longer a broken release) would rule a rule out.
//! But when the package manager's log shows the package arriving, or leaving
//! the broken version, *after* the last failure record, the failures were real
//! and are over: the finding is resolved, not a red herring. A change before
//! the failures, or no history, leaves the rule ruled out.

use super::super::load::Condition;
use super::super::schema::{ConditionFact, Expect};
use crate::facts::{Action, ConditionResult, ConditionStatus, Effect, PackageChange};
use crate::logline::Timestamp;
use crate::version::Scheme;

/// The reason a group is resolved by later package changes, when every failed
/// `require` condition is a package condition that one such change explains.
/// `history` holds the node's changes with their artifact path; `year` fills
/// times that have none (yum.log, klog).
pub(super) fn resolved_by_change(
    failed: &[(&Condition, &ConditionResult)],
    last_failure: Timestamp,
    history: &[(&PackageChange, String)],
    schemes: &dyn Fn(&str) -> Option<Scheme>,
    year: Option<u16>,
) -> Option<String> {
    if failed.is_empty() {
        return None;
    }
    let when = |t: Timestamp| match year {
        Some(y) => t.with_year(y),
        None => t,
    };
    let last = when(last_failure);
    let mut reasons = Vec::new();
    for (c, _) in failed {
        if c.spec.fact != ConditionFact::Package {
            return None;
        }
        let change = history.iter().find(|(ch, _)| {
            let t = when(ch.time);
            // Two times without a year (yum.log, klog) compare within the bundle's year.
            t.year.is_some() == last.year.is_some()
                && t.sort_key() > last.sort_key()
                && c.spec.names.iter().any(|n| n == &ch.name)
                && ends_failure_state(c, ch, schemes)
        })?;
        let (ch, path) = change;
        let what = match (ch.action, &ch.from, &ch.to) {
            (Action::Installed, _, Some(to)) => format!("{} {to} was installed", ch.name),
            (_, Some(from), Some(to)) => format!("{} went from {from} to {to}", ch.name),
            _ => format!("{} changed", ch.name),
        };
        reasons.push(format!(
            "{what} at {} ({path} line {}), after the last failure at {last}",
            when(ch.time),
            ch.line
        ));
    }
    Some(reasons.join("; "))
}

/// Whether the change leaves the state the condition needed for the failure.
fn ends_failure_state(
    c: &Condition,
    ch: &PackageChange,
    schemes: &dyn Fn(&str) -> Option<Scheme>,
) -> bool {
    match (&c.range, c.spec.expect) {
        // "package absent" caused it; an install ends it.
        (None, Expect::Absent) => matches!(ch.action, Action::Installed | Action::Reinstalled),
        // "version within a broken range" caused it; leaving the range ends it.
        (Some(range), Expect::Present) => {
            let Some(scheme) = schemes(&ch.name) else {
                return false;
            };
            let was_inside = ch
                .from
                .as_deref()
                .is_some_and(|v| range.contains(scheme, v));
            let now_inside = ch.to.as_deref().is_some_and(|v| range.contains(scheme, v));
            was_inside && !now_inside
        }
        _ => false,
    }
}

/// Failed `require` conditions of one group, paired with their results.
pub(super) fn failed_requires<'c>(
    conditions: &'c [Condition],
    results: &'c [ConditionResult],
) -> Vec<(&'c Condition, &'c ConditionResult)> {
    conditions
        .iter()
        .zip(results)
        .filter(|(c, r)| c.spec.effect == Effect::Require && r.status == ConditionStatus::Failed)
        .collect()
}
