//! busybox 1.36's `nc` as a port check: `nc -z [-v] [-w SEC] [-u] HOST PORT` connects and
//! closes, exiting 0 when the port accepted the connection and 1 otherwise; with `-v` it says
//! so on stderr (`web (10.96.0.50:80) open`, or the reason it failed). A connection that a
//! NetworkPolicy drops waits for `-w` and fails as timed out. UDP has no handshake, so `-u`
//! always reports success. No bytes are sent: the app logs nothing.

use super::http::address;
use super::{Run, Shell};
use kplay_core::network::connect::{self, Origin, Outcome, Request};
use kplay_core::Cluster;

/// Runs `nc ARGS` in the pod.
pub(super) fn run(cluster: &mut Cluster, shell: &Shell<'_>, args: &[String]) -> Run {
    let mut verbose = false;
    let mut udp = false;
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            positional.push(arg.as_str());
            continue;
        };
        for (i, flag) in flags.char_indices() {
            match flag {
                'z' => {}
                'v' => verbose = true,
                'u' => udp = true,
                'w' => {
                    // The wait bounds how long a dropped connection hangs; an exec does not
                    // wait, so the value is only checked.
                    let rest = &flags[i + 1..];
                    let value = if rest.is_empty() {
                        iter.next().map(String::as_str)
                    } else {
                        Some(rest)
                    };
                    if value.and_then(|v| v.parse::<u32>().ok()).is_none() {
                        return Run::failed(
                            format!("nc: invalid number '{}'\n", value.unwrap_or("")),
                            1,
                        );
                    }
                    break;
                }
                other => return Run::failed(format!("nc: invalid option -- '{other}'\n"), 1),
            }
        }
    }
    let [host, port] = positional.as_slice() else {
        return Run::failed(
            "BusyBox v1.36.1 multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n"
                .into(),
            1,
        );
    };
    let Some(port) = port.parse::<i32>().ok().filter(|p| (1..=65535).contains(p)) else {
        return Run::failed(format!("nc: bad port '{port}'\n"), 1);
    };
    let Some(ip) = address(cluster, shell, host) else {
        return Run::failed(format!("nc: bad address '{host}'\n"), 1);
    };
    let origin = Origin::Pod(shell.namespace.to_string(), shell.pod.to_string());
    let nothing = Request {
        agent: "",
        path: "",
    };
    let protocol = if udp { "UDP" } else { "TCP" };
    let outcome = connect::connect(cluster, &origin, &ip, port, protocol, nothing);
    let failure = match outcome {
        _ if udp => None,
        Outcome::Answered(_) => None,
        Outcome::Refused => Some("Connection refused"),
        Outcome::TimedOut | Outcome::Dropped(_) => Some("Connection timed out"),
    };
    let said = |text: String| if verbose { text } else { String::new() };
    match failure {
        None => Run {
            stderr: said(format!("{host} ({ip}:{port}) open\n")),
            ..Run::default()
        },
        Some(why) => Run::failed(said(format!("nc: {host} ({ip}:{port}): {why}\n")), 1),
    }
}
