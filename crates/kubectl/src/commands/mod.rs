//! kubectl's commands: finding the command in the words, then running it against the
//! cluster. Each command lives in its own module, named like kubectl's `pkg/cmd/<name>`.

mod annotate;
mod apply;
mod create;
mod create_service;
mod delete;
#[cfg(feature = "printers")]
mod describe;
mod drain;
pub mod edit;
mod exec;
mod expose;
mod first_pod;
mod get;
mod logs;
mod patch;
mod rollout_status;
mod run;
mod scale;
mod set_image;

use crate::args::{self, Flag, Parsed};
use crate::errors;
use crate::{Files, Output};
use kplay_core::{ApiError, ApiObject, Cluster};

pub use rollout_status::{deployment_status, WATCH_CAP_MS};

/// What a command runs against and writes to.
pub struct Context<'a> {
    /// The cluster.
    pub cluster: &'a mut Cluster,
    /// Standard input, for `-f -`.
    pub stdin: Option<&'a str>,
    /// Reads the files `-f FILE` names.
    pub files: Files<'a>,
    /// What the command prints.
    pub out: &'a mut Output,
}

impl Context<'_> {
    /// A copy of the live object `namespace/name` to modify, or the API server's NotFound.
    pub(crate) fn live<T: ApiObject>(&self, namespace: &str, name: &str) -> Result<T, ApiError> {
        self.cluster
            .store()
            .get::<T>(namespace, name)
            .cloned()
            .ok_or_else(|| ApiError::not_found(T::KIND, name))
    }

    /// [`Context::live`], printing the API server's error when the object is missing.
    pub(crate) fn live_or_report<T: ApiObject>(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> Option<T> {
        match self.live(namespace, name) {
            Ok(object) => Some(object),
            Err(e) => {
                self.out.fail(&errors::api_error(&e));
                None
            }
        }
    }
}

/// kubectl v1.32's visible top-level commands in the order `NewKubectlCommand` registers
/// them (kubectl turns cobra's command sorting off), which is the order of the
/// "Did you mean this?" suggestions for an unknown command.
const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
];

/// The commands kplay simulates, for help texts.
const SUPPORTED: &str = "\
kubectl controls the Kubernetes cluster manager (simulated by kplay).

