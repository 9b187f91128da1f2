//! `kubectl create deployment|namespace NAME` and `kubectl create -f FILE`, as kubectl
//! v1.32's `pkg/cmd/create/create_deployment.go` and `create_namespace.go` build objects.

use super::{apply, parse_flags, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
#[cfg(feature = "printers")]
use crate::printers::jsonpath;
use crate::printers::{json as json_printer, name, yaml};
use kplay_core::{Cluster, Kind};
use serde_json::{json, Value};

const FLAGS: &[Flag] = &[
    Flag::short("filename", 'f', FlagType::String),
    Flag::long("dry-run", FlagType::String),
];

const DEPLOYMENT_FLAGS: &[Flag] = &[
    Flag::long("image", FlagType::String),
    Flag::short("replicas", 'r', FlagType::Int),
    Flag::long("port", FlagType::Int),
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

/// kubectl's `--dry-run` strategies (`cmdutil.GetDryRunStrategy`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DryRun {
    /// Change the cluster.
    None,
    /// Print what kubectl would send, without asking the server.
    Client,
    /// Let the server default and validate the object, without storing it.
    Server,
}

/// The `--dry-run` strategy; prints kubectl's error for a bad value and returns `None`.
pub(crate) fn dry_run(ctx: &mut Context<'_>, flags: &crate::args::Parsed) -> Option<DryRun> {
    match flags.value("dry-run").unwrap_or("none") {
        "none" | "false" => Some(DryRun::None),
        "client" | "true" => Some(DryRun::Client),
        "server" => Some(DryRun::Server),
        other => {
            ctx.out.fail(&errors::plain(&format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )));
            None
        }
    }
}

/// The formats `-o` takes on commands that change objects, as kubectl lists them.
const CHANGE_FORMATS: &str = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/// Checks `-o` before anything changes (kubectl builds its printer first); prints kubectl's
/// error and returns false for a format kplay cannot print.
pub(crate) fn output_ok(ctx: &mut Context<'_>, output: &str) -> bool {
    let name = output.split_once('=').map_or(output, |(n, _)| n);
    if matches!(name, "" | "yaml" | "json" | "name" | "jsonpath") {
        return true;
    }
    ctx.out.fail(&errors::plain(&format!(
        "unable to match a printer suitable for the output format \"{output}\", allowed formats are: {CHANGE_FORMATS}"
    )));
    false
}

/// Prints a changed object as kubectl's printers do after an operation: without `-o` the
/// name printer's `deployment.apps/web created`, with ` (dry run)` or ` (server dry run)`
/// appended (`PrintFlagsWithDryRunStrategy`); `-o name|yaml|json|jsonpath=...` the object.
pub(crate) fn print_changed(
    ctx: &mut Context<'_>,
    object: &Value,
    kind: Kind,
    object_name: &str,
    operation: &str,
    output: &str,
    dry: DryRun,
) {
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let format = output.split_once('=').map_or(output, |(name, _)| name);
    let text: Result<String, String> = match format {
        "" => Ok(name::operation(
            kind,
            object_name,
            &format!("{operation}{suffix}"),
        )),
        "name" => Ok(format!("{}\n", name::name(kind, object_name))),
        "yaml" => Ok(yaml::to_yaml(object)),
        "json" => Ok(json_printer::to_json(object)),
        #[cfg(feature = "printers")]
        _ => jsonpath::print(output.split_once('=').map_or("", |(_, t)| t), object, true),
        // The change is made; its text comes from a build with the template printers.
        #[cfg(not(feature = "printers"))]
        _ => {
            ctx.out.exit_code = crate::ELSEWHERE;
            return;
        }
    };
    match text {
        Ok(text) => ctx.out.out(&text),
        Err(e) => ctx.out.fail(&errors::plain(&e)),
    }
}

/// Creates `manifest` (or pretends to): the real create, the object kubectl would send
/// (`creationTimestamp: null` and `status: {}` as Go serialises an unset struct, no
/// namespace unless `-n` was given), or the server's dry-run answer (defaulted, validated,
/// with uid and creationTimestamp but no resourceVersion, nothing stored). Prints the
/// result; returns whether it succeeded.
pub(crate) fn create_or_dry_run(
    ctx: &mut Context<'_>,
    kind: Kind,
    manifest: Value,
    flags: &crate::args::Parsed,
    dry: DryRun,
) -> bool {
    create_reporting(ctx, kind, manifest, flags, dry, "created")
}

