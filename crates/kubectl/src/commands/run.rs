//! `kubectl run NAME --image=IMAGE`: a bare Pod (no controller), as kubectl v1.32's
//! `pkg/cmd/run/run.go` builds it: label `run=NAME` unless `--labels`, one container named
//! NAME, `--port` as its containerPort, `--env`, the arguments after `--` as args (or as
//! the command with `--command`), `restartPolicy` from `--restart` (default Always) and
//! `dnsPolicy: ClusterFirst`. Attaching (`-i`, `-t`, `--rm`) needs a terminal, which kplay
//! has not; those flags are unknown here.

use super::create::{create_or_dry_run, dry_run, output_ok};
use super::{parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::Kind;
use serde_json::{json, Map, Value};

const FLAGS: &[Flag] = &[
    Flag::long("image", FlagType::String),
    Flag::long("port", FlagType::String),
    Flag::short("labels", 'l', FlagType::String),
    Flag::long("env", FlagType::String),
    Flag::long("restart", FlagType::String),
    Flag::long("command", FlagType::Bool),
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

const HELP: &str = "Create and run a particular image in a pod.

Usage:
  kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--labels=k=v,...] [--restart=Always|OnFailure|Never] [--dry-run=server|client] [-o yaml] [--command] -- [COMMAND] [args...]
";

/// Runs `kubectl run`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    // Words after `--` are the container's arguments, not kubectl's (`ArgsLenAtDash`).
    let dash = args.iter().position(|a| a == "--");
    let (own, container_args) = match dash {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    let Some(flags) = parse_flags(ctx, own, FLAGS, "kubectl run", HELP) else {
        return;
    };
    let Some(name) = flags.positional.first().cloned() else {
        ctx.out.fail(&errors::plain("NAME is required for run"));
        return;
    };
    let mut arguments: Vec<String> = flags.positional[1..].to_vec();
    arguments.extend_from_slice(container_args);
    match pod_manifest(&name, &flags, &arguments) {
        Ok(manifest) => {
            let Some(dry) = dry_run(ctx, &flags) else {
                return;
            };
            if !output_ok(ctx, flags.value("output").unwrap_or("")) {
                return;
            }
            create_or_dry_run(ctx, Kind::Pod, manifest, &flags, dry);
        }
        Err(e) => ctx.out.fail(&errors::plain(&e)),
    }
}

/// The Pod `kubectl run` sends, or the error its `Complete`/`Validate` give.
fn pod_manifest(
    name: &str,
    flags: &crate::args::Parsed,
    arguments: &[String],
) -> Result<Value, String> {
    let labels = parse_labels(flags.value("labels").unwrap_or(""))?;
    let env = parse_envs(flags.values("env"))?;
    let restart = match flags.value("restart").unwrap_or("Always") {
        "" => "Always",
        policy @ ("Always" | "OnFailure" | "Never") => policy,
        other => {
            return Err(format!(
                "invalid restart policy: {other}, valid values are: Always, OnFailure, Never"
            ))
        }
    };
    let image = flags.value("image").unwrap_or("");
    if image.is_empty() {
        return Err("--image is required".into());
    }
    if !valid_image_reference(image) {
        return Err(format!(
            "invalid image name \"{image}\": invalid reference format"
        ));
    }
    let port = match flags.value("port").filter(|p| !p.is_empty()) {
        Some(p) => Some(
            p.parse::<i32>()
                .map_err(|_| "--port must be a number".to_string())?,
        ),
        None => None,
    };
    let labels = if labels.is_empty() {
        let mut run = Map::new();
        run.insert("run".into(), json!(name));
        run
    } else {
        labels
    };
    let mut container = Map::new();
    container.insert("name".into(), json!(name));
    container.insert("image".into(), json!(image));
    container.insert("resources".into(), json!({}));
    if !env.is_empty() {
        container.insert("env".into(), Value::Array(env));
    }
    if !arguments.is_empty() {
        let field = if flags.bool("command", false) {
            "command"
        } else {
            "args"
        };
        container.insert(field.into(), json!(arguments));
    }
    if let Some(port) = port {
        container.insert("ports".into(), json!([{"containerPort": port}]));
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"labels": labels, "name": name, "namespace": flags.namespace()},
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
    }))
}

/// run.go `parseLabels`: `k=v,k2=v2`.
fn parse_labels(text: &str) -> Result<Map<String, Value>, String> {
    let mut labels = Map::new();
    if text.is_empty() {
        return Ok(labels);
    }
    for spec in text.split(',') {
        let parts: Vec<&str> = spec.split('=').collect();
        let [key, value] = parts.as_slice() else {
            return Err(format!("unexpected label spec: {spec}"));
        };
        if key.is_empty() {
            return Err("unexpected empty label key".into());
        }
        labels.insert((*key).to_string(), json!(value));
    }
    Ok(labels)
}

/// run.go `parseEnvs`: `NAME=value`, NAME a C identifier (`validation.IsEnvVarName`
/// also allows `-` and `.`, but not a leading digit).
fn parse_envs(envs: &[String]) -> Result<Vec<Value>, String> {
    envs.iter()
        .map(|env| {
            let (name, value) = env
                .split_once('=')
                .ok_or_else(|| format!("invalid env: {env}"))?;
            let valid = !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid {
                return Err(format!("invalid env: {env}"));
            }
            Ok(json!({"name": name, "value": value}))
        })
        .collect()
}

/// A simplified `reference.ReferenceRegexp`: lowercase path components of letters,
/// digits and separators, an optional registry with port, tag and digest.
fn valid_image_reference(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !d.contains(':')) {
        return false;
    }
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match rest[last_slash..].split_once(':') {
        Some((_, t)) => (&rest[..rest.len() - t.len() - 1], Some(t)),
        None => (rest, None),
    };
    let tag_ok = tag.is_none_or(|t| {
        !t.is_empty()
            && t.len() <= 128
            && !t.starts_with(['.', '-'])
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    });
    let mut components = path.split('/');
    let first = components.next().unwrap_or_default();
    let registry = path.contains('/') && (first.contains(['.', ':']) || first == "localhost");
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.chars().all(|ch| {
                ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')
            })
    };
    let first_ok = if registry {
        !first.is_empty()
            && first
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    } else {
        component_ok(first)
    };
    tag_ok && first_ok && components.all(component_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        let cases: &[(&str, bool)] = &[
            ("nginx", true),
            ("nginx:1.25", true),
            ("flask-app:broken", true),
            ("registry.k8s.io/e2e-test-images/agnhost:2.39", true),
            ("localhost:5000/web:v2", true),
            ("redis@sha256:abc", true),
            ("Nginx", false),
            ("nginx:", false),
            ("web/", false),
        ];
        for (image, want) in cases {
            assert_eq!(valid_image_reference(image), *want, "{image}");
        }
    }

    #[test]
    fn label_and_env_errors_as_run_go_words_them() {
        assert_eq!(
            parse_labels("a=b,c").err().as_deref(),
            Some("unexpected label spec: c")
        );
        assert_eq!(
            parse_labels("=b").err().as_deref(),
            Some("unexpected empty label key")
        );
        assert_eq!(
            parse_envs(&["1X=a".into()]).err().as_deref(),
            Some("invalid env: 1X=a")
        );
        assert_eq!(
            parse_envs(&["X".into()]).err().as_deref(),
            Some("invalid env: X")
        );
    }
}
