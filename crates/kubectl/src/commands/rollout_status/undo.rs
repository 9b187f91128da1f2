//! `kubectl rollout undo deployment/NAME [--to-revision=N]`, as kubectl v1.32's
//! `polymorphichelpers.DeploymentRollbacker` (rollback.go) does it on the client: the chosen
//! ReplicaSet's template (without its `pod-template-hash` label) and annotations are patched
//! into the Deployment, keeping the Deployment's own bookkeeping annotations. The deployment
//! controller then adopts that old ReplicaSet as the new one and renumbers it.

use super::history::revisions;
use crate::args::{Flag, FlagType};
use crate::commands::{parse_flags, Context};
use crate::errors;
use crate::printers::name;
use kplay_core::types::{Deployment, PodTemplateSpec, ReplicaSet, ToJson};
use kplay_core::ApiObject;
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[Flag::long("to-revision", FlagType::Int)];

const HELP: &str = "Roll back to a previous rollout.

Usage:
  kubectl rollout undo (TYPE NAME | TYPE/NAME) [--to-revision=N]
";

const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// rollback.go `annotationsToSkip`: kept from the Deployment, never copied from the
/// ReplicaSet.
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Runs `kubectl rollout undo`.
pub(super) fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl rollout undo", HELP) else {
        return;
    };
    let to_revision = flags.int("to-revision").unwrap_or(0);
    let Some(targets) = super::deployment_targets(ctx, &flags.positional) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    for (kind, object) in targets {
        let Some(deployment) = ctx.live_or_report::<Deployment>(&namespace, &object) else {
            continue;
        };
        match rollback(ctx, deployment, to_revision) {
            Ok(result) => ctx.out.out(&name::operation(kind, &object, &result)),
            Err(e) => ctx.out.fail(&errors::plain(&e)),
        }
    }
}

/// `DeploymentRollbacker.Rollback`: `rolled back`, `skipped rollback (...)`, or the error.
fn rollback(ctx: &mut Context<'_>, mut d: Deployment, to_revision: i64) -> Result<String, String> {
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let rs = deployment_revision(ctx, &d, to_revision)?;
    if d.spec.as_ref().and_then(|s| s.paused).unwrap_or(false) {
        return Err("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into());
    }
    let mut template = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.clone())
        .unwrap_or_default();
    let current = d
        .spec
        .as_ref()
        .map(|s| s.template.clone())
        .unwrap_or_default();
    if equal_ignore_hash(&template, &current) {
        return Ok(format!(
            "skipped rollback (current template already matches revision {to_revision})"
        ));
    }
    if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.remove(POD_TEMPLATE_HASH_LABEL);
    }
    let mut annotations: BTreeMap<String, String> = kplay_core::collect::map(
        d.metadata
            .annotations
            .iter()
            .flatten()
            .filter(|(k, _)| ANNOTATIONS_TO_SKIP.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    for (k, v) in rs.metadata.annotations.iter().flatten() {
        if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    d.metadata.annotations = Some(annotations);
    if let Some(spec) = d.spec.as_mut() {
        spec.template = template;
    }
    ctx.cluster
        .update(d.into_object())
        .map_err(|e| format!("failed restoring revision {to_revision}: {}", e.message))?;
    Ok("rolled back".into())
}

fn revision_not_found(revision: i64) -> String {
    format!("unable to find specified revision {revision} in history")
}

/// rollback.go `deploymentRevision`: the ReplicaSet of `to_revision`, or for 0 the one with
/// the second-highest revision (the "previous" one).
fn deployment_revision(
    ctx: &Context<'_>,
    d: &Deployment,
    to_revision: i64,
) -> Result<ReplicaSet, String> {
    let mut latest: Option<(i64, ReplicaSet)> = None;
    let mut previous: Option<(i64, ReplicaSet)> = None;
    for (v, rs) in revisions(ctx, d) {
        if to_revision > 0 {
            if v == to_revision {
                return Ok(rs);
            }
            continue;
        }
        if latest.as_ref().is_none_or(|(l, _)| *l < v) {
            previous = latest.take();
            latest = Some((v, rs));
        } else if previous.as_ref().is_none_or(|(p, _)| *p < v) {
            previous = Some((v, rs));
        }
    }
    if to_revision > 0 {
        return Err(revision_not_found(to_revision));
    }
    previous.map(|(_, rs)| rs).ok_or_else(|| {
        format!(
            "no rollout history found for deployment \"{}\"",
            d.metadata.name.as_deref().unwrap_or("")
        )
    })
}

/// rollback.go `equalIgnoreHash` (semantic equality: an empty label map equals none).
fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let normal = |t: &PodTemplateSpec| {
        let mut json = t.to_json();
        if let Some(meta) = json.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            if let Some(labels) = meta.get_mut("labels").and_then(|l| l.as_object_mut()) {
                labels.remove(POD_TEMPLATE_HASH_LABEL);
                if labels.is_empty() {
                    meta.remove("labels");
                }
            }
            if meta.is_empty() {
                json.as_object_mut().map(|t| t.remove("metadata"));
            }
        }
        json
    };
    normal(a) == normal(b)
}
