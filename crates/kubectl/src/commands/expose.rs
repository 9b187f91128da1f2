//! `kubectl expose TYPE NAME`: a Service for the pods an existing object selects, as kubectl
//! v1.32's `pkg/cmd/expose/expose.go` (`RunExpose`, `createService`) derives it with the
//! polymorphic helpers `canbeexposed.go`, `mapbasedselectorforobject.go`,
//! `portsforobject.go` and `protocolsforobject.go`.

use super::create::{create_reporting, dry_run, output_ok};
use super::{parse_flags, read_manifest, selection, Context, NO_RESOURCES};
use crate::args::{Flag, FlagType, Parsed};
use crate::errors;
use crate::manifest;
use kplay_core::api::ObjectKey;
use kplay_core::vecmap::VecMap;
use kplay_core::{ApiError, Kind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const FLAGS: &[Flag] = &[
    Flag::short("filename", 'f', FlagType::String),
    Flag::long("port", FlagType::String),
    Flag::long("target-port", FlagType::String),
    Flag::long("type", FlagType::String),
    Flag::long("name", FlagType::String),
    Flag::long("protocol", FlagType::String),
    Flag::long("selector", FlagType::String),
    Flag::short("labels", 'l', FlagType::String),
    Flag::long("cluster-ip", FlagType::String),
    Flag::long("external-ip", FlagType::String),
    Flag::long("session-affinity", FlagType::String),
    Flag::long("load-balancer-ip", FlagType::String),
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

const HELP: &str = "Expose a resource as a new Kubernetes service.

Possible resources include (case insensitive):

 pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)

Usage:
  kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]
";

/// Runs `kubectl expose`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl expose", HELP) else {
        return;
    };
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    if !output_ok(ctx, flags.value("output").unwrap_or("")) {
        return;
    }
    let objects = match flags.value("filename") {
        Some(file) => from_file(ctx, file),
        None => from_names(ctx, &flags),
    };
    for object in objects {
        match object.and_then(|(kind, object)| service_for(kind, &object, &flags)) {
            Ok(manifest) => {
                create_reporting(ctx, Kind::Service, manifest, &flags, dry, "exposed");
            }
            Err(e) => ctx.out.fail(&e),
        }
    }
}

/// One object to expose, or the error kubectl prints in its place.
type Exposed = Result<(Kind, Value), String>;

/// The objects `TYPE NAME...` or `TYPE/NAME...` name, read from the cluster.
fn from_names(ctx: &mut Context<'_>, flags: &Parsed) -> Vec<Exposed> {
    let Some(selection) = selection(ctx, &flags.positional) else {
        return Vec::new();
    };
    if selection.types.is_empty() {
        ctx.out.fail(NO_RESOURCES);
        return Vec::new();
    }
    for word in &selection.types {
        if crate::resource::kind_of(word).is_none() {
            ctx.out.fail(&crate::resource::unknown_type_error(word));
            return Vec::new();
        }
    }
    if selection.names.is_empty() {
        ctx.out
            .fail("error: resource(s) were provided, but no name was specified\n");
        return Vec::new();
    }
    let store = ctx.cluster.store();
    selection
        .names
        .iter()
        .filter_map(|(word, name)| {
            let kind = crate::resource::kind_of(word)?;
            let key = ObjectKey::new(kind, flags.namespace(), name);
            Some(match store.get_object(&key) {
                Some(object) => Ok((kind, object.to_json())),
                None => Err(errors::api_error(&ApiError::not_found(kind, name))),
            })
        })
        .collect()
}

/// The objects of a manifest (`-f FILE`), as the file has them: kubectl's builder reads
/// files without asking the server for the objects.
fn from_file(ctx: &mut Context<'_>, file: &str) -> Vec<Exposed> {
    let Some((source, text)) = read_manifest(ctx, file) else {
        return Vec::new();
    };
    let (documents, parse_error) = manifest::parse(&text);
    let mut objects: Vec<Exposed> = documents
        .into_iter()
        .map(|document| {
            let value = document.value;
            let text = |k: &str| value.get(k).and_then(Value::as_str).unwrap_or("");
            let (api_version, kind_name) = (text("apiVersion"), text("kind"));
            match Kind::from_name(kind_name).filter(|k| k.api_version() == api_version) {
                Some(kind) => Ok((kind, value)),
                None => Err(errors::plain(&format!(
                    "unable to recognize \"{source}\": no matches for kind \"{kind_name}\" in version \"{api_version}\""
                ))),
            }
        })
        .collect();
    if let Some(e) = parse_error {
        objects.push(Err(errors::plain(&format!("error parsing {source}: {e}"))));
    }
    objects
}

