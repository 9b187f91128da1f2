//! `kubectl set image deployment/NAME CONTAINER=IMAGE...` (`*=IMAGE` sets every container),
//! as kubectl v1.32's `pkg/cmd/set/set_image.go` does it.

use super::create::{dry_run, output_ok, print_changed, DryRun};
use super::{parse_flags, targets, unknown_command, Context};
use crate::args::{Flag, FlagType};
use crate::errors;
use kplay_core::types::PodTemplateSpec;
use kplay_core::types::{Deployment, ReplicaSet};
use kplay_core::{ApiError, ApiObject, Kind};
use serde_json::Value;

const FLAGS: &[Flag] = &[
    Flag::long("dry-run", FlagType::String),
    Flag::short("output", 'o', FlagType::String),
];

const HELP: &str = "Update existing container image(s) of resources.

Usage:
  kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [--dry-run=client|server] [-o yaml]
";

/// Runs `kubectl set SUBCOMMAND`.
pub fn run_set(ctx: &mut Context<'_>, args: &[String]) {
    let sub = args.iter().position(|a| !a.starts_with('-'));
    match sub.and_then(|i| args.get(i)).map(String::as_str) {
        Some("image") => {
            let i = sub.unwrap_or(0);
            let mut rest = args[..i].to_vec();
            rest.extend_from_slice(&args[i + 1..]);
            set_image(ctx, &rest);
        }
        Some(other @ ("env" | "resources" | "selector" | "serviceaccount" | "subject")) => ctx
            .out
            .fail(&format!("error: kplay does not simulate \"kubectl set {other}\" yet\n")),
        Some(other) => ctx.out.fail(&unknown_command(
            other,
            "kubectl set",
            &["env", "image", "resources", "selector", "serviceaccount", "subject"],
        )),
        None => ctx.out.out("Configure application resources.\n\nAvailable Commands:\n  image   Update the image of a pod template\n"),
    }
}

fn set_image(ctx: &mut Context<'_>, args: &[String]) {
    let Some(flags) = parse_flags(ctx, args, FLAGS, "kubectl set image", HELP) else {
        return;
    };
    let Some(dry) = dry_run(ctx, &flags) else {
        return;
    };
    let output = flags.value("output").unwrap_or("").to_string();
    if !output_ok(ctx, &output) {
        return;
    }
    let (updates, resources): (Vec<&String>, Vec<&String>) =
        flags.positional.iter().partition(|a| a.contains('='));
    let resources: Vec<String> = resources.into_iter().cloned().collect();
    if updates.is_empty() {
        ctx.out
            .fail(&errors::plain("at least one image update is required"));
        return;
    }
    let mut images: Vec<(String, String)> = Vec::new();
    for update in updates {
        let (container, image) = update.split_once('=').unwrap_or((update.as_str(), ""));
        if container.is_empty() || image.is_empty() {
            ctx.out
                .fail(&errors::plain(&format!("invalid image update: {update}")));
            return;
        }
        images.push((container.to_string(), image.to_string()));
    }
    let Some(targets) = targets(ctx, &resources, &[Kind::Deployment, Kind::ReplicaSet]) else {
        return;
    };
    let namespace = flags.namespace().to_string();
    for (kind, object) in targets {
        // set_image.go: a client dry run prints the object as changed locally; a server dry
        // run sends the patch with dryRun (kplay: to a copy of the cluster) and prints the
        // answer.
        let mut copy = (dry == DryRun::Server).then(|| ctx.cluster.clone());
        let mut scratch = Context {
            cluster: copy.as_mut().unwrap_or(&mut *ctx.cluster),
            stdin: ctx.stdin,
            files: ctx.files,
            out: &mut *ctx.out,
        };
        let send = dry != DryRun::Client;
        let result = match kind {
            Kind::Deployment => {
                update::<Deployment>(&mut scratch, &namespace, &object, &images, send)
            }
            _ => update::<ReplicaSet>(&mut scratch, &namespace, &object, &images, send),
        };
        match result {
            Ok(changed) => {
                print_changed(ctx, &changed, kind, &object, "image updated", &output, dry)
            }
            Err(Failed::Api(e)) => ctx.out.fail(&errors::api_error(&e)),
            Err(Failed::NoContainer(c)) => ctx
                .out
                .fail(&format!("error: unable to find container named \"{c}\"\n")),
        }
    }
}

enum Failed {
    Api(ApiError),
    NoContainer(String),
}

/// Something with a pod template.
trait WithTemplate: ApiObject {
    fn template_mut(&mut self) -> Option<&mut PodTemplateSpec>;
}

impl WithTemplate for Deployment {
    fn template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.as_mut().map(|s| &mut s.template)
    }
}

impl WithTemplate for ReplicaSet {
    fn template_mut(&mut self) -> Option<&mut PodTemplateSpec> {
        self.spec.as_mut().and_then(|s| s.template.as_mut())
    }
}

fn update<T: WithTemplate>(
    ctx: &mut Context<'_>,
    namespace: &str,
    object: &str,
    images: &[(String, String)],
    send: bool,
) -> Result<Value, Failed> {
    let mut live: T = ctx.live(namespace, object).map_err(Failed::Api)?;
    let Some(spec) = live.template_mut().and_then(|t| t.spec.as_mut()) else {
        return Err(Failed::NoContainer(
            images.first().map(|(c, _)| c.clone()).unwrap_or_default(),
        ));
    };
    for (container, image) in images {
        let mut found = false;
        let all = spec
            .init_containers
            .iter_mut()
            .flatten()
            .chain(spec.containers.iter_mut());
        for c in all {
            if container == "*" || c.name == *container {
                c.image = Some(image.clone());
                found = true;
            }
        }
        if !found {
            return Err(Failed::NoContainer(container.clone()));
        }
    }
    if !send {
        return Ok(live.into_object().to_json());
    }
    ctx.cluster
        .update(live.into_object())
        .map(|o| o.to_json())
        .map_err(Failed::Api)
}
