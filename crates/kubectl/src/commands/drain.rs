//! `kubectl cordon|uncordon|drain NODE`, as kubectl v1.32's `pkg/cmd/drain/drain.go` and
//! `k8s.io/kubectl/pkg/drain` (drain.go, filters.go, cordon.go) run them.
//!
//! Cordon sets the node's `spec.unschedulable` (`node/NAME cordoned`, or `already cordoned`;
//! uncordon clears it). Drain cordons, then sorts the node's pods through kubectl's filters
//! in their order: already terminating (skipped), DaemonSet-managed (an error unless
//! `--ignore-daemonsets`), mirror pods (skipped), local storage in an emptyDir (an error
//! unless `--delete-emptydir-data`), no controller (an error unless `--force`). Any error
//! stops the drain of that node with nothing evicted. Otherwise every pod is evicted
//! (`evicting pod NS/NAME`), gracefully with its own grace period or `--grace-period`, and
//! drain waits until each is gone (`pod/NAME evicted`), moving virtual time forward as
//! `rollout status` does, then prints `node/NAME drained`. The ReplicaSet controller
//! replaces evicted pods, and the scheduler keeps them off the cordoned node.
//!
//! Real kubectl evicts in parallel goroutines, so its lines may interleave; kplay prints the
//! `evicting` lines in pod order, then the `evicted` lines as the pods disappear.

use super::{parse_flags, Context, WATCH_CAP_MS};
use crate::args::{Flag, FlagType, Parsed};
use crate::errors;
use crate::printers::name;
use kplay_core::types::{Node, Pod};
use kplay_core::{owner, pod, ApiObject, Kind, Millis, Object};
use serde_json::Value;

const DRAIN_FLAGS: &[Flag] = &[
    Flag::long("ignore-daemonsets", FlagType::Bool),
    Flag::long("delete-emptydir-data", FlagType::Bool),
    Flag::long("force", FlagType::Bool),
    Flag::long("grace-period", FlagType::Int),
    Flag::long("timeout", FlagType::Duration),
];

/// A bound on timer steps while waiting for evicted pods, as in `rollout status`.
const MAX_STEPS: u32 = 100_000;

/// Runs `kubectl cordon NODE`.
pub fn run_cordon(ctx: &mut Context<'_>, args: &[String]) {
    let help = "Mark node as unschedulable.\n\nUsage:\n  kubectl cordon NODE\n";
    if let Some((_, node)) = node_arg(ctx, args, &[], "cordon", help) {
        set_unschedulable(ctx, &node, true);
    }
}

/// Runs `kubectl uncordon NODE`.
pub fn run_uncordon(ctx: &mut Context<'_>, args: &[String]) {
    let help = "Mark node as schedulable.\n\nUsage:\n  kubectl uncordon NODE\n";
    if let Some((_, node)) = node_arg(ctx, args, &[], "uncordon", help) {
        set_unschedulable(ctx, &node, false);
    }
}

/// Runs `kubectl drain NODE`.
pub fn run_drain(ctx: &mut Context<'_>, args: &[String]) {
    let help = "Drain node in preparation for maintenance.\n\nUsage:\n  kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N] [--timeout=DURATION]\n";
    let Some((flags, node)) = node_arg(ctx, args, DRAIN_FLAGS, "drain", help) else {
        return;
    };
    if !set_unschedulable(ctx, &node, true) {
        return;
    }
    let pods: Vec<Pod> = ctx
        .cluster
        .store()
        .list::<Pod>(None)
        .filter(|p| pod::node_name(p) == Some(node.as_str()))
        .cloned()
        .collect();
    let (evict, warnings, fatal) = sort_pods(&pods, &flags);
    if !fatal.is_empty() {
        // drain.go RunDrain, then CheckErr's MultipleErrors for the aggregate (no `error: `).
        let joined: Vec<&str> = fatal.iter().map(String::as_str).collect();
        let message = match joined.as_slice() {
            [one] => (*one).to_string(),
            many => format!("[{}]", many.join(", ")),
        };
        ctx.out.stderr.push_str(&format!(
            "error: unable to drain node \"{node}\" due to error: {message}, continuing command...\nThere are pending nodes to be drained:\n {node}\n"
        ));
        ctx.out.fail(&format!("{}\n", fatal.join("\n")));
        return;
    }
    if !warnings.is_empty() {
        ctx.out
            .stderr
            .push_str(&format!("Warning: {}\n", warnings.join("; ")));
    }
    let grace = flags.int("grace-period").filter(|g| *g >= 0);
    for p in &evict {
        ctx.out.out(&format!("evicting pod {}\n", full_name(p)));
        if let Err(e) = ctx
            .cluster
            .delete_with_grace(Kind::Pod, namespace(p), pod_name(p), grace)
        {
            ctx.out.fail(&errors::standard_message(&e));
            return;
        }
    }
    let timeout = flags.duration_ms("timeout").filter(|t| *t > 0);
    if wait_for_eviction(ctx, &evict, timeout) {
        ctx.out.out(&name::operation(Kind::Node, &node, "drained"));
    } else {
        let shown = go_duration(timeout.unwrap_or(WATCH_CAP_MS));
        ctx.out.fail(&errors::plain(&format!(
            "drain did not complete within {shown}"
        )));
    }
}