/// The Service `kubectl expose` sends for `object`, or kubectl's error for it.
fn service_for(kind: Kind, object: &Value, flags: &Parsed) -> Result<Value, String> {
    service_manifest(kind, object, flags).map_err(|e| errors::plain(&e))
}

/// [`service_for`] with the error's bare text.
fn service_manifest(kind: Kind, object: &Value, flags: &Parsed) -> Result<Value, String> {
    // CanBeExposed: Pod, Service, ReplicationController, Deployment, ReplicaSet.
    if !matches!(
        kind,
        Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet
    ) {
        return Err(format!("cannot expose a {}", kind.name()));
    }
    let selector_flag = flags.value("selector").unwrap_or("");
    let derived_selector = if selector_flag.is_empty() {
        Some(map_based_selector(kind, object).map_err(|e| {
            format!("couldn't retrieve selectors via --selector flag or introspection: {e}")
        })?)
    } else {
        None
    };
    let cluster_ip = flags.value("cluster-ip").unwrap_or("");
    let port_flag = flags.value("port").unwrap_or("");
    let ports: Vec<String> = if port_flag.is_empty() {
        let found = ports_for_object(kind, object);
        if found.is_empty() && cluster_ip != "None" {
            return Err("couldn't find port via --port flag or introspection".to_string());
        }
        found
    } else {
        port_flag.split(',').map(str::to_string).collect()
    };
    // `createService` parses --selector and --labels only after the introspection.
    let selector = match derived_selector {
        Some(selector) => selector,
        None => parse_labels(selector_flag)?,
    };
    let labels_flag = flags.value("labels").unwrap_or("");
    let labels = if labels_flag.is_empty() {
        string_map(object.pointer("/metadata/labels"))
    } else {
        parse_labels(labels_flag)?
    };
    // `createService`: the name is --name or the object's, cut to a DNS-1035 label's 63.
    let name = match flags.value("name").filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .chars()
            .take(63)
            .collect(),
    };
    let mut service_ports = service_ports(
        &ports,
        flags.value("protocol").unwrap_or(""),
        &protocols_for_object(kind, object),
    )?;
    let target = flags.value("target-port").unwrap_or("");
    for port in &mut service_ports {
        port["targetPort"] = if target.is_empty() {
            port["port"].clone()
        } else {
            target
                .parse::<i64>()
                .map_or_else(|_| json!(target), |n| json!(n))
        };
    }
    let mut spec = Map::new();
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    if let Some(ip) = flags.value("external-ip").filter(|ip| !ip.is_empty()) {
        spec.insert("externalIPs".into(), json!([ip]));
    }
    if !service_ports.is_empty() {
        spec.insert("ports".into(), Value::Array(service_ports));
    }
    spec.insert("selector".into(), json!(selector));
    match flags.value("session-affinity").unwrap_or("") {
        "" => {}
        affinity @ ("None" | "ClientIP") => {
            spec.insert("sessionAffinity".into(), json!(affinity));
        }
        other => return Err(format!("unknown session affinity: {other}")),
    }
    if let Some(service_type) = flags.value("type").filter(|t| !t.is_empty()) {
        spec.insert("type".into(), json!(service_type));
        let ip = flags.value("load-balancer-ip").unwrap_or("");
        if service_type == "LoadBalancer" && !ip.is_empty() {
            spec.insert("loadBalancerIP".into(), json!(ip));
        }
    }
    let mut metadata = Map::new();
    if !labels.is_empty() {
        metadata.insert("labels".into(), json!(labels));
    }
    metadata.insert("name".into(), json!(name));
    metadata.insert("namespace".into(), json!(flags.namespace()));
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": spec,
        "status": {"loadBalancer": {}},
    }))
}

