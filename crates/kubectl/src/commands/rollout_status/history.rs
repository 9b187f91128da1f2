//! `kubectl rollout history deployment/NAME [--revision=N]`, as kubectl v1.32's
//! `pkg/cmd/rollout/rollout_history.go` and `polymorphichelpers.DeploymentHistoryViewer`
//! (history.go) print it, with the pod template described as `describe.DescribePodTemplate`
//! writes it.

use crate::args::{Flag, FlagType};
use crate::commands::{parse_flags, targets, Context};
use crate::errors;
use crate::printers::name;
use kplay_core::owner::is_controlled_by;
use kplay_core::types::{Deployment, ReplicaSet, ToJson};
use kplay_core::Kind;
use serde_json::Value;

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
    if !super::require_resource(ctx, &flags.positional) {
        return;
    }
    let Some(targets) = targets(ctx, &flags.positional, &[Kind::Deployment]) else {
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
        let deployment: Deployment = match ctx.live(&namespace, &object) {
            Ok(d) => d,
            Err(e) => {
                ctx.out.fail(&errors::api_error(&e));
                continue;
            }
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
fn view_history(ctx: &Context<'_>, d: &Deployment, revision: i64) -> Result<String, String> {
    let mut history = revisions(ctx, d);
    if history.is_empty() {
        return Ok("No rollout history found.".to_string());
    }
    kplay_core::sort::sort_by(&mut history, |a, b| a.0.cmp(&b.0));
    if revision > 0 {
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
        return Ok(describe_pod_template(&template));
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

// ----- describe.DescribePodTemplate -----

/// The longest annotation describe prints on one line (`maxAnnotationLen`).
const MAX_ANNOTATION_LEN: usize = 140;

/// A pod template (as API JSON) the way kubectl v1.32's `describe.DescribePodTemplate`
/// writes it through a `PrefixWriter` (two spaces per level, tabs kept: `rollout history`
/// prints it without a tabwriter).
pub(crate) fn describe_pod_template(template: &Value) -> String {
    let mut w = String::new();
    w.push_str("Pod Template:\n");
    let meta = &template["metadata"];
    let spec = &template["spec"];
    labels_multiline(&mut w, "  Labels", &meta["labels"]);
    if meta["annotations"]
        .as_object()
        .is_some_and(|a| !a.is_empty())
    {
        annotations_multiline(&mut w, "  Annotations", &meta["annotations"]);
    }
    if let Some(sa) = spec["serviceAccountName"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        w.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    if spec["initContainers"]
        .as_array()
        .is_some_and(|c| !c.is_empty())
    {
        containers(&mut w, "Init Containers", &spec["initContainers"]);
    }
    containers(&mut w, "Containers", &spec["containers"]);
    volumes(&mut w, &spec["volumes"]);
    topology_spread_constraints(&mut w, &spec["topologySpreadConstraints"]);
    if let Some(pc) = spec["priorityClassName"].as_str().filter(|s| !s.is_empty()) {
        w.push_str(&format!("  Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(&mut w, "  Node-Selectors", &spec["nodeSelector"]);
    tolerations_multiline(&mut w, "  Tolerations", &spec["tolerations"]);
    w
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `printLabelsMultiline`: sorted `key=value`, one a line, continuation lines start with a tab.
fn labels_multiline(w: &mut String, title: &str, labels: &Value) {
    w.push_str(&format!("{title}:\t"));
    let Some(map) = labels.as_object().filter(|m| !m.is_empty()) else {
        w.push_str("<none>\n");
        return;
    };
    let mut keys: Vec<&String> = map.keys().collect();
    kplay_core::sort::sort_by(&mut keys, |a, b| a.cmp(b));
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        w.push_str(&format!("{key}={}\n", text(&map[key.as_str()])));
    }
}

/// `printAnnotationsMultiline`: sorted `key: value`, long or multi-line values on their own
/// lines shortened to 138 characters, last-applied-configuration skipped.
fn annotations_multiline(w: &mut String, title: &str, annotations: &Value) {
    w.push_str(&format!("{title}:\t"));
    let mut keys: Vec<&String> = annotations
        .as_object()
        .map(|m| m.keys().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    kplay_core::sort::sort_by(&mut keys, |a, b| a.cmp(b));
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        let raw = text(&annotations[key.as_str()]);
        let value = raw.strip_suffix('\n').unwrap_or(&raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.push_str(&format!("{key}:\n"));
            for line in value.split('\n') {
                w.push_str(&format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.push_str(&format!("{key}: {value}\n"));
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &s[..at]),
        None => s.to_string(),
    }
}

/// `describeContainers` without statuses, indented by two spaces.
fn containers(w: &mut String, label: &str, list: &Value) {
    let items = list.as_array().cloned().unwrap_or_default();
    let none = if items.is_empty() { " <none>" } else { "" };
    w.push_str(&format!("  {label}:{none}\n"));
    for c in &items {
        w.push_str(&format!("   {}:\n", text(&c["name"])));
        w.push_str(&format!("    Image:\t{}\n", text(&c["image"])));
        let ports = c["ports"].as_array().cloned().unwrap_or_default();
        let port_list = |field: &str| -> String {
            ports
                .iter()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p[field].as_i64().unwrap_or(0),
                        text(&p["protocol"])
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (one, many, list) in [
            ("Port", "Ports", port_list("containerPort")),
            ("Host Port", "Host Ports", port_list("hostPort")),
        ] {
            if list.contains(',') {
                w.push_str(&format!("    {many}:\t{list}\n"));
            } else if list.is_empty() {
                w.push_str(&format!("    {one}:\t<none>\n"));
            } else {
                w.push_str(&format!("    {one}:\t{list}\n"));
            }
        }
        for (title, field) in [("Command", "command"), ("Args", "args")] {
            if let Some(words) = c[field].as_array().filter(|a| !a.is_empty()) {
                w.push_str(&format!("    {title}:\n"));
                for word in words {
                    for line in text(word).split('\n') {
                        w.push_str(&format!("      {line}\n"));
                    }
                }
            }
        }
        for (title, field) in [("Limits", "limits"), ("Requests", "requests")] {
            if let Some(map) = c["resources"][field].as_object().filter(|m| !m.is_empty()) {
                w.push_str(&format!("    {title}:\n"));
                let mut names: Vec<&String> = map.keys().collect();
                kplay_core::sort::sort_by(&mut names, |a, b| a.cmp(b));
                for n in names {
                    w.push_str(&format!("      {n}:\t{}\n", text(&map[n.as_str()])));
                }
            }
        }
        for (title, field) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if c[field].is_object() {
                w.push_str(&format!("    {title}:\t{}\n", describe_probe(&c[field])));
            }
        }
        if let Some(from) = c["envFrom"].as_array().filter(|a| !a.is_empty()) {
            w.push_str("    Environment Variables from:\n");
            for e in from {
                let (kind, source) = if e["configMapRef"].is_object() {
                    ("ConfigMap", &e["configMapRef"])
                } else {
                    ("Secret", &e["secretRef"])
                };
                let optional = source["optional"].as_bool().unwrap_or(false);
                match e["prefix"].as_str().filter(|p| !p.is_empty()) {
                    None => w.push_str(&format!(
                        "      {}\t{kind}\tOptional: {optional}\n",
                        text(&source["name"])
                    )),
                    Some(prefix) => w.push_str(&format!(
                        "      {}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n",
                        text(&source["name"])
                    )),
                }
            }
        }
        env_vars(w, &c["env"]);
        mounts(w, &c["volumeMounts"]);
    }
}

/// `describeContainerEnvVars` without a resolver (no pod to read field references from).
fn env_vars(w: &mut String, env: &Value) {
    let vars = env.as_array().cloned().unwrap_or_default();
    if vars.is_empty() {
        w.push_str("    Environment:\t<none>\n");
        return;
    }
    w.push_str("    Environment:\n");
    for e in &vars {
        let name = text(&e["name"]);
        let from = &e["valueFrom"];
        if !from.is_object() {
            for (i, line) in text(&e["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.push_str(&format!("      {name}:\t{line}\n"));
                } else {
                    w.push_str(&format!("      \t{line}\n"));
                }
            }
        } else if from["fieldRef"].is_object() {
            let r = &from["fieldRef"];
            w.push_str(&format!(
                "      {name}:\t ({}:{})\n",
                text(&r["apiVersion"]),
                text(&r["fieldPath"])
            ));
        } else if from["resourceFieldRef"].is_object() {
            w.push_str(&format!(
                "      {name}:\t ({})\n",
                text(&from["resourceFieldRef"]["resource"])
            ));
        } else {
            let (r, what) = if from["secretKeyRef"].is_object() {
                (&from["secretKeyRef"], "in secret")
            } else {
                (&from["configMapKeyRef"], "of config map")
            };
            w.push_str(&format!(
                "      {name}:\t<set to the key '{}' {what} '{}'>\tOptional: {}\n",
                text(&r["key"]),
                text(&r["name"]),
                r["optional"].as_bool().unwrap_or(false)
            ));
        }
    }
}

/// `describeContainerVolumes`: mounts sorted by path, `path from volume (ro|rw[,path="sub"])`.
fn mounts(w: &mut String, list: &Value) {
    let mut items = list.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        w.push_str("    Mounts:\t<none>\n");
        return;
    }
    w.push_str("    Mounts:\n");
    kplay_core::sort::sort_by(&mut items, |a, b| {
        text(&a["mountPath"]).cmp(&text(&b["mountPath"]))
    });
    for m in &items {
        let mut flags = vec![if m["readOnly"].as_bool().unwrap_or(false) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if let Some(sub) = m["subPath"].as_str().filter(|s| !s.is_empty()) {
            flags.push(format!("path={sub:?}"));
        }
        w.push_str(&format!(
            "      {} from {} ({})\n",
            text(&m["mountPath"]),
            text(&m["name"]),
            flags.join(",")
        ));
    }
}

/// `DescribeProbe`, with the API server's probe defaults (timeout 1s, period 10s, success 1,
/// failure 3) for fields a manifest left out.
fn describe_probe(p: &Value) -> String {
    let num = |field: &str, default: i64| p[field].as_i64().unwrap_or(default);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        num("initialDelaySeconds", 0),
        num("timeoutSeconds", 1),
        num("periodSeconds", 10),
        num("successThreshold", 1),
        num("failureThreshold", 3)
    );
    if let Some(cmd) = p["exec"]["command"].as_array() {
        let words: Vec<String> = cmd.iter().map(text).collect();
        return format!("exec [{}] {attrs}", words.join(" "));
    }
    if p["httpGet"].is_object() {
        let g = &p["httpGet"];
        let scheme = text(&g["scheme"]).to_lowercase();
        let scheme = if scheme.is_empty() {
            "http".into()
        } else {
            scheme
        };
        let host = text(&g["host"]);
        let port = text(&g["port"]);
        let host = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!("http-get {scheme}://{host}{} {attrs}", text(&g["path"]));
    }
    if p["tcpSocket"].is_object() {
        let t = &p["tcpSocket"];
        return format!(
            "tcp-socket {}:{} {attrs}",
            text(&t["host"]),
            text(&t["port"])
        );
    }
    if p["grpc"].is_object() {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            text(&p["grpc"]["port"]),
            text(&p["grpc"]["service"])
        );
    }
    format!("unknown {attrs}")
}

/// `describeVolumes` for the volume types a playground template uses; others print as
/// describe.go prints a type it does not know.
fn volumes(w: &mut String, list: &Value) {
    let items = list.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        w.push_str("  Volumes:\t<none>\n");
        return;
    }
    w.push_str("  Volumes:\n");
    for v in &items {
        w.push_str(&format!("   {}:\n", text(&v["name"])));
        if v["emptyDir"].is_object() {
            let size = text(&v["emptyDir"]["sizeLimit"]);
            let size = if size.is_empty() || size == "0" {
                "<unset>".to_string()
            } else {
                size
            };
            w.push_str(&format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                text(&v["emptyDir"]["medium"])
            ));
        } else {
            w.push_str("  <unknown>\n");
        }
    }
}

/// `describeTopologySpreadConstraints`: nothing when there are none.
fn topology_spread_constraints(w: &mut String, list: &Value) {
    let mut items = list.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        return;
    }
    kplay_core::sort::sort_by(&mut items, |a, b| {
        text(&a["topologyKey"]).cmp(&text(&b["topologyKey"]))
    });
    w.push_str("  Topology Spread Constraints:\t");
    for (i, t) in items.iter().enumerate() {
        if i != 0 {
            w.push_str("  \t");
        }
        w.push_str(&format!(
            "{}:{} when max skew {} is exceeded",
            text(&t["topologyKey"]),
            text(&t["whenUnsatisfiable"]),
            t["maxSkew"].as_i64().unwrap_or(0)
        ));
        if let Some(labels) = t["labelSelector"]["matchLabels"].as_object() {
            let mut pairs: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}={}", text(v)))
                .collect();
            kplay_core::sort::sort_by(&mut pairs, |a, b| a.cmp(b));
            w.push_str(&format!(" for selector {}", pairs.join(",")));
        }
        w.push('\n');
    }
}

/// `printTolerationsMultilineWithIndent`: sorted by key, `key[=value][:effect][ op=Exists][ for Ns]`.
fn tolerations_multiline(w: &mut String, title: &str, list: &Value) {
    w.push_str(&format!("{title}:\t"));
    let mut items = list.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    kplay_core::sort::sort_by(&mut items, |a, b| text(&a["key"]).cmp(&text(&b["key"])));
    for (i, t) in items.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        let key = text(&t["key"]);
        let value = text(&t["value"]);
        let effect = text(&t["effect"]);
        w.push_str(&key);
        if !value.is_empty() {
            w.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            w.push_str(&format!(":{effect}"));
        }
        if text(&t["operator"]) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                w.push_str(" op=Exists");
            } else {
                w.push_str("op=Exists");
            }
        }
        if let Some(seconds) = t["tolerationSeconds"].as_i64() {
            w.push_str(&format!(" for {seconds}s"));
        }
        w.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_template_as_describe_prints_it() {
        // The layout of describe.go DescribePodTemplate (PrefixWriter levels of two spaces,
        // raw tabs), e.g. as `kubectl rollout history deployment/nginx --revision=1` prints.
        let template = json!({
            "metadata": {"labels": {"app": "web", "pod-template-hash": "abc"},
                         "annotations": {"kubernetes.io/change-cause": "v2"}},
            "spec": {"containers": [{
                "name": "nginx", "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [{"name": "MODE", "value": "prod"}],
                "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"}, "periodSeconds": 5}
            }]}
        });
        assert_eq!(
            describe_pod_template(&template),
            "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=abc\n  Annotations:\tkubernetes.io/change-cause: v2\n  Containers:\n   nginx:\n    Image:\tnginx:1.25\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Readiness:\thttp-get http://:80/ delay=0s timeout=1s period=5s #success=1 #failure=3\n    Environment:\n      MODE:\tprod\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        );
    }

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