/// Parses the flags and the one NODE argument (`cordon`, `uncordon`, `drain`).
fn node_arg(
    ctx: &mut Context<'_>,
    args: &[String],
    flags: &[Flag],
    command: &str,
    help: &str,
) -> Option<(Parsed, String)> {
    let path = format!("kubectl {command}");
    let parsed = parse_flags(ctx, args, flags, &path, help)?;
    match parsed.positional.as_slice() {
        [node] => {
            let node = node.strip_prefix("node/").unwrap_or(node).to_string();
            Some((parsed.clone(), node))
        }
        // drain.go Complete: no node (and no selector) is a usage error.
        _ => {
            ctx.out.fail(&errors::usage_examples(
                &path,
                &format!("USAGE: {command} NODE [flags]"),
            ));
            None
        }
    }
}

/// cordon.go: patches `spec.unschedulable` unless it already has the wanted value, and
/// prints `node/NAME cordoned` / `already cordoned` (`uncordoned` / `already uncordoned`).
/// Returns false if the node does not exist (the error is printed).
fn set_unschedulable(ctx: &mut Context<'_>, node_name: &str, desired: bool) -> bool {
    let mut node: Node = match ctx.live("", node_name) {
        Ok(n) => n,
        Err(e) => {
            ctx.out.fail(&errors::standard_message(&e));
            return false;
        }
    };
    let verb = if desired { "cordoned" } else { "uncordoned" };
    let current = node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    if current == desired {
        ctx.out.out(&name::operation(
            Kind::Node,
            node_name,
            &format!("already {verb}"),
        ));
        return true;
    }
    // `unschedulable: false` is omitted from the API object (omitempty).
    node.spec.get_or_insert_with(Default::default).unschedulable = desired.then_some(true);
    match ctx.cluster.update(node.into_object()) {
        Ok(_) => {
            ctx.out.out(&name::operation(Kind::Node, node_name, verb));
            true
        }
        Err(e) => {
            ctx.out.fail(&errors::standard_message(&e));
            false
        }
    }
}

/// filters.go: the pods to evict, the warnings (`ignoring DaemonSet-managed Pods: ns/a`),
/// and the fatal errors (`cannot delete Pods declare no controller (use --force to
/// override): default/bare`), each grouped by message; messages in kubectl's filter order.
fn sort_pods(pods: &[Pod], flags: &Parsed) -> (Vec<Pod>, Vec<String>, Vec<String>) {
    const FILTERS: [(&str, &str); 3] = [
        (
            "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
            "ignoring DaemonSet-managed Pods",
        ),
        (
            "Pods with local storage (use --delete-emptydir-data to override)",
            "deleting Pods with local storage",
        ),
        (
            "Pods declare no controller (use --force to override)",
            "deleting Pods that declare no controller",
        ),
    ];
    let allowed = [
        flags.bool("ignore-daemonsets", false),
        flags.bool("delete-emptydir-data", false),
        flags.bool("force", false),
    ];
    let mut evict = Vec::new();
    let mut warned: [Vec<String>; 3] = Default::default();
    let mut failed: [Vec<String>; 3] = Default::default();
    for p in pods {
        if pod::is_terminating(p) || is_mirror(p) {
            continue;
        }
        let controller = owner::controller_of(&p.metadata);
        let hits = [
            controller.is_some_and(|c| c.kind == "DaemonSet"),
            has_empty_dir(p),
            controller.is_none(),
        ];
        let full = full_name(p);
        let mut deletable = true;
        for (i, hit) in hits.into_iter().enumerate() {
            if !hit {
                continue;
            }
            if allowed[i] {
                warned[i].push(full.clone());
                if i == 0 {
                    // An ignored DaemonSet pod is left where it is.
                    deletable = false;
                    break;
                }
            } else {
                failed[i].push(full.clone());
                deletable = false;
                break;
            }
        }
        if deletable {
            evict.push(p.clone());
        }
    }
    let group = |lists: &[Vec<String>; 3], pick: fn(&(&str, &str)) -> String| {
        FILTERS
            .iter()
            .zip(lists)
            .filter(|(_, pods)| !pods.is_empty())
            .map(|(f, pods)| format!("{}: {}", pick(f), pods.join(", ")))
            .collect::<Vec<String>>()
    };
    let warnings = group(&warned, |f| f.1.to_string());
    let fatal = group(&failed, |f| format!("cannot delete {}", f.0));
    (evict, warnings, fatal)
}