/// [`create_or_dry_run`] for commands whose name printer reports another operation
/// (`kubectl expose` prints `service/web exposed`).
pub(crate) fn create_reporting(
    ctx: &mut Context<'_>,
    kind: Kind,
    manifest: Value,
    flags: &crate::args::Parsed,
    dry: DryRun,
    operation: &str,
) -> bool {
    let object_name = manifest
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let output = flags.value("output").unwrap_or("");
    let result = match dry {
        DryRun::Client => Ok(client_object(manifest, flags.value("namespace").is_some())),
        DryRun::Server => server_dry_run(ctx.cluster, kind, manifest),
        DryRun::None => ctx.cluster.create_json(kind, manifest).map(|o| o.to_json()),
    };
    match result {
        Ok(object) => {
            print_changed(ctx, &object, kind, &object_name, operation, output, dry);
            true
        }
        Err(e) => {
            ctx.out.fail(&errors::api_error(&e));
            false
        }
    }
}

/// The object as kubectl's client-side dry run prints it.
fn client_object(mut manifest: Value, explicit_namespace: bool) -> Value {
    for pointer in ["/metadata", "/spec/template/metadata"] {
        if let Some(Value::Object(meta)) = manifest.pointer_mut(pointer) {
            meta.insert("creationTimestamp".into(), Value::Null);
            if pointer == "/metadata" && !explicit_namespace {
                meta.remove("namespace");
            }
        }
    }
    if let Value::Object(map) = &mut manifest {
        // A Service's empty status still serialises `loadBalancer: {}` (a struct, not a
        // pointer), so a manifest may bring its own empty status.
        map.entry("status").or_insert_with(|| json!({}));
    }
    manifest
}

/// A server-side dry-run create: the API server's answer from a copy of the cluster.
fn server_dry_run(
    cluster: &Cluster,
    kind: Kind,
    manifest: Value,
) -> Result<Value, kplay_core::ApiError> {
    let mut copy = cluster.clone();
    let created = copy.create_json(kind, manifest)?;
    let mut object = created.to_json();
    if let Some(Value::Object(meta)) = object.get_mut("metadata") {
        // The dry-run storage returns the object before etcd would give it a version.
        meta.remove("resourceVersion");
    }
    if let Value::Object(map) = &mut object {
        // The strategy's PrepareForCreate clears the status; Go serialises it as `{}`.
        map.entry("status").or_insert_with(|| json!({}));
    }
    Ok(object)
}

const HELP: &str = "Create a resource from a file or from stdin.

Usage:
  kubectl create -f FILENAME
  kubectl create deployment NAME --image=image [--replicas=N] [--port=PORT]
  kubectl create namespace NAME
";

/// kubectl create's generator subcommands; kplay simulates `deployment` and `namespace`.
const SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cronjob",
    "deployment",
    "ingress",
    "job",
    "namespace",
    "poddisruptionbudget",
    "priorityclass",
    "quota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "serviceaccount",
    "token",
];

/// Runs `kubectl create`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    let sub = args.iter().position(|a| !a.starts_with('-'));
    let sub_word = sub.and_then(|i| args.get(i)).map(String::as_str);
    // `-f FILE` takes a value, so a word right after `-f` is not a subcommand.
    let after_f = sub.is_some_and(|i| {
        i > 0
            && matches!(
                args[i - 1].as_str(),
                "-f" | "--filename" | "-n" | "--namespace"
            )
    });
    match sub_word {
        Some("deployment" | "deploy") if !after_f => {
            let i = sub.unwrap_or(0);
            let mut rest = args[..i].to_vec();
            rest.extend_from_slice(&args[i + 1..]);
            create_deployment(ctx, &rest);
        }
        Some("service" | "svc") if !after_f => {
            let i = sub.unwrap_or(0);
            let mut rest = args[..i].to_vec();
            rest.extend_from_slice(&args[i + 1..]);
            super::create_service::run(ctx, &rest);
        }
        Some("namespace" | "ns") if !after_f => {
            let i = sub.unwrap_or(0);
            let mut rest = args[..i].to_vec();
            rest.extend_from_slice(&args[i + 1..]);
            create_namespace(ctx, &rest);
        }
        Some(other) if !after_f && SUBCOMMANDS.contains(&other) => ctx.out.fail(&format!(
            "error: kplay does not simulate \"kubectl create {other}\" yet\n"
        )),
        _ => {
            let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl create", HELP) else {
                return;
            };
            if !flags.positional.is_empty() {
                ctx.out.fail(&errors::usage_examples(
                    "kubectl create",
                    &format!("Unexpected args: [{}]", flags.positional.join(" ")),
                ));
                return;
            }
            match flags.value("filename") {
                Some(file) => {
                    let Some(dry) = dry_run(ctx, &flags) else {
                        return;
                    };
                    apply::from_file(ctx, file, flags.namespace(), apply::Mode::Create, dry)
                }
                None => ctx.out.fail(&errors::usage_examples(
                    "kubectl create",
                    "must specify one of -f and -k",
                )),
            }
        }
    }
}

