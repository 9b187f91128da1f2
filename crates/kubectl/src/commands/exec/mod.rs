//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [ARGS...]`, as kubectl
//! v1.32's `pkg/cmd/exec/exec.go` runs it, with the few programs a learner runs inside a
//! container to test Services: `wget`, `curl`, `nc -z`, `nslookup`, `hostname` and `cat` of
//! `/etc/resolv.conf` or `/etc/hostname`. Their requests really resolve through cluster DNS
//! ([`kplay_core::dns`]) and travel through the cluster network
//! ([`kplay_core::network::connect`]), so they land in the serving pod's access log. An exec
//! takes no virtual time: a timeout is reported as the tool reports it, without waiting.
//!
//! Which programs each image has, as the real images ship them:
//!
//! | image | base | wget, nc | curl | nslookup | hostname, cat |
//! |---|---|---|---|---|---|
//! | `busybox` | busybox 1.36 | busybox's | no | busybox's | yes |
//! | `nginx` | Debian bookworm | no | curl 7.88.1 | no | yes |
//! | `flask-app` | `python:3.12-slim` (bookworm) | no | no | no | yes |
//! | `coredns` | distroless (no shell) | no | no | no | no |
//! | `agnhost`, other images | | not simulated | not simulated | not simulated | yes |
//!
//! `sh -c "ONE COMMAND"` runs that command (pipes, `;`, `&&`, redirections and variables
//! are not simulated).
//!
//! A program the image lacks fails as containerd's runc reports it (kubectl prints the API
//! server's error and exits 1); a program that ran and failed makes kubectl print `command
//! terminated with exit code N` and exit N. `-i` and `-t` are accepted: the simulated tools
//! read no input and their output is the same on a terminal.

mod curl;
mod http;
mod nc;
mod nslookup;
mod wget;

use super::Context;
use crate::args::{self, Flag, FlagType};
use crate::errors;
use kplay_core::quote::go_quote;

const FLAGS: &[Flag] = &[
    Flag::short("container", 'c', FlagType::String),
    Flag::short("stdin", 'i', FlagType::Bool),
    Flag::short("tty", 't', FlagType::Bool),
    Flag::short("quiet", 'q', FlagType::Bool),
    Flag::long("pod-running-timeout", FlagType::Duration),
];

const HELP: &str = "Execute a command in a container.

Usage:
  kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]
";

/// exec.go `execUsageStr`, printed through `UsageErrorf`.
const USAGE: &str = "expected 'exec (POD | TYPE/NAME) -- COMMAND [args...]'.
POD or TYPE/NAME is a required argument for the exec command";

/// What a program run in a container wrote and how it ended.
#[derive(Debug, Default, PartialEq, Eq)]
struct Run {
    stdout: String,
    stderr: String,
    code: i32,
}

impl Run {
    /// A run that printed `stderr` and exited with `code`.
    fn failed(stderr: String, code: i32) -> Run {
        Run {
            stderr,
            code,
            ..Run::default()
        }
    }
}

/// Where a program runs: the pod, its namespace and IP, and the container's image.
struct Shell<'a> {
    namespace: &'a str,
    pod: &'a str,
    image: &'a str,
}