fn pod_name(p: &Pod) -> &str {
    p.metadata.name.as_deref().unwrap_or_default()
}

fn namespace(p: &Pod) -> &str {
    p.metadata.namespace.as_deref().unwrap_or("default")
}

/// `namespace/name`, as drain names pods.
fn full_name(p: &Pod) -> String {
    format!("{}/{}", namespace(p), pod_name(p))
}

/// Go's `time.Duration` text for whole seconds and more (`30s`, `1m30s`, `15m0s`).
fn go_duration(ms: Millis) -> String {
    let (h, m, s) = (ms / 3_600_000, ms / 60_000 % 60, ms % 60_000);
    let seconds = if s % 1000 == 0 {
        format!("{}s", s / 1000)
    } else {
        let fraction = format!("{:03}", s % 1000);
        format!("{}.{}s", s / 1000, fraction.trim_end_matches('0'))
    };
    match (h, m) {
        (0, 0) => seconds,
        (0, m) => format!("{m}m{seconds}"),
        (h, m) => format!("{h}h{m}m{seconds}"),
    }
}

/// A static pod's mirror (`kubernetes.io/config.mirror`), which drain skips.
fn is_mirror(p: &Pod) -> bool {
    p.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"))
}

/// Whether the pod has an emptyDir volume (local storage that eviction loses).
fn has_empty_dir(p: &Pod) -> bool {
    let json = Object::Pod(Box::new(p.clone())).to_json();
    json.pointer("/spec/volumes")
        .and_then(Value::as_array)
        .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()))
}

/// Moves virtual time forward until every evicted pod is gone, printing `pod/NAME evicted`
/// as each disappears; false if `timeout` (or the watch cap) passed first.
fn wait_for_eviction(ctx: &mut Context<'_>, evicted: &[Pod], timeout: Option<Millis>) -> bool {
    let deadline = ctx
        .cluster
        .now()
        .saturating_add(timeout.unwrap_or(WATCH_CAP_MS).min(WATCH_CAP_MS));
    let mut pending: Vec<&Pod> = evicted.iter().collect();
    for _ in 0..MAX_STEPS {
        let store = ctx.cluster.store();
        let (gone, still): (Vec<&Pod>, Vec<&Pod>) = pending.into_iter().partition(|p| {
            store
                .get::<Pod>(namespace(p), pod_name(p))
                .is_none_or(|now| now.metadata.uid != p.metadata.uid)
        });
        for p in gone {
            ctx.out
                .out(&name::operation(Kind::Pod, pod_name(p), "evicted"));
        }
        pending = still;
        if pending.is_empty() {
            return true;
        }
        let now = ctx.cluster.now();
        match ctx.cluster.next_timer_at() {
            Some(at) if at <= deadline => ctx.cluster.advance(at.saturating_sub(now)),
            _ => {
                ctx.cluster.advance(deadline.saturating_sub(now));
                return false;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplay_core::types::{ObjectMeta, OwnerReference};

    fn pod(name: &str, owner_kind: Option<&str>) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("default".into()),
                owner_references: owner_kind.map(|kind| {
                    vec![OwnerReference {
                        kind: kind.into(),
                        name: "owner".into(),
                        controller: Some(true),
                        ..Default::default()
                    }]
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn flags(args: &[&str]) -> Parsed {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        crate::args::parse(&args, DRAIN_FLAGS).expect("valid flags")
    }

    /// filters.go's verdicts and messages.
    #[test]
    fn pods_sorted_as_drain_filters_sort_them() {
        let pods = [
            pod("web-1", Some("ReplicaSet")),
            pod("bare", None),
            pod("ds-1", Some("DaemonSet")),
        ];
        let (evict, warnings, fatal) = sort_pods(&pods, &flags(&[]));
        assert!(evict.len() == 1 && warnings.is_empty());
        assert_eq!(
            fatal,
            vec![
                "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/ds-1".to_string(),
                "cannot delete Pods declare no controller (use --force to override): default/bare".to_string(),
            ]
        );
        let (evict, warnings, fatal) =
            sort_pods(&pods, &flags(&["--force", "--ignore-daemonsets"]));
        let names: Vec<&str> = evict.iter().map(pod_name).collect();
        assert_eq!(names, vec!["web-1", "bare"]);
        assert!(fatal.is_empty());
        assert_eq!(
            warnings,
            vec![
                "ignoring DaemonSet-managed Pods: default/ds-1".to_string(),
                "deleting Pods that declare no controller: default/bare".to_string(),
            ]
        );
    }

    #[test]
    fn durations_as_go_prints_them() {
        for (ms, want) in [
            (30_000, "30s"),
            (90_000, "1m30s"),
            (900_000, "15m0s"),
            (1_500, "1.5s"),
            (3_600_000, "1h0m0s"),
        ] {
            assert_eq!(go_duration(ms), want);
        }
    }
}
