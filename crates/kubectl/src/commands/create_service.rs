//! `kubectl create service clusterip|nodeport|loadbalancer|externalname NAME`, as kubectl
//! v1.32's `pkg/cmd/create/create_service.go` builds the Service: selector and labels
//! `app: NAME`, one TCP port per `--tcp=port[:targetPort]` named after the spec.

use super::create::{create_or_dry_run, dry_run, output_ok};
use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::Kind;
use serde_json::{json, Map, Value};

/// The flags every `create service` subcommand has.
const COMMON_FLAGS: &[Flag] = &[
    Flag::long("tcp", FlagType::String),
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

/// The subcommands: the word, the Service type, and the flags only that subcommand has.
const SUBCOMMANDS: &[(&str, &str, &[Flag])] = &[
    (
        "clusterip",
        "ClusterIP",
        &[Flag::long("clusterip", FlagType::String)],
    ),
    (
        "externalname",
        "ExternalName",
        &[Flag::long("external-name", FlagType::String)],
    ),
    ("loadbalancer", "LoadBalancer", &[]),
    (
        "nodeport",
        "NodePort",
        &[Flag::long("node-port", FlagType::Int)],
    ),
];

const HELP: &str = "Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]
";

/// Runs `kubectl create service ...`; `args` are the words after `service`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let Some(i) = subcommand_index(args) else {
        if args.iter().any(|a| a == "-h" || a == "--help") || args.is_empty() {
            ctx.out.out(HELP);
        } else {
            // `create service` itself has no flags.
            let _ = parse_flags(ctx, args, &[], "kubectl create service", HELP);
        }
        return;
    };
    let word = args[i].as_str();
    let Some((sub, service_type, own_flags)) = SUBCOMMANDS.iter().find(|(w, _, _)| *w == word)
    else {
        // kubectl's `DefaultSubCommandRun`: `RequireNoArguments` names every word.
        let words: Vec<&str> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .map(String::as_str)
            .collect();
        ctx.out.fail(&errors::usage_examples(
            "kubectl create service",
            &format!("unknown command \"{}\"", words.join(" ")),
        ));
        return;
    };
    let mut rest = args[..i].to_vec();
    rest.extend_from_slice(&args[i + 1..]);
    let flags_of: Vec<Flag> = COMMON_FLAGS
        .iter()
        .chain(own_flags.iter())
        .copied()
        .collect();
    let path = format!("kubectl create service {sub}");
    let help = format!(
        "Create a {service_type} service with the specified name.\n\nUsage:\n  {path} NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]\n"
    );
    let Some(flags) = parse_flags(ctx, &rest, &flags_of, &path, &help) else {
        return;
    };
    let [name] = flags.positional.as_slice() else {
        ctx.out.fail(&errors::usage_examples(
            &path,
            &format!(
                "exactly one NAME is required, got {}",
                flags.positional.len()
            ),
        ));
        return;
    };
    let external_name = flags.value("external-name").unwrap_or("");
    if *service_type == "ExternalName" && flags.value("external-name").is_none() {
        ctx.out
            .fail(&errors::plain("required flag(s) \"external-name\" not set"));
        return;
    }
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    if !output_ok(ctx, flags.value("output").unwrap_or("")) {
        return;
    }
    // pflag's StringSlice: every `--tcp` value, split at commas.
    let tcp: Vec<&str> = flags
        .values("tcp")
        .iter()
        .flat_map(|v| v.split(','))
        .collect();
    let cluster_ip = flags.value("clusterip").unwrap_or("");
    // ServiceOptions.Validate, in its order.
    if cluster_ip != "None" && tcp.is_empty() && *service_type != "ExternalName" {
        ctx.out.fail(&errors::plain(
            "at least one tcp port specifier must be provided",
        ));
        return;
    }
    if *service_type == "ExternalName" && !is_dns1123_subdomain(external_name) {
        ctx.out.fail(&errors::plain(&format!(
            "invalid service external name {external_name}"
        )));
        return;
    }
    let node_port = flags.int("node-port").unwrap_or(0);
    let mut ports = Vec::new();
    for spec in &tcp {
        match service_port(spec, node_port) {
            Ok(port) => ports.push(port),
            Err(e) => {
                ctx.out.fail(&errors::plain(&e));
                return;
            }
        }
    }
    let mut spec = Map::new();
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    if !external_name.is_empty() {
        spec.insert("externalName".into(), json!(external_name));
    }
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!({ "app": name }));
    spec.insert("type".into(), json!(service_type));
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"labels": {"app": name}, "name": name, "namespace": flags.namespace()},
        "spec": spec,
        // Go serialises the empty ServiceStatus with its LoadBalancerStatus struct.
        "status": {"loadBalancer": {}},
    });
    create_or_dry_run(ctx, Kind::Service, manifest, &flags, dry);
}