/// `MapBasedSelectorForObject`: a pod's labels, a Service's selector, a Deployment's or
/// ReplicaSet's matchLabels (which must come without matchExpressions).
fn map_based_selector(kind: Kind, object: &Value) -> Result<BTreeMap<String, String>, String> {
    match kind {
        Kind::Pod => {
            let labels = string_map(object.pointer("/metadata/labels"));
            if labels.is_empty() {
                return Err("the pod has no labels and cannot be exposed".to_string());
            }
            Ok(labels)
        }
        Kind::Service => match object.pointer("/spec/selector") {
            Some(Value::Object(_)) => Ok(string_map(object.pointer("/spec/selector"))),
            _ => Err("the service has no pod selector set".to_string()),
        },
        _ => {
            let expressions = object
                .pointer("/spec/selector/matchExpressions")
                .and_then(Value::as_array)
                .filter(|e| !e.is_empty());
            if let Some(expressions) = expressions {
                return Err(format!(
                    "couldn't convert expressions - \"{}\" to map-based selector format",
                    go_requirements(expressions)
                ));
            }
            Ok(string_map(object.pointer("/spec/selector/matchLabels")))
        }
    }
}

/// Go's `%+v` of `[]LabelSelectorRequirement`:
/// `[{Key:tier Operator:In Values:[a b]} {Key:x Operator:Exists Values:[]}]`.
fn go_requirements(expressions: &[Value]) -> String {
    let items: Vec<String> = expressions
        .iter()
        .map(|e| {
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            format!(
                "{{Key:{} Operator:{} Values:[{}]}}",
                text("key"),
                text("operator"),
                values.join(" ")
            )
        })
        .collect();
    format!("[{}]", items.join(" "))
}

/// The containers of a pod or of a pod template.
fn containers(kind: Kind, object: &Value) -> Vec<&Value> {
    let pointer = if kind == Kind::Pod {
        "/spec/containers"
    } else {
        "/spec/template/spec/containers"
    };
    object
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default()
}

/// `(port, protocol)` of every declared port: container ports, or a Service's ports.
fn declared_ports(kind: Kind, object: &Value) -> Vec<(String, String)> {
    let entries: Vec<&Value> = if kind == Kind::Service {
        object
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .map(|p| p.iter().collect())
            .unwrap_or_default()
    } else {
        containers(kind, object)
            .into_iter()
            .filter_map(|c| c.get("ports").and_then(Value::as_array))
            .flatten()
            .collect()
    };
    let number = if kind == Kind::Service {
        "port"
    } else {
        "containerPort"
    };
    entries
        .into_iter()
        .filter_map(|p| {
            let port = p.get(number).and_then(Value::as_i64)?;
            let protocol = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            Some((port.to_string(), protocol.to_string()))
        })
        .collect()
}

/// `PortsForObject`: each declared port number once, in order.
fn ports_for_object(kind: Kind, object: &Value) -> Vec<String> {
    let mut ports: Vec<String> = Vec::new();
    for (port, _) in declared_ports(kind, object) {
        if !ports.contains(&port) {
            ports.push(port);
        }
    }
    ports
}

/// `ProtocolsForObject`: each port's protocols, in order (a port may serve TCP and UDP).
fn protocols_for_object(kind: Kind, object: &Value) -> VecMap<String, Vec<String>> {
    let mut map: VecMap<String, Vec<String>> = VecMap::new();
    for (port, protocol) in declared_ports(kind, object) {
        let list = map.entry_or_default(port);
        if !list.contains(&protocol) {
            list.push(protocol);
        }
    }
    map
}

/// `createService`'s ports: several ports are named `port-1`, `port-2`...; `--protocol`
/// applies to all; otherwise each port takes the exposed object's protocol for it (TCP if
/// none), and a port with several protocols becomes one entry per protocol named
/// `port-N-udp`, `port-N-tcp`. Port numbers are parsed as Go's `strconv.Atoi`.
fn service_ports(
    ports: &[String],
    protocol_flag: &str,
    protocols: &VecMap<String, Vec<String>>,
) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for (i, text) in ports.iter().enumerate() {
        let port: i64 = text
            .parse()
            .map_err(|_| format!("strconv.Atoi: parsing \"{text}\": invalid syntax"))?;
        let name = (ports.len() > 1).then(|| format!("port-{}", i + 1));
        let found = protocols.get(text).filter(|_| protocol_flag.is_empty());
        let chosen = match found.map(Vec::as_slice) {
            _ if !protocol_flag.is_empty() => protocol_flag.to_string(),
            Some([one]) => one.clone(),
            Some(several @ [_, _, ..]) => {
                for protocol in several {
                    out.push(json!({
                        "name": format!("port-{}-{}", i + 1, protocol.to_ascii_lowercase()),
                        "port": port,
                        "protocol": protocol,
                    }));
                }
                continue;
            }
            _ => "TCP".to_string(),
        };
        let mut entry = json!({"port": port, "protocol": chosen});
        if let Some(name) = name {
            entry["name"] = json!(name);
        }
        out.push(entry);
    }
    Ok(out)
}

