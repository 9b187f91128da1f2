//! `kubectl rollout history deployment/NAME [--revision=N]`, as kubectl v1.32's
//! `pkg/cmd/rollout/rollout_history.go` and `polymorphichelpers.DeploymentHistoryViewer`
//! (history.go) print it, with the pod template from `crate::describe::pod_template` (only in
//! builds with the `describe` feature: without it, `--revision=N` is run elsewhere,
//! [`crate::ELSEWHERE`]).

use crate::args::{Flag, FlagType};
use crate::commands::{parse_flags, Context};
use crate::errors;
use crate::printers::name;
use kplay_core::owner::is_controlled_by;
use kplay_core::types::{Deployment, ReplicaSet};

const FLAGS: &[Flag] = &[Flag::long("revision", FlagType::Int)];

const HELP: &str = "View previous rollout revisions and configurations.

Usage:
  kubectl rollout history (TYPE NAME | TYPE/NAME) [--revision=N]
";

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
pub(super) const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// The revision annotation the deployment controller writes on ReplicaSets.
const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";

/// The ReplicaSets the Deployment controls that carry a readable revision, with it, in store
/// order (kubectl's `deploymentutil.GetAllReplicaSets` + `deploymentutil.Revision`, which
/// skips ReplicaSets whose revision does not parse).
pub(super) fn revisions(ctx: &Context<'_>, deployment: &Deployment) -> Vec<(i64, ReplicaSet)> {
    let uid = deployment.metadata.uid.as_deref().unwrap_or("");
    let namespace = deployment
        .metadata
        .namespace
        .as_deref()
        .unwrap_or("default");
    ctx.cluster
        .store()
        .list::<ReplicaSet>(Some(namespace))
        .filter(|rs| is_controlled_by(&rs.metadata, uid))
        .filter_map(|rs| {
            let revision = rs
                .metadata
                .annotations
                .as_ref()?
                .get(REVISION_ANNOTATION)?
                .parse::<i64>()
                .ok()?;
            Some((revision, rs.clone()))
        })
        .collect()
}

/// Runs `kubectl rollout history`.
pub(super) fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl rollout history", HELP) else {
        return;
    };
    let revision = flags.int("revision").unwrap_or(0);
    // One revision's pod template is written by describe's code, which the playground's
    // first-load module leaves out: the lessons module answers instead.
    #[cfg(not(feature = "printers"))]
    if revision > 0 {
        ctx.out.exit_code = crate::ELSEWHERE;
        return;
    }
    let Some(targets) = super::deployment_targets(ctx, &flags.positional) else {
        return;
    };
    // rollout_history.go Validate, before anything is read.
    if revision < 0 {
        ctx.out.fail(&errors::plain(&format!(
            "revision must be a positive integer: {revision}"
        )));
        return;
    }
    let namespace = flags.namespace().to_string();
    for (kind, object) in targets {
        let Some(deployment) = ctx.live_or_report::<Deployment>(&namespace, &object) else {
            continue;
        };
        match view_history(ctx, &deployment, revision) {
            // The name printer's operation is "with revision #N\n<info>" (or "\n<info>"),
            // hence the trailing space after the name when there is no revision.
            Ok(info) => {
                let with_revision = if revision > 0 {
                    format!("with revision #{revision}")
                } else {
                    String::new()
                };
                ctx.out.out(&format!(
                    "{} {with_revision}\n{info}\n",
                    name::name(kind, &object)
                ));
            }
            Err(e) => ctx.out.fail(&errors::plain(&e)),
        }
    }
}

/// `DeploymentHistoryViewer.ViewHistory`: the revision table, one revision's pod template,
/// or `No rollout history found.`.
fn view_history(
    ctx: &Context<'_>,
    d: &Deployment,
    // Always 0 without the `describe` feature (such a run went elsewhere).
    #[cfg_attr(not(feature = "printers"), allow(unused_variables))] revision: i64,
) -> Result<String, String> {
    let mut history = revisions(ctx, d);
    if history.is_empty() {
        return Ok("No rollout history found.".to_string());
    }
    kplay_core::sort::sort_by(&mut history, |a, b| a.0.cmp(&b.0));
    #[cfg(feature = "printers")]
    if revision > 0 {
        return revision_template(&history, revision);
    }
    let rows: Vec<Vec<String>> = std::iter::once(vec!["REVISION".into(), "CHANGE-CAUSE".into()])
        .chain(history.iter().map(|(r, rs)| {
            vec![
                r.to_string(),
                change_cause(rs).unwrap_or_else(|| "<none>".into()),
            ]
        }))
        .collect();
    Ok(tabbed(&rows))
}

/// One revision's pod template, as `DescribePodTemplate` writes it.
#[cfg(feature = "printers")]
fn revision_template(history: &[(i64, ReplicaSet)], revision: i64) -> Result<String, String> {
    use kplay_core::types::ToJson;
    use serde_json::Value;
    let (_, rs) = history
        .iter()
        .find(|(r, _)| *r == revision)
        .ok_or_else(|| "unable to find the specified revision".to_string())?;
    let mut template = rs
        .spec
        .as_ref()
        .and_then(|s| s.template.as_ref())
        .map(ToJson::to_json)
        .unwrap_or(Value::Null);
    // history.go copies the ReplicaSet's change-cause into the template's annotations.
    if let Some(cause) = change_cause(rs) {
        if let Some(meta) = template.as_object_mut().map(|t| {
            t.entry("metadata")
                .or_insert_with(|| Value::Object(Default::default()))
        }) {
            if let Some(annotations) = meta.as_object_mut().map(|m| {
                m.entry("annotations")
                    .or_insert_with(|| Value::Object(Default::default()))
            }) {
                if let Some(map) = annotations.as_object_mut() {
                    map.insert(CHANGE_CAUSE_ANNOTATION.into(), Value::String(cause));
                }
            }
        }
    }
    Ok(crate::describe::pod_template(&template))
}

fn change_cause(rs: &ReplicaSet) -> Option<String> {
    rs.metadata
        .annotations
        .as_ref()?
        .get(CHANGE_CAUSE_ANNOTATION)
        .filter(|c| !c.is_empty())
        .cloned()
}

/// Go's `tabwriter` with minwidth 0, padding 2 and blanks, as history.go's `tabbedString`
/// sets it up: every cell but the last of a line is padded to its column's width plus 2.
fn tabbed(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| c + 1 < r.len())
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (c, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if c + 1 < row.len() {
                let width = widths.get(c).copied().unwrap_or(0);
                out.push_str(&" ".repeat(width + 2 - cell.chars().count()));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_pads_all_but_the_last_column() {
        let rows = vec![
            vec!["REVISION".to_string(), "CHANGE-CAUSE".to_string()],
            vec!["1".to_string(), "<none>".to_string()],
            vec!["12".to_string(), "x".to_string()],
        ];
        assert_eq!(
            tabbed(&rows),
            "REVISION  CHANGE-CAUSE\n1         <none>\n12        x\n"
        );
    }
}
