//! The pod-spec sections every describer shares, as describe.go (v1.32) writes them:
//! `DescribePodTemplate`, `describeContainers` (ports, command, state, resources, probes,
//! environment, mounts), `describeVolumes` and the tolerations list. They read the spec as
//! API JSON (`ToJson::to_json`), so fields the simulation does not type (env, volumeMounts,
//! volumes) are shown exactly as stored.

use super::pod::describe_state;
use super::quantity::Quantity;
use super::{annotations_multiline, labels_multiline, Writer};
use kplay_core::quote::go_quote;
use kplay_core::types::ContainerStatus;
use serde_json::Value;
use std::collections::BTreeMap;

/// `DescribePodTemplate`: labels, annotations (only when present), service account, the
/// containers without status, volumes, topology spread, priority class, node selectors and
/// tolerations, indented under `Pod Template:`. `template` is a `PodTemplateSpec` as JSON.
pub(super) fn describe_pod_template(w: &mut Writer, template: Option<&Value>) {
    w.write(0, "Pod Template:\n");
    let Some(template) = template else {
        w.write(1, "<unset>");
        return;
    };
    let meta = &template["metadata"];
    let spec = &template["spec"];
    labels_multiline(w, "  Labels", string_map(&meta["labels"]).as_ref());
    if let Some(annotations) = string_map(&meta["annotations"]) {
        annotations_multiline(w, "  Annotations", Some(&annotations));
    }
    if let Some(sa) = non_empty(&spec["serviceAccountName"]) {
        w.field(1, "Service Account", &sa);
    }
    if spec["initContainers"]
        .as_array()
        .is_some_and(|c| !c.is_empty())
    {
        describe_containers(
            w,
            "Init Containers",
            &spec["initContainers"],
            None,
            None,
            "  ",
        );
    }
    describe_containers(w, "Containers", &spec["containers"], None, None, "  ");
    describe_volumes(w, &spec["volumes"], "  ");
    topology_spread_constraints(w, &spec["topologySpreadConstraints"], "  ");
    if let Some(pc) = non_empty(&spec["priorityClassName"]) {
        w.field(1, "Priority Class Name", &pc);
    }
    labels_multiline(
        w,
        "  Node-Selectors",
        string_map(&spec["nodeSelector"]).as_ref(),
    );
    tolerations_multiline(w, "  Tolerations", &spec["tolerations"]);
}

/// A JSON value as Go's `%v` prints the string or number it holds; nothing for null.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => crate::printers::json::to_compact_json(other),
    }
}

/// A string field that is set and not empty.
fn non_empty(value: &Value) -> Option<String> {
    Some(text(value)).filter(|s| !s.is_empty())
}

/// A JSON object of strings (labels, annotations, a node selector), `None` when empty.
fn string_map(value: &Value) -> Option<BTreeMap<String, String>> {
    let map: BTreeMap<String, String> =
        kplay_core::collect::map(value.as_object()?.iter().map(|(k, v)| (k.clone(), text(v))));
    Some(map).filter(|m| !m.is_empty())
}