fn create_deployment(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(
        ctx,
        args,
        DEPLOYMENT_FLAGS,
        "kubectl create deployment",
        "Create a deployment with the specified name.\n\nUsage:\n  kubectl create deployment NAME --image=image [--replicas=N] [--port=PORT]\n",
    ) else {
        return;
    };
    let [name] = flags.positional.as_slice() else {
        ctx.out.fail(&errors::usage_examples(
            "kubectl create deployment",
            &format!(
                "exactly one NAME is required, got {}",
                flags.positional.len()
            ),
        ));
        return;
    };
    let images = flags.values("image");
    if images.is_empty() {
        ctx.out
            .fail(&errors::plain("required flag(s) \"image\" not set"));
        return;
    }
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    if !output_ok(ctx, flags.value("output").unwrap_or("")) {
        return;
    }
    let replicas = flags.int("replicas").unwrap_or(1);
    let port = flags.int("port").unwrap_or(-1);
    let manifest = deployment_manifest(name, flags.namespace(), images, replicas, port);
    create_or_dry_run(ctx, Kind::Deployment, manifest, &flags, dry);
}

/// The Deployment `kubectl create deployment` sends: labels and selector `app: NAME`, one
/// container per image named after the image, `--port` on the first container, and the
/// empty `strategy: {}` the server then defaults.
fn deployment_manifest(
    name: &str,
    namespace: &str,
    images: &[String],
    replicas: i64,
    port: i64,
) -> Value {
    let mut containers: Vec<Value> = images
        .iter()
        .map(|image| json!({"image": image, "name": container_name(image), "resources": {}}))
        .collect();
    if port >= 0 {
        if let Some(Value::Object(first)) = containers.first_mut() {
            first.insert("ports".into(), json!([{"containerPort": port}]));
        }
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"labels": {"app": name}, "name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": containers},
            },
        },
    })
}

/// The container name kubectl derives from an image: the last path segment without tag or
/// digest (`registry.io/team/flask-app:1.0` → `flask-app`). kubectl turns `_` and `.` into
/// `-` and appends five random characters; kplay derives those characters from the image so
/// that runs stay deterministic.
pub fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let name = last.split(':').next().unwrap_or(last);
    let name = name.split('@').next().unwrap_or(name);
    if !name.contains(['_', '.']) {
        return name.to_string();
    }
    let hash = image.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let suffix = kplay_core::naming::safe_encode(&format!("{:05}", hash % 100_000));
    format!("{}-{suffix}", name.replace(['_', '.'], "-"))
}

fn create_namespace(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(
        ctx,
        args,
        &[],
        "kubectl create namespace",
        "Create a namespace with the specified name.\n\nUsage:\n  kubectl create namespace NAME\n",
    ) else {
        return;
    };
    let [name] = flags.positional.as_slice() else {
        ctx.out.fail(&errors::usage_examples(
            "kubectl create namespace",
            &format!(
                "exactly one NAME is required, got {}",
                flags.positional.len()
            ),
        ));
        return;
    };
    let manifest = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    match ctx.cluster.create_json(Kind::Namespace, manifest) {
        Ok(_) => ctx
            .out
            .out(&name::operation(Kind::Namespace, name, "created")),
        Err(e) => ctx.out.fail(&errors::api_error(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_as_kubectl_derives_them() {
        let cases: &[(&str, &str)] = &[
            ("nginx", "nginx"),
            ("nginx:1.25", "nginx"),
            ("redis@sha256:abc", "redis"),
            ("registry.io/team/flask-app:1.0", "flask-app"),
            ("localhost:5000/web:v2", "web"),
        ];
        for (image, want) in cases {
            assert_eq!(container_name(image), *want, "{image}");
        }
        let odd = container_name("my_app:1");
        assert!(odd.starts_with("my-app-") && odd.len() == 12, "{odd}");
    }

    #[test]
    fn the_deployment_kubectl_sends() {
        let images = vec!["nginx:1.25".to_string()];
        let m = deployment_manifest("web", "default", &images, 3, 80);
        assert_eq!(
            m.pointer("/spec/template/spec/containers/0/name"),
            Some(&json!("nginx"))
        );
        assert_eq!(
            m.pointer("/spec/template/spec/containers/0/ports/0/containerPort"),
            Some(&json!(80))
        );
        assert_eq!(m.pointer("/spec/strategy"), Some(&json!({})));
        assert_eq!(
            m.pointer("/spec/selector/matchLabels/app"),
            Some(&json!("web"))
        );
    }
}