Commands kplay understands:
  create deployment NAME --image=IMAGE [--replicas=N] [--port=PORT] [--dry-run=client|server] [-o yaml|json|name]
  create -f FILE
  create service clusterip|nodeport|loadbalancer|externalname NAME [--tcp=PORT[:TARGET]...] [--node-port=N]
      [--clusterip=None] [--external-name=DNS] [--dry-run=client|server] [-o yaml|json|name]
  expose (TYPE NAME|TYPE/NAME|-f FILE) [--port=P] [--target-port=T] [--type=ClusterIP|NodePort|LoadBalancer|ExternalName]
      [--name=N] [--protocol=TCP|UDP|SCTP] [--selector=K=V,...] [--labels=K=V,...] [--dry-run=client|server] [-o yaml|json|name]
  apply -f FILE|- [--dry-run=client|server]
  run NAME --image=IMAGE [--port=P] [--labels=K=V,...] [--env=K=V] [--restart=Always|OnFailure|Never] [--command] [-- ARGS...]
  get TYPE[,TYPE...]|all [NAME...] [-l SELECTOR] [-n NS|-A] [--show-labels] [-w|--watch-only]
      [-o wide|yaml|json|name|jsonpath=TEMPLATE|custom-columns=SPEC]
  get events [-A] [-o wide]
  get svc|endpoints|endpointslices [-o wide|yaml|json]
  describe TYPE [NAME_PREFIX] | TYPE/NAME [-l SELECTOR] [-n NS|-A] [--show-events=false]
  logs POD|TYPE/NAME [-c CONTAINER] [--tail=N] [-p] [-f]
  exec POD|TYPE/NAME [-c CONTAINER] [-it] -- wget|curl|nslookup|hostname|cat ARGS...
  scale deployment/NAME --replicas=N [--dry-run=client|server]
  set image deployment/NAME CONTAINER=IMAGE [--dry-run=client|server]
  delete (TYPE NAME...|TYPE -l SELECTOR|TYPE --all|-f FILE) [--grace-period=N] [--now] [--force]
  rollout status deployment/NAME [--timeout=DURATION] [--watch=false]
  rollout history deployment/NAME [--revision=N]
  rollout undo deployment/NAME [--to-revision=N]
  rollout pause|resume|restart deployment/NAME
  annotate TYPE NAME KEY=VALUE... KEY-... [--overwrite] [-l SELECTOR|--all]
  label TYPE NAME KEY=VALUE... KEY-... [--overwrite] [-l SELECTOR|--all]
  patch TYPE NAME -p PATCH|--patch-file FILE [--type=strategic|merge|json]
  cordon|uncordon NODE
  drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N] [--timeout=D]
  edit TYPE/NAME   (in the web app's YAML editor)

Resource types: deployments (deploy), replicasets (rs), pods (po), services (svc), endpoints (ep),
endpointslices, nodes (no), namespaces (ns), events (ev).

Script lines (kplay run, the web console): sleep DURATION; kplay cluster load-balancers on|off;
kplay traffic [start svc/NAME [--rate=N] [--from=outside|pod/NAME] | rate svc/NAME N | stop svc/NAME] [-n NS].
";

/// Finds the command in `args` and runs it.
pub fn dispatch(ctx: &mut Context<'_>, args: &[String]) {
    // Global flags may come before the command (`kubectl -n kube-system get pods`).
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if !arg.starts_with('-') {
            break;
        }
        if matches!(arg.as_str(), "-h" | "--help") {
            ctx.out.out(SUPPORTED);
            return;
        }
        let takes_next = matches!(arg.as_str(), "-n" | "--namespace");
        if let Err(e) = args::parse(
            &args[i..(i + 1 + usize::from(takes_next)).min(args.len())],
            &[],
        ) {
            ctx.out.fail(&errors::usage("kubectl", &e));
            return;
        }
        i += 1 + usize::from(takes_next);
    }
    let Some(command) = args.get(i) else {
        ctx.out.out(SUPPORTED);
        return;
    };
    let mut rest: Vec<String> = args[..i].to_vec();
    rest.extend_from_slice(&args[i + 1..]);
    match command.as_str() {
        "create" => create::run(ctx, &rest),
        "apply" => apply::run(ctx, &rest),
        "get" => get::run(ctx, &rest),
        "scale" => scale::run(ctx, &rest),
        "set" => set_image::run_set(ctx, &rest),
        "delete" => delete::run(ctx, &rest),
        "rollout" => rollout_status::run_rollout(ctx, &rest),
        "annotate" => annotate::run_annotate(ctx, &rest),
        "label" => annotate::run_label(ctx, &rest),
        "patch" => patch::run(ctx, &rest),
        "expose" => expose::run(ctx, &rest),
        #[cfg(feature = "printers")]
        "describe" => describe::run(ctx, &rest),
        #[cfg(not(feature = "printers"))]
        "describe" => ctx.out.exit_code = crate::ELSEWHERE,
        "logs" => logs::run(ctx, &rest),
        "run" => run::run(ctx, &rest),
        "cordon" => drain::run_cordon(ctx, &rest),
        "uncordon" => drain::run_uncordon(ctx, &rest),
        "drain" => drain::run_drain(ctx, &rest),
        "edit" => edit::run(ctx, &rest),
        "exec" => exec::run(ctx, &rest),
        "help" => ctx.out.out(SUPPORTED),
        known if KUBECTL_COMMANDS.contains(&known) => ctx.out.fail(&format!(
            "error: kplay does not simulate \"kubectl {known}\" yet\n"
        )),
        unknown => ctx
            .out
            .fail(&unknown_command(unknown, "kubectl", KUBECTL_COMMANDS)),
    }
}

/// cobra's `unknown command "x" for "kubectl"` with its "Did you mean this?" suggestions
/// (`SuggestionsFor`: Levenshtein distance at most 2, ignoring case, or a prefix match).
pub(crate) fn unknown_command(typed: &str, path: &str, commands: &[&str]) -> String {
    let lower = typed.to_ascii_lowercase();
    let suggestions: Vec<&&str> = commands
        .iter()
        .filter(|c| levenshtein(&lower, c) <= 2 || c.starts_with(&lower))
        .collect();
    let mut text = format!("error: unknown command \"{typed}\" for \"{path}\"");
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            text.push_str(&format!("\t{s}\n"));
        }
    }
    text
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// Parses a command's flags; on error prints kubectl's flag error for `path` and returns
/// `None`. `-h`/`--help` prints `help` and also returns `None`.
pub(crate) fn parse_flags(
    ctx: &mut Context<'_>,
    args: &[String],
    flags: &[Flag],
    path: &str,
    help: &str,
) -> Option<Parsed> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        ctx.out.out(help);
        return None;
    }
    match args::parse(args, flags) {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            ctx.out.fail(&errors::usage(path, &e));
            None
        }
    }
}

