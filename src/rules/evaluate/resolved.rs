//! Whether a ruled-out group's failures ended by a package change (see
//! `history`) after the last failure: the state the failure needed is over,
//! so it is history, not a cause ruled out. (Other evidence that failures are
//! over, per pod and volume, is `cleared`.)

use super::super::load::Rule;
use super::history;
use super::subject::hit_time;
use super::subject::Subject;
use crate::facts::{ConditionResult, NodeFacts, Observations, SignalHit};
use crate::logline::Timestamp;

/// When the failures of a group are over because a package changed after them
/// (see `history`): the reason, for the `resolved` list.
pub(super) fn by_package_change(
    facts: &NodeFacts<'_>,
    rule: &Rule,
    results: &[ConditionResult],
    hits: &[(&SignalHit, Subject)],
    obs: &Observations,
    year: Option<u16>,
) -> Option<String> {
    if facts.history.is_empty() {
        return None;
    }
    // Every failure must have a time, or a later one may hide among them.
    let mut last: Option<Timestamp> = None;
    for (h, _) in hits {
        let t = hit_time(h, obs)?;
        let t = year.map_or(t, |y| t.with_year(y));
        if last.is_none_or(|l| t.sort_key() > l.sort_key()) {
            last = Some(t);
        }
    }
    let manager = facts
        .packages
        .as_ref()
        .and_then(|p| p.rows().next().map(|(_, p)| p))
        .map(|p| p.manager.scheme());
    let schemes = move |_: &str| manager;
    history::resolved_by_change(
        &history::failed_requires(&rule.conditions, results),
        last?,
        &facts.history,
        &schemes,
        year,
    )
}
