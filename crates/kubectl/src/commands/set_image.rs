//! `kubectl set image deployment/NAME CONTAINER=IMAGE...` (`*=IMAGE` sets every container),
//! as kubectl v1.32's `pkg/cmd/set/set_image.go` does it.

use super::{parse_flags, targets, unknown_command, Context};
use crate::errors;
use crate::printers::name;
use kplay_core::types::PodTemplateSpec;
use kplay_core::types::{Deployment, ReplicaSet};
use kplay_core::{ApiError, ApiObject, Kind};

const HELP: &str = "Update existing container image(s) of resources.

Usage:
  kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N
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
    let Some(flags) = parse_flags(ctx, args, &[], "kubectl set image", HELP) else {
        return;
    };
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
        let result = match kind {
            Kind::Deployment => update::<Deployment>(ctx, &namespace, &object, &images),
            _ => update::<ReplicaSet>(ctx, &namespace, &object, &images),
        };
        match result {
            Ok(()) => ctx
                .out
                .out(&name::operation(kind, &object, "image updated")),
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
) -> Result<(), Failed> {
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
    ctx.cluster
        .update(live.into_object())
        .map(|_| ())
        .map_err(Failed::Api)
}