/// The error kubectl's resource builder gives when a command names no resource.
pub(crate) const NO_RESOURCES: &str =
    "error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'
";

/// The `TYPE NAME...` / `TYPE/NAME...` words of a command, or `None` after printing kubectl's
/// error for them.
pub(crate) fn selection(
    ctx: &mut Context<'_>,
    positional: &[String],
) -> Option<crate::resource::Selection> {
    match crate::resource::select(positional) {
        Ok(s) => Some(s),
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            None
        }
    }
}

/// A `-l` label selector, or `None` after printing kubectl's error for it.
pub(crate) fn label_selector(ctx: &mut Context<'_>, text: &str) -> Option<crate::labels::Selector> {
    match crate::labels::Selector::parse(text) {
        Ok(s) => Some(s),
        Err(e) => {
            ctx.out.fail(&errors::plain(&e));
            None
        }
    }
}

/// The text `-f FILE` names (standard input for `-f -`) with the name kubectl reports it
/// under (`STDIN`), or `None` after printing kubectl's error for a missing file.
pub(crate) fn read_manifest(ctx: &mut Context<'_>, file: &str) -> Option<(String, String)> {
    if file == "-" {
        return Some(("STDIN".to_string(), ctx.stdin.unwrap_or("").to_string()));
    }
    match (ctx.files)(file) {
        Some(text) => Some((file.to_string(), text)),
        None => {
            ctx.out
                .fail(&format!("error: the path \"{file}\" does not exist\n"));
            None
        }
    }
}

/// The `(kind, name)` pairs a command's `TYPE NAME...` or `TYPE/NAME...` arguments name,
/// each kind checked against `allowed`; prints kubectl's error and returns `None` if the
/// arguments are unusable.
pub(crate) fn targets(
    ctx: &mut Context<'_>,
    positional: &[String],
    allowed: &[kplay_core::Kind],
) -> Option<Vec<(kplay_core::Kind, String)>> {
    let selection = selection(ctx, positional)?;
    if selection.types.is_empty() {
        ctx.out.fail(NO_RESOURCES);
        return None;
    }
    let mut out = Vec::new();
    for word in &selection.types {
        match crate::resource::kind_of(word) {
            Some(kind) if allowed.contains(&kind) => {}
            Some(kind) => {
                ctx.out.fail(&format!(
                    "error: kplay does not support this command for {} yet\n",
                    kind.plural()
                ));
                return None;
            }
            None => {
                ctx.out.fail(&crate::resource::unknown_type_error(word));
                return None;
            }
        }
    }
    if selection.names.is_empty() {
        ctx.out
            .fail("error: resource(s) were provided, but no name was specified\n");
        return None;
    }
    for (word, name) in selection.names {
        if let Some(kind) = crate::resource::kind_of(&word) {
            out.push((kind, name));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_commands_get_cobra_suggestions() {
        assert_eq!(
            unknown_command("foo", "kubectl", KUBECTL_COMMANDS),
            "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n"
        );
        assert_eq!(
            unknown_command("gt", "kubectl", KUBECTL_COMMANDS),
            "error: unknown command \"gt\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\tcp\n"
        );
        // As the local kubectl v1.32.4 lists them.
        assert_eq!(
            unknown_command("de", "kubectl", KUBECTL_COMMANDS),
            "error: unknown command \"de\" for \"kubectl\"\n\nDid you mean this?\n\tset\n\tget\n\tdelete\n\tdescribe\n\tcp\n\tdebug\n"
        );
        assert_eq!(
            unknown_command("rollou", "kubectl", KUBECTL_COMMANDS),
            "error: unknown command \"rollou\" for \"kubectl\"\n\nDid you mean this?\n\trollout\n"
        );
    }
}