/// Runs `kubectl exec`.
pub fn run(ctx: &mut Context<'_>, args: &[String]) {
    // Words after `--` are the command (`ArgsLenAtDash`).
    let dash = args.iter().position(|a| a == "--");
    let (own, command) = match dash {
        Some(i) => (&args[..i], &args[i + 1..]),
        None => (args, &[][..]),
    };
    if own.iter().any(|a| a == "-h" || a == "--help") {
        ctx.out.out(HELP);
        return;
    }
    let flags = match args::parse(own, FLAGS) {
        Ok(flags) => flags,
        Err(e) => {
            ctx.out.fail(&errors::usage("kubectl exec", &e));
            return;
        }
    };
    let target = match flags.positional.as_slice() {
        [] => {
            ctx.out.fail(&errors::usage_examples("kubectl exec", USAGE));
            return;
        }
        [target] => target.clone(),
        [_, ..] if dash.is_none() => {
            // Removed in v1.31 after years of deprecation.
            ctx.out.fail(&errors::plain(
                "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            ));
            return;
        }
        _ => {
            ctx.out.fail(&errors::usage_examples("kubectl exec", USAGE));
            return;
        }
    };
    if command.is_empty() {
        ctx.out.fail(&errors::plain(
            "you must specify at least one command for the container",
        ));
        return;
    }
    let namespace = flags.namespace().to_string();
    let pod = match super::first_pod::find(ctx, &namespace, &target, "attach to") {
        Ok((pod, _)) => pod,
        Err(message) => {
            ctx.out.fail(&message);
            return;
        }
    };
    let phase = kplay_core::pod::phase(&pod);
    if matches!(phase, "Succeeded" | "Failed") {
        ctx.out.fail(&errors::plain(&format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        )));
        return;
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let containers: Vec<(String, String)> = pod
        .spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
        .collect();
    let container = match flags.value("container") {
        Some(name) => name.to_string(),
        None => {
            let Some((first, _)) = containers.first() else {
                return;
            };
            if containers.len() > 1 && !flags.bool("quiet", false) {
                // podcmd.FindOrDefaultContainerByName's notice.
                let names: Vec<&str> = containers.iter().map(|(n, _)| n.as_str()).collect();
                ctx.out.stderr.push_str(&format!(
                    "Defaulted container {} out of: {}\n",
                    go_quote(first),
                    names.join(", ")
                ));
            }
            first.clone()
        }
    };
    let Some((_, image)) = containers.iter().find(|(n, _)| *n == container) else {
        // The API server's ExecLocation refuses the upgrade (a BadRequest).
        ctx.out.fail(&format!(
            "error: unable to upgrade connection: container {container} is not valid for pod {pod_name}\n"
        ));
        return;
    };
    let running = pod
        .status
        .iter()
        .flat_map(|s| s.container_statuses.iter().flatten())
        .any(|c| c.name == container && c.state.as_ref().is_some_and(|s| s.running.is_some()));
    if !running {
        // The kubelet finds no running container to exec in.
        ctx.out.fail(&format!(
            "error: unable to upgrade connection: container not found ({})\n",
            go_quote(&container)
        ));
        return;
    }
    let shell = Shell {
        namespace: &namespace,
        pod: &pod_name,
        image,
    };
    let outcome = match execute(ctx.cluster, &shell, command) {
        Ok(run) => run,
        Err(message) => {
            ctx.out.fail(&message);
            return;
        }
    };
    ctx.out.out(&outcome.stdout);
    ctx.out.stderr.push_str(&outcome.stderr);
    if outcome.code != 0 {
        // exec.go: a remote exit code becomes kubectl's, with this line.
        ctx.out.stderr.push_str(&format!(
            "command terminated with exit code {}\n",
            outcome.code
        ));
        ctx.out.exit_code = outcome.code;
    }
}

/// The programs an image ships that kplay simulates; `None` for images whose files kplay
/// does not know.
fn programs(image: &str) -> Option<&'static [&'static str]> {
    let name = kplay_core::images::profile(image).name;
    let known: &[(&str, &[&str])] = &[
        ("busybox", &["wget", "nc", "nslookup", "hostname", "cat"]),
        ("nginx", &["curl", "hostname", "cat"]),
        ("flask-app", &["hostname", "cat"]),
        ("coredns", &[]),
    ];
    known.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// Runs `command` in the container; `Err` is kubectl's message when it cannot start.
fn execute(
    cluster: &mut kplay_core::Cluster,
    shell: &Shell<'_>,
    command: &[String],
) -> Result<Run, String> {
    let Some(program) = command.first() else {
        return Ok(Run::default());
    };
    let args = &command[1..];
    let program = program.rsplit('/').next().unwrap_or(program);
    let known = programs(shell.image);
    // `sh -c "wget -qO- web"`: every image here but coredns has a shell; a script of one
    // simple command runs that command.
    if program == "sh" && known.is_none_or(|p| !p.is_empty()) {
        if let [flag, script] = args {
            let words = shell_words::split(script).unwrap_or_default();
            let simple = !script.contains([';', '|', '&', '>', '<', '`', '$']);
            if flag == "-c" && simple && !words.is_empty() {
                return execute(cluster, shell, &words);
            }
        }
    }
    let has = match known {
        Some(list) => list.contains(&program),
        None => matches!(program, "hostname" | "cat"),
    };
    if !has {
        let simulated = ["wget", "curl", "nc", "nslookup", "hostname", "cat"];
        if known.is_some() && simulated.contains(&program) {
            return Err(not_found(shell, command));
        }
        return Err(format!(
            "error: kplay does not simulate \"{program}\" in {} containers (it runs: wget, curl, \
             nc, nslookup, hostname, cat /etc/resolv.conf)\n",
            kplay_core::images::repository_name(shell.image)
        ));
    }
    Ok(match program {
        "wget" => wget::run(cluster, shell, args),
        "curl" => curl::run(cluster, shell, args),
        "nslookup" => nslookup::run(cluster, shell, args),
        "nc" => nc::run(cluster, shell, args),
        "hostname" => Run {
            stdout: format!("{}\n", shell.pod),
            ..Run::default()
        },
        _ => cat(shell, args)?,
    })
}

/// `cat` of the files kubelet writes into every container.
fn cat(shell: &Shell<'_>, args: &[String]) -> Result<Run, String> {
    let mut stdout = String::new();
    for file in args {
        match file.as_str() {
            "/etc/resolv.conf" => {
                // kubelet's ClusterFirst resolv.conf, as containerd writes it.
                let search = kplay_core::dns::search_path(shell.namespace).join(" ");
                stdout.push_str(&format!(
                    "search {search}\nnameserver {}\noptions ndots:{}\n",
                    http::DNS_SERVER,
                    kplay_core::dns::NDOTS
                ));
            }
            "/etc/hostname" => stdout.push_str(&format!("{}\n", shell.pod)),
            other => {
                return Err(format!(
                    "error: kplay does not simulate the file \"{other}\" (cat reads \
                     /etc/resolv.conf and /etc/hostname)\n"
                ))
            }
        }
    }
    Ok(Run {
        stdout,
        ..Run::default()
    })
}

/// containerd's error for a program the image lacks, as the API server relays it. The exec
/// ID is derived from the pod and command, so a run is reproducible.
fn not_found(shell: &Shell<'_>, command: &[String]) -> String {
    let program = command.first().map_or("", String::as_str);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut id = String::new();
    for round in 0..4u8 {
        for byte in shell
            .pod
            .bytes()
            .chain(command.join(" ").bytes())
            .chain([round])
        {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
        id.push_str(&format!("{hash:016x}"));
    }
    format!(
        "error: Internal error occurred: error executing command in container: failed to exec in \
         container: failed to start exec \"{id}\": OCI runtime exec failed: exec failed: unable \
         to start container process: exec: \"{program}\": executable file not found in $PATH: \
         unknown\n"
    )
}

#[cfg(test)]
mod tests {
    use kplay_core::Cluster;

    fn kubectl(cluster: &mut Cluster, line: &str) -> crate::Output {
        let args: Vec<String> = shell_words::split(line).unwrap_or_default();
        crate::run(cluster, &args, None)
    }

    /// A cluster with `lines` run, each of which must succeed.
    fn cluster_with(lines: &[&str]) -> Cluster {
        let mut c = Cluster::new(1);
        for line in lines {
            assert_eq!(kubectl(&mut c, line).exit_code, 0, "{line}");
        }
        c
    }

    /// Runs each line and checks (stdout, stderr, exit code).
    fn check(c: &mut Cluster, table: &[(&str, &str, &str, i32)]) {
        for (line, stdout, stderr, code) in table {
            let out = kubectl(c, line);
            assert_eq!(
                (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
                (*stdout, *stderr, *code),
                "{line}"
            );
        }
    }

    #[test]
    fn exec_refusals_and_exit_codes() {
        let mut c = cluster_with(&[
            "create deployment web --image=nginx:1.27",
            "expose deployment web --port=80",
            "run client --image=busybox:1.36 --command -- sleep 3600",
            "run done --image=busybox:1.36 --restart=Never",
        ]);
        let pending = kubectl(&mut c, "exec client -- hostname");
        assert_eq!(
            pending.stderr,
            "error: unable to upgrade connection: container not found (\"client\")\n"
        );
        c.advance(30_000);
        let table: &[(&str, &str, &str, i32)] = &[
            ("exec client -- hostname", "client\n", "", 0),
            ("exec client -- sh -c 'cat /etc/hostname'", "client\n", "", 0),
            ("exec -it client -- wget -qO- http://web/healthz", "", "wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n", 1),
            ("exec client -- wget -qO- http://nope", "", "wget: bad address 'nope'\ncommand terminated with exit code 1\n", 1),
            ("exec deploy/web -- curl -sS http://nope.default", "", "curl: (6) Could not resolve host: nope.default\ncommand terminated with exit code 6\n", 6),
            ("exec client", "", "error: you must specify at least one command for the container\n", 1),
            ("exec", "", "error: expected 'exec (POD | TYPE/NAME) -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples\n", 1),
            ("exec client hostname", "", "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n", 1),
            ("exec done -- hostname", "", "error: cannot exec into a container in a completed pod; current phase is Succeeded\n", 1),
            ("exec nope -- hostname", "", "Error from server (NotFound): pods \"nope\" not found\n", 1),
            ("exec deploy/nope -- hostname", "", "Error from server (NotFound): deployments.apps \"nope\" not found\n", 1),
            ("exec client -- ls", "", "error: kplay does not simulate \"ls\" in busybox containers (it runs: wget, curl, nc, nslookup, hostname, cat /etc/resolv.conf)\n", 1),
        ];
        check(&mut c, table);
        let missing = kubectl(&mut c, "exec client -- curl http://web");
        assert!(missing
            .stderr
            .contains("exec: \"curl\": executable file not found in $PATH: unknown\n"));
        assert_eq!(missing.exit_code, 1);
    }

    #[test]
    fn names_do_not_resolve_once_coredns_is_gone() {
        // Lookups travel to CoreDNS through the kube-dns Service: scaled to zero, busybox's
        // resolver times out, while an address still works.
        let mut c = cluster_with(&[
            "create deployment web --image=nginx:1.27",
            "expose deployment web --port=80",
            "run client --image=busybox:1.36 -- sleep 3600",
        ]);
        c.advance(30_000);
        assert_eq!(kubectl(&mut c, "exec client -- nslookup web").exit_code, 0);
        let scaled = kubectl(
            &mut c,
            "scale deployment coredns -n kube-system --replicas=0",
        );
        assert_eq!(scaled.exit_code, 0, "{}", scaled.stderr);
        c.advance(60_000);
        let table: &[(&str, &str, &str, i32)] = &[
            (
                "exec client -- nslookup web",
                ";; connection timed out; no servers could be reached\n\n",
                "command terminated with exit code 1\n",
                1,
            ),
            (
                "exec client -- wget -qO- http://web",
                "",
                "wget: bad address 'web'\ncommand terminated with exit code 1\n",
                1,
            ),
        ];
        check(&mut c, table);
        let ip = kubectl(&mut c, "get svc web -o jsonpath={.spec.clusterIP}").stdout;
        let nc = kubectl(&mut c, &format!("exec client -- nc -zv -w 2 {ip} 80"));
        assert_eq!(
            (nc.stderr.as_str(), nc.exit_code),
            (format!("{ip} ({ip}:80) open\n").as_str(), 0)
        );
        let direct = kubectl(&mut c, &format!("exec client -- wget -qO- http://{ip}"));
        assert_eq!(direct.exit_code, 0, "{}", direct.stderr);
    }
}