/// `describeContainers`: each container's name, ID and image, ports, command and args, its
/// state (for a pod, from `statuses`), resources, probes, environment and mounts. `pod` is
/// the pod as JSON, which resolves `fieldRef` environment values (`EnvValueRetriever`);
/// `space` is the template indent (`"  "` under `Pod Template:`, which also indents the
/// container names by one more space).
pub(super) fn describe_containers(
    w: &mut Writer,
    label: &str,
    containers: &Value,
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Value>,
    space: &str,
) {
    let items = containers.as_array().map_or(&[][..], Vec::as_slice);
    let none = if items.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in items {
        let name = text(&c["name"]);
        let status = statuses.and_then(|s| s.iter().find(|s| s.name == name));
        w.write(1, &format!("{name_indent}{name}:\n"));
        if let Some(s) = status {
            w.field(2, "Container ID", s.container_id.as_deref().unwrap_or(""));
        }
        w.field(2, "Image", &text(&c["image"]));
        if let Some(s) = status {
            w.field(2, "Image ID", &s.image_id);
        }
        ports(w, &c["ports"]);
        for (title, field) in [("Command", "command"), ("Args", "args")] {
            if let Some(words) = c[field].as_array().filter(|a| !a.is_empty()) {
                w.write(2, &format!("{title}:\n"));
                for word in words {
                    for line in text(word).split('\n') {
                        w.write(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", s.state.as_ref());
            if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                describe_state(w, "Last State", Some(last));
            }
            w.field(2, "Ready", if s.ready { "True" } else { "False" });
            w.field(2, "Restart Count", &s.restart_count.to_string());
        }
        for (title, field) in [("Limits", "limits"), ("Requests", "requests")] {
            if let Some(map) = c["resources"][field].as_object().filter(|m| !m.is_empty()) {
                w.write(2, &format!("{title}:\n"));
                for (name, quantity) in map {
                    w.field(3, name, &Quantity::parse(&text(quantity)).to_string());
                }
            }
        }
        for (title, field) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if c[field].is_object() {
                w.field(2, title, &describe_probe(&c[field]));
            }
        }
        env_from(w, &c["envFrom"]);
        env_vars(w, c, pod);
        mounts(w, &c["volumeMounts"]);
    }
}

/// `describeContainerPorts` and `describeContainerHostPorts`: `80/TCP`, comma-joined, under
/// `Ports:` when there are several, `Port:\t<none>` when there are none.
fn ports(w: &mut Writer, list: &Value) {
    let items = list.as_array().map_or(&[][..], Vec::as_slice);
    let joined = |field: &str| -> String {
        items
            .iter()
            .map(|p| {
                // The API server defaults the protocol to TCP.
                let protocol = non_empty(&p["protocol"]).unwrap_or_else(|| "TCP".into());
                format!("{}/{protocol}", p[field].as_i64().unwrap_or(0))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (one, many, list) in [
        ("Port", "Ports", joined("containerPort")),
        ("Host Port", "Host Ports", joined("hostPort")),
    ] {
        if list.contains(',') {
            w.field(2, many, &list);
        } else {
            w.field(2, one, if list.is_empty() { "<none>" } else { &list });
        }
    }
}

/// `DescribeProbe`: the action and `delay=0s timeout=1s period=10s #success=1 #failure=3`
/// (the API server has defaulted the numbers; an unset one prints as Go's zero).
fn describe_probe(p: &Value) -> String {
    let num = |field: &str| p[field].as_i64().unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        num("initialDelaySeconds"),
        num("timeoutSeconds"),
        num("periodSeconds"),
        num("successThreshold"),
        num("failureThreshold")
    );
    if p["exec"].is_object() {
        // Go's `%v` of a []string: `[a b c]`.
        let words: Vec<String> = p["exec"]["command"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        return format!("exec [{}] {attrs}", words.join(" "));
    }
    if p["httpGet"].is_object() {
        return format!("http-get {} {attrs}", http_get_url(&p["httpGet"]));
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

/// The `url.URL{Scheme, Host: net.JoinHostPort(host, port), Path}` DescribeProbe prints:
/// `http://:5000/` for the pod IP, a bracketed IPv6 host, a `/` before a relative path.
fn http_get_url(g: &Value) -> String {
    let scheme = text(&g["scheme"]).to_ascii_lowercase();
    let host = text(&g["host"]);
    let port = text(&g["port"]);
    let host = if port.is_empty() {
        host
    } else if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let path = text(&g["path"]);
    let path = if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
        format!("/{path}")
    } else {
        path
    };
    let scheme = if scheme.is_empty() {
        String::new()
    } else {
        format!("{scheme}:")
    };
    let authority = if host.is_empty() && scheme.is_empty() {
        String::new()
    } else {
        format!("//{host}")
    };
    format!("{scheme}{authority}{path}")
}

/// `describeContainerEnvFrom`, only when the container has envFrom sources.
fn env_from(w: &mut Writer, list: &Value) {
    let Some(items) = list.as_array().filter(|a| !a.is_empty()) else {
        return;
    };
    w.write(2, "Environment Variables from:\n");
    for e in items {
        let (kind, source) = if e["configMapRef"].is_object() {
            ("ConfigMap", &e["configMapRef"])
        } else if e["secretRef"].is_object() {
            ("Secret", &e["secretRef"])
        } else {
            ("", &Value::Null)
        };
        let optional = source["optional"].as_bool().unwrap_or(false);
        let name = text(&source["name"]);
        match non_empty(&e["prefix"]) {
            None => w.write(3, &format!("{name}\t{kind}\tOptional: {optional}\n")),
            Some(prefix) => w.write(
                3,
                &format!("{name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"),
            ),
        }
    }
}

/// `describeContainerEnvVars`: literal values (multi-line ones continued on their own
/// lines), field references resolved from the pod when there is one, resource references
/// computed from the container, and secret or config map keys.
fn env_vars(w: &mut Writer, container: &Value, pod: Option<&Value>) {
    let vars = container["env"].as_array().map_or(&[][..], Vec::as_slice);
    if vars.is_empty() {
        w.write(2, "Environment:\t<none>\n");
        return;
    }
    w.write(2, "Environment:\n");
    for e in vars {
        let name = text(&e["name"]);
        let from = &e["valueFrom"];
        if !from.is_object() {
            for (i, line) in text(&e["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.write(3, &format!("\t{line}\n"));
                }
            }
        } else if from["fieldRef"].is_object() {
            let r = &from["fieldRef"];
            let path = text(&r["fieldPath"]);
            let value = pod.map(|p| field_path_value(p, &path)).unwrap_or_default();
            // The API server defaults the apiVersion (SetDefaults_ObjectFieldSelector).
            let version = non_empty(&r["apiVersion"]).unwrap_or_else(|| "v1".into());
            w.write(3, &format!("{name}:\t{value} ({version}:{path})\n"));
        } else if from["resourceFieldRef"].is_object() {
            let r = &from["resourceFieldRef"];
            let resource = text(&r["resource"]);
            let mut value = resource_field_value(container, &resource, &text(&r["divisor"]));
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".into();
            }
            w.write(3, &format!("{name}:\t{value} ({resource})\n"));
        } else if from["secretKeyRef"].is_object() || from["configMapKeyRef"].is_object() {
            let (r, what) = if from["secretKeyRef"].is_object() {
                (&from["secretKeyRef"], "in secret")
            } else {
                (&from["configMapKeyRef"], "of config map")
            };
            w.write(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' {what} '{}'>\tOptional: {}\n",
                    text(&r["key"]),
                    text(&r["name"]),
                    r["optional"].as_bool().unwrap_or(false)
                ),
            );
        }
    }
}

/// kubectl's `fieldpath.ExtractFieldPathAsString` on a pod: `metadata.name`, `.namespace`,
/// `.uid`, a single label or annotation (`metadata.labels['app']`) or all of them
/// (`key="value"` lines); any other path resolves to nothing.
fn field_path_value(pod: &Value, path: &str) -> String {
    let meta = &pod["metadata"];
    for map in ["labels", "annotations"] {
        let prefix = format!("metadata.{map}['");
        if let Some(key) = path
            .strip_prefix(prefix.as_str())
            .and_then(|k| k.strip_suffix("']"))
        {
            return text(&meta[map][key]);
        }
        if path == format!("metadata.{map}") {
            return string_map(&meta[map])
                .unwrap_or_default()
                .iter()
                .map(|(k, v)| format!("{k}={}", go_quote(v)))
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    match path {
        "metadata.name" | "metadata.namespace" | "metadata.uid" => {
            text(&meta[path.trim_start_matches("metadata.")])
        }
        _ => String::new(),
    }
}

/// `resourcehelper.ExtractContainerResourceValue`: a container's request or limit of cpu,
/// memory or ephemeral-storage divided by the divisor (default 1) and rounded up.
fn resource_field_value(container: &Value, resource: &str, divisor: &str) -> String {
    let Some((list, name)) = resource.split_once('.') else {
        return String::new();
    };
    if !matches!(list, "limits" | "requests")
        || !matches!(name, "cpu" | "memory" | "ephemeral-storage")
    {
        return String::new();
    }
    let amount = Quantity::parse(&text(&container["resources"][list][name])).milli;
    let divisor = Quantity::parse(if divisor.is_empty() { "1" } else { divisor }).milli;
    let divisor = if divisor <= 0 { 1000 } else { divisor };
    // cpu divides milli-values; memory and storage divide whole values (rounded up first).
    let (amount, divisor) = if name == "cpu" {
        (amount, divisor)
    } else {
        (ceil_div(amount, 1000), ceil_div(divisor, 1000).max(1))
    };
    ceil_div(amount, divisor).to_string()
}

/// Integer division rounding up (towards positive infinity), as `math.Ceil` of the ratio.
fn ceil_div(a: i64, b: i64) -> i64 {
    let q = a.div_euclid(b);
    if a.rem_euclid(b) == 0 {
        q
    } else {
        q + 1
    }
}

/// `describeContainerVolumes`: mounts sorted by path, `path from volume (ro|rw[,path="sub"])`.
fn mounts(w: &mut Writer, list: &Value) {
    let mut items: Vec<&Value> = list
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if items.is_empty() {
        w.write(2, "Mounts:\t<none>\n");
        return;
    }
    w.write(2, "Mounts:\n");
    kplay_core::sort::sort_by(&mut items, |a, b| {
        text(&a["mountPath"]).cmp(&text(&b["mountPath"]))
    });
    for m in items {
        let mut flags = vec![if m["readOnly"].as_bool().unwrap_or(false) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if let Some(sub) = non_empty(&m["subPath"]) {
            // Go's %q.
            flags.push(format!("path={}", go_quote(&sub)));
        }
        w.write(
            3,
            &format!(
                "{} from {} ({})\n",
                text(&m["mountPath"]),
                text(&m["name"]),
                flags.join(",")
            ),
        );
    }
}

/// `describeVolumes`: each volume's name and source for the kinds a playground manifest
/// uses (hostPath, emptyDir, secret, configMap, persistentVolumeClaim, projected,
/// downwardAPI); any other source prints as `<unknown>`, as describe.go's default case.
pub(super) fn describe_volumes(w: &mut Writer, list: &Value, space: &str) {
    let items = list.as_array().map_or(&[][..], Vec::as_slice);
    if items.is_empty() {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in items {
        w.write(1, &format!("{name_indent}{}:\n", text(&v["name"])));
        let optional = |s: &Value| s["optional"].as_bool().unwrap_or(false);
        if v["hostPath"].is_object() {
            let h = &v["hostPath"];
            let kind = non_empty(&h["type"]).unwrap_or_else(|| "<none>".into());
            w.write(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                    text(&h["path"])
                ),
            );
        } else if v["emptyDir"].is_object() {
            let e = &v["emptyDir"];
            let size = Quantity::parse(&text(&e["sizeLimit"]));
            let size = if size.milli > 0 {
                size.to_string()
            } else {
                "<unset>".to_string()
            };
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    text(&e["medium"])
                ),
            );
        } else if v["secret"].is_object() {
            let s = &v["secret"];
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    text(&s["secretName"]),
                    optional(s)
                ),
            );
        } else if v["configMap"].is_object() {
            let c = &v["configMap"];
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    text(&c["name"]),
                    optional(c)
                ),
            );
        } else if v["persistentVolumeClaim"].is_object() {
            let c = &v["persistentVolumeClaim"];
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    text(&c["claimName"]),
                    c["readOnly"].as_bool().unwrap_or(false)
                ),
            );
        } else if v["downwardAPI"].is_object() {
            w.write(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in v["downwardAPI"]["items"].as_array().into_iter().flatten() {
                let path = text(&item["path"]);
                if item["fieldRef"].is_object() {
                    let field = text(&item["fieldRef"]["fieldPath"]);
                    w.write(3, &format!("{field} -> {path}\n"));
                }
                if item["resourceFieldRef"].is_object() {
                    let resource = text(&item["resourceFieldRef"]["resource"]);
                    w.write(3, &format!("{resource} -> {path}\n"));
                }
            }
        } else if v["projected"].is_object() {
            projected(w, &v["projected"]);
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

/// `printProjectedVolumeSource`: one entry per secret, downward API, config map or token.
fn projected(w: &mut Writer, p: &Value) {
    w.write(
        2,
        "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
    );
    for source in p["sources"].as_array().into_iter().flatten() {
        let optional = |s: &Value| s["optional"].as_bool().unwrap_or(false);
        if source["secret"].is_object() {
            let s = &source["secret"];
            w.write(
                2,
                &format!(
                    "SecretName:\t{}\n    Optional:\t{}\n",
                    text(&s["name"]),
                    optional(s)
                ),
            );
        } else if source["downwardAPI"].is_object() {
            w.write(2, "DownwardAPI:\ttrue\n");
        } else if source["configMap"].is_object() {
            let c = &source["configMap"];
            w.write(
                2,
                &format!(
                    "ConfigMapName:\t{}\n    Optional:\t{}\n",
                    text(&c["name"]),
                    optional(c)
                ),
            );
        } else if source["serviceAccountToken"].is_object() {
            w.write(
                2,
                &format!(
                    "TokenExpirationSeconds:\t{}\n",
                    text(&source["serviceAccountToken"]["expirationSeconds"])
                ),
            );
        }
    }
}

/// `describeTopologySpreadConstraints`: nothing when there are none, else sorted by key,
/// `key:WhenUnsatisfiable when max skew N is exceeded[ for selector k=v]`.
fn topology_spread_constraints(w: &mut Writer, list: &Value, space: &str) {
    let mut items: Vec<&Value> = list
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if items.is_empty() {
        return;
    }
    kplay_core::sort::sort_by(&mut items, |a, b| {
        text(&a["topologyKey"]).cmp(&text(&b["topologyKey"]))
    });
    w.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in items.into_iter().enumerate() {
        if i != 0 {
            w.write(0, &format!("{space}\t"));
        }
        w.write(
            0,
            &format!(
                "{}:{} when max skew {} is exceeded",
                text(&t["topologyKey"]),
                text(&t["whenUnsatisfiable"]),
                t["maxSkew"].as_i64().unwrap_or(0)
            ),
        );
        if let Some(labels) = string_map(&t["labelSelector"]["matchLabels"]) {
            let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            w.write(0, &format!(" for selector {}", pairs.join(",")));
        }
        w.write(0, "\n");
    }
}

/// `printTolerationsMultilineWithIndent`: `key[=value][:effect][ op=Exists][ for Ns]`, sorted
/// by key, or `<none>`.
pub(super) fn tolerations_multiline(w: &mut Writer, title: &str, list: &Value) {
    w.write(0, &format!("{title}:\t"));
    let mut items: Vec<&Value> = list
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if items.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    kplay_core::sort::sort_by(&mut items, |a, b| text(&a["key"]).cmp(&text(&b["key"])));
    for (i, t) in items.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let key = text(&t["key"]);
        let value = text(&t["value"]);
        let effect = text(&t["effect"]);
        let mut line = key.clone();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if text(&t["operator"]) == "Exists" && value.is_empty() {
            line.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(seconds) = t["tolerationSeconds"].as_i64() {
            line.push_str(&format!(" for {seconds}s"));
        }
        w.write(0, &format!("{line}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(f: impl FnOnce(&mut Writer)) -> String {
        let mut w = Writer::default();
        f(&mut w);
        w.text
    }

    #[test]
    fn pod_template_as_describe_prints_it() {
        // describe.go DescribePodTemplate through a bare PrefixWriter (raw tabs), as
        // `kubectl rollout history deployment/nginx --revision=1` prints it.
        let template = json!({
            "metadata": {"labels": {"app": "web", "pod-template-hash": "abc"},
                         "annotations": {"kubernetes.io/change-cause": "v2"}},
            "spec": {"containers": [{
                "name": "nginx", "image": "nginx:1.25",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "env": [{"name": "MODE", "value": "prod"}],
                "volumeMounts": [{"name": "cache", "mountPath": "/cache"}],
                "readinessProbe": {"httpGet": {"path": "/", "port": 80, "scheme": "HTTP"},
                    "timeoutSeconds": 1, "periodSeconds": 5, "successThreshold": 1,
                    "failureThreshold": 3}
            }], "volumes": [{"name": "cache", "emptyDir": {}}]}
        });
        assert_eq!(
            written(|w| describe_pod_template(w, Some(&template))),
            "Pod Template:\n  Labels:\tapp=web\n\tpod-template-hash=abc\n  Annotations:\tkubernetes.io/change-cause: v2\n  Containers:\n   nginx:\n    Image:\tnginx:1.25\n    Port:\t80/TCP\n    Host Port:\t0/TCP\n    Readiness:\thttp-get http://:80/ delay=0s timeout=1s period=5s #success=1 #failure=3\n    Environment:\n      MODE:\tprod\n    Mounts:\n      /cache from cache (rw)\n  Volumes:\n   cache:\n    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t\n    SizeLimit:\t<unset>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n"
        );
        assert_eq!(
            written(|w| describe_pod_template(w, None)),
            "Pod Template:\n  <unset>"
        );
    }

    #[test]
    fn probes_as_describe_probe_prints_them() {
        let attrs = json!({"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1,
                           "failureThreshold": 3});
        let with = |action: Value| {
            let mut p = attrs.clone();
            if let (Some(p), Some(a)) = (p.as_object_mut(), action.as_object()) {
                p.extend(a.clone());
            }
            p
        };
        let cases = [
            (
                with(json!({"httpGet": {"path": "/", "port": 5000, "scheme": "HTTP"}})),
                "http-get http://:5000/ delay=0s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                with(json!({"httpGet": {"path": "healthz", "port": "http", "host": "::1",
                            "scheme": "HTTPS"}, "initialDelaySeconds": 5})),
                "http-get https://[::1]:http/healthz delay=5s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                with(json!({"exec": {"command": ["cat", "/tmp/healthy"]}})),
                "exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                with(json!({"tcpSocket": {"port": 80}})),
                "tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=3",
            ),
            (
                json!({}),
                "unknown delay=0s timeout=0s period=0s #success=0 #failure=0",
            ),
        ];
        for (probe, want) in cases {
            assert_eq!(describe_probe(&probe), want, "{probe}");
        }
    }

    #[test]
    fn environment_as_describe_container_env_vars_prints_it() {
        let container = json!({
            "resources": {"limits": {"memory": "128Mi"}, "requests": {"cpu": "250m"}},
            "env": [
                {"name": "A", "value": "one\ntwo"},
                {"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                {"name": "APP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.labels['app']"}}},
                {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}},
                {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                {"name": "CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                {"name": "C", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k", "optional": true}}}
            ]
        });
        let pod = json!({"metadata": {"name": "web-1", "labels": {"app": "web"}}});
        let want = "    Environment:\n      A:\tone\n      \ttwo\n      POD:\tweb-1 (v1:metadata.name)\n      APP:\tweb (v1:metadata.labels['app'])\n      CPU:\t250 (requests.cpu)\n      MEM:\t128 (limits.memory)\n      CPU_LIMIT:\tnode allocatable (limits.cpu)\n      PW:\t<set to the key 'password' in secret 'db'>\tOptional: false\n      C:\t<set to the key 'k' of config map 'cfg'>\tOptional: true\n";
        assert_eq!(written(|w| env_vars(w, &container, Some(&pod))), want);
        // A template has no pod to resolve field references from.
        let template = json!({"env": [{"name": "POD", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}]});
        assert_eq!(
            written(|w| env_vars(w, &template, None)),
            "    Environment:\n      POD:\t (v1:metadata.name)\n"
        );
        assert_eq!(
            written(|w| env_vars(w, &json!({}), None)),
            "    Environment:\t<none>\n"
        );
    }

    #[test]
    fn mounts_and_volumes_as_describe_prints_them() {
        let mounts_list = json!([
            {"name": "data", "mountPath": "/var/data", "subPath": "app"},
            {"name": "cfg", "mountPath": "/etc/cfg", "readOnly": true}
        ]);
        assert_eq!(
            written(|w| mounts(w, &mounts_list)),
            "    Mounts:\n      /etc/cfg from cfg (ro)\n      /var/data from data (rw,path=\"app\")\n"
        );
        let volumes = json!([
            {"name": "cfg", "configMap": {"name": "settings"}},
            {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
            {"name": "odd", "nfs": {"server": "x"}}
        ]);
        assert_eq!(
            written(|w| describe_volumes(w, &volumes, "")),
            "Volumes:\n  cfg:\n    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\tsettings\n    Optional:\tfalse\n  tmp:\n    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\tMemory\n    SizeLimit:\t64Mi\n  odd:\n  <unknown>\n"
        );
    }

    #[test]
    fn tolerations_as_describe_prints_them() {
        let list = json!([
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"},
            {"operator": "Exists"}
        ]);
        assert_eq!(
            written(|w| tolerations_multiline(w, "Tolerations", &list)),
            "Tolerations:\top=Exists\n\tdedicated=gpu:NoSchedule\n\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        );
    }
}