/// expose.go's `parseLabels`: `k=v,k=v` with exactly one `=` in each pair, unvalidated.
fn parse_labels(spec: &str) -> Result<BTreeMap<String, String>, String> {
    let mut labels = BTreeMap::new();
    for pair in spec.split(',') {
        let parts: Vec<&str> = pair.split('=').collect();
        let [key, value] = parts.as_slice() else {
            return Err(format!("unexpected label spec: {pair}"));
        };
        if key.is_empty() {
            return Err("unexpected empty label key".to_string());
        }
        labels.insert((*key).to_string(), (*value).to_string());
    }
    Ok(labels)
}

/// A JSON string map (labels, a selector) as a sorted map.
fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            kplay_core::collect::map(
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))),
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ports and protocols as the local kubectl v1.32.4 exposes them
    /// (`kubectl expose -f FILE --dry-run=client -o yaml`).
    #[test]
    fn ports_as_kubectl_expose_derives_them() {
        let pod = json!({"spec": {"containers": [
            {"ports": [{"containerPort": 80}, {"containerPort": 443, "protocol": "TCP"}]},
            {"ports": [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 53, "protocol": "TCP"}]},
        ]}});
        let ports = ports_for_object(Kind::Pod, &pod);
        assert_eq!(ports, ["80", "443", "53"]);
        let protocols = protocols_for_object(Kind::Pod, &pod);
        let cases: &[(&[&str], &str, Value)] = &[
            (
                &["80", "443", "53"],
                "",
                json!([
                    {"name": "port-1", "port": 80, "protocol": "TCP"},
                    {"name": "port-2", "port": 443, "protocol": "TCP"},
                    {"name": "port-3-udp", "port": 53, "protocol": "UDP"},
                    {"name": "port-3-tcp", "port": 53, "protocol": "TCP"},
                ]),
            ),
            (
                &["80", "443", "53"],
                "SCTP",
                json!([
                    {"name": "port-1", "port": 80, "protocol": "SCTP"},
                    {"name": "port-2", "port": 443, "protocol": "SCTP"},
                    {"name": "port-3", "port": 53, "protocol": "SCTP"},
                ]),
            ),
            (&["80"], "", json!([{"port": 80, "protocol": "TCP"}])),
            (&["8080"], "", json!([{"port": 8080, "protocol": "TCP"}])),
            (&["80"], "UDP", json!([{"port": 80, "protocol": "UDP"}])),
        ];
        for (ports, protocol, want) in cases {
            let ports: Vec<String> = ports.iter().map(|p| p.to_string()).collect();
            let got = service_ports(&ports, protocol, &protocols);
            assert_eq!(
                got,
                Ok(want.as_array().cloned().unwrap_or_default()),
                "{ports:?} {protocol}"
            );
        }
        assert_eq!(
            service_ports(&["abc".to_string()], "", &protocols),
            Err("strconv.Atoi: parsing \"abc\": invalid syntax".to_string())
        );
    }

    #[test]
    fn selectors_as_kubectl_expose_derives_them() {
        let expressions = json!({"spec": {"selector": {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}],
        }}});
        assert_eq!(
            map_based_selector(Kind::Deployment, &expressions),
            Err("couldn't convert expressions - \"[{Key:tier Operator:In Values:[a]}]\" to map-based selector format".to_string())
        );
        assert_eq!(
            map_based_selector(Kind::Pod, &json!({"metadata": {}})),
            Err("the pod has no labels and cannot be exposed".to_string())
        );
        assert_eq!(
            map_based_selector(Kind::Service, &json!({"spec": {}})),
            Err("the service has no pod selector set".to_string())
        );
        assert_eq!(parse_labels("a=b,c=d").map(|m| m.len()), Ok(2));
        assert_eq!(
            parse_labels("bad"),
            Err("unexpected label spec: bad".to_string())
        );
        assert_eq!(parse_labels("a!=b").map(|m| m.contains_key("a!")), Ok(true));
    }
}
