//! What a finding names: the pods, volumes and nodes its hits are about, and
//! the rule's fix with those values filled in.

use std::collections::{BTreeMap, BTreeSet};

use super::super::load::{plural, Rule, CAPTURE_LISTS};
use super::subject::Subject;
use crate::facts::{Affected, Fix, SignalHit};

/// The rule's fix, filled with the pods, volumes, nodes and other captures of its hits.
pub(super) fn render_fix(rule: &Rule, hits: &[(&SignalHit, Subject)], node: Option<&str>) -> Fix {
    let mut lists: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for (h, s) in hits {
        for (k, v) in &h.captures {
            if let Some(p) = plural(k) {
                lists.entry(p).or_default().insert(v.clone());
            }
        }
        if let Some(p) = &s.pod {
            lists.entry("pods").or_default().insert(match &s.namespace {
                Some(ns) => format!("{ns}/{p}"),
                None => p.clone(),
            });
        }
        lists
            .entry("volumes")
            .or_default()
            .extend(s.volumes.iter().cloned());
        if let Some(n) = &s.node {
            lists.entry("nodes").or_default().insert(n.clone());
        }
    }
    if let Some(pods) = lists.get_mut("pods") {
        drop_bare_duplicates(pods);
    }
    let mut ctx: BTreeMap<&str, String> = BTreeMap::new();
    for &(_, var) in CAPTURE_LISTS {
        ctx.insert(
            var,
            lists
                .get(var)
                .map(|s| s.iter().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        );
    }
    // Bare pod names, for commands that take `-n <namespace>` separately.
    let bare: BTreeSet<String> = lists
        .get("pods")
        .map(|p| {
            p.iter()
                .map(|x| x.rsplit('/').next().unwrap_or(x).to_string())
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("pod_names", bare.into_iter().collect::<Vec<_>>().join(", "));
    ctx.insert("node", node.unwrap_or("the node").to_string());
    ctx.insert("rule", rule.spec.id.clone());
    let env = minijinja::Environment::new();
    let render = |t: &str| env.render_str(t, &ctx).unwrap_or_else(|_| t.to_string());
    Fix {
        summary: render(&rule.spec.fix.summary),
        steps: rule.spec.fix.steps.iter().map(|s| render(s)).collect(),
    }
}

/// The pods and volumes a finding's hits are about, on its node.
pub(super) fn affected(hits: &[(&SignalHit, Subject)], node: Option<&str>) -> Affected {
    let mut pods = BTreeSet::new();
    let mut volumes = BTreeSet::new();
    for (_, s) in hits {
        if let Some(p) = &s.pod {
            pods.insert(match &s.namespace {
                Some(ns) => format!("{ns}/{p}"),
                None => p.clone(),
            });
        }
        volumes.extend(s.volumes.iter().cloned());
    }
    drop_bare_duplicates(&mut pods);
    Affected {
        pods: pods.into_iter().collect(),
        volumes: volumes.into_iter().collect(),
        nodes: node.map(|n| vec![n.to_string()]).unwrap_or_default(),
    }
}

/// `ns/name` and a bare `name` of the same pod are one pod.
fn drop_bare_duplicates(pods: &mut BTreeSet<String>) {
    let full: Vec<String> = pods.iter().filter(|p| p.contains('/')).cloned().collect();
    pods.retain(|p| p.contains('/') || !full.iter().any(|f| f.ends_with(&format!("/{p}"))));
}