/// Where the subcommand word is among `args`, skipping the values of flags given as a
/// separate word (`-n team clusterip web`).
fn subcommand_index(args: &[String]) -> Option<usize> {
    const TAKES_VALUE: &[&str] = &[
        "-n",
        "--namespace",
        "-o",
        "--output",
        "--tcp",
        "--dry-run",
        "--clusterip",
        "--node-port",
        "--external-name",
    ];
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if !arg.starts_with('-') {
            return Some(i);
        }
        i += if TAKES_VALUE.contains(&arg.as_str()) {
            2
        } else {
            1
        };
    }
    None
}

/// One `--tcp` spec as `createService` turns it into a ServicePort: the name is the spec
/// with `:` replaced by `-`; the port is parsed as `strconv.ParseUint(s, 10, 16)` and not
/// range-checked (the server does that); a numeric targetPort must be 1-65535
/// (`IsValidPortNum`), a named one a valid port name (`IsValidPortName`).
fn service_port(spec: &str, node_port: i64) -> Result<Value, String> {
    let mut parts = spec.split(':');
    let port = parse_uint16(parts.next().unwrap_or(""))?;
    let target = match parts.next() {
        // Without a target, the target is the port itself, unchecked.
        None => json!(port),
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1..=65535).contains(&n) => json!(n),
            Ok(_) => return Err("must be between 1 and 65535, inclusive".to_string()),
            Err(_) => {
                let errs = kplay_core::api::validation::port_name_errors(text);
                if !errs.is_empty() {
                    return Err(errs.join(","));
                }
                json!(text)
            }
        },
    };
    let mut out = json!({
        "name": spec.replace(':', "-"),
        "port": port,
        "protocol": "TCP",
        "targetPort": target,
    });
    if node_port != 0 {
        out["nodePort"] = json!(node_port);
    }
    Ok(out)
}

/// Go's `strconv.ParseUint(text, 10, 16)` with its error text.
fn parse_uint16(text: &str) -> Result<u16, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing \"{text}\": invalid syntax"
        ));
    }
    text.parse::<u16>()
        .map_err(|_| format!("strconv.ParseUint: parsing \"{text}\": value out of range"))
}

/// apimachinery's `IsDNS1123Subdomain`: at most 253 characters of dot-separated lower-case
/// alphanumeric labels that may contain inner hyphens.
fn is_dns1123_subdomain(name: &str) -> bool {
    name.len() <= 253
        && !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--tcp` specs and what the local kubectl v1.32.4 builds from them
    /// (`kubectl create service clusterip x --tcp=SPEC --dry-run=client -o yaml`).
    #[test]
    fn tcp_specs_as_kubectl_parses_them() {
        let cases: &[(&str, Result<Value, &str>)] = &[
            ("80", Ok(json!({"name": "80", "port": 80, "protocol": "TCP", "targetPort": 80}))),
            (
                "80:8080",
                Ok(json!({"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080})),
            ),
            (
                "80:8080:9",
                Ok(json!({"name": "80-8080-9", "port": 80, "protocol": "TCP", "targetPort": 8080})),
            ),
            (
                "80:http",
                Ok(json!({"name": "80-http", "port": 80, "protocol": "TCP", "targetPort": "http"})),
            ),
            ("080", Ok(json!({"name": "080", "port": 80, "protocol": "TCP", "targetPort": 80}))),
            ("80:08", Ok(json!({"name": "80-08", "port": 80, "protocol": "TCP", "targetPort": 8}))),
            ("0", Ok(json!({"name": "0", "port": 0, "protocol": "TCP", "targetPort": 0}))),
            ("abc", Err("strconv.ParseUint: parsing \"abc\": invalid syntax")),
            (":80", Err("strconv.ParseUint: parsing \"\": invalid syntax")),
            ("70000", Err("strconv.ParseUint: parsing \"70000\": value out of range")),
            ("80:0", Err("must be between 1 and 65535, inclusive")),
            ("80:-5", Err("must be between 1 and 65535, inclusive")),
            ("80:65536", Err("must be between 1 and 65535, inclusive")),
            (
                "80:Http",
                Err("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
            ),
            (
                "80:",
                Err("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-),must contain at least one letter (a-z)"),
            ),
        ];
        for (spec, want) in cases {
            let got = service_port(spec, 0);
            assert_eq!(got, want.clone().map_err(str::to_string), "{spec}");
        }
        let with_node_port = service_port("80", 30080).unwrap_or_default();
        assert_eq!(with_node_port["nodePort"], json!(30080));
    }

    #[test]
    fn external_names_are_dns_subdomains() {
        let cases: &[(&str, bool)] = &[
            ("example.com", true),
            ("my-db.team.svc.cluster.local", true),
            ("Bad_Name", false),
            ("-a.com", false),
            ("a..com", false),
            ("", false),
        ];
        for (name, want) in cases {
            assert_eq!(is_dns1123_subdomain(name), *want, "{name}");
        }
    }
}
