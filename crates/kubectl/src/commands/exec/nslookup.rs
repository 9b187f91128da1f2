//! busybox 1.36's `nslookup NAME`: it asks the `nameserver` of `resolv.conf` for A and AAAA
//! records. A name without a dot is tried with each search domain (never alone); a name
//! with a dot is asked as is, never with the search domains, which is why
//! `nslookup web.default` fails in busybox although `wget web.default` works.
//!
//! busybox prints the replies as they arrive; kplay prints them in query order: the A
//! queries, then the AAAA ones (the cluster has no IPv6, so a name that exists has `No
//! answer` for AAAA). The exit code is 1 when no A query found an address. The query goes
//! straight to CoreDNS's answer: the kube-dns Service's own availability is not modelled.

use super::http::DNS_SERVER;
use super::{Run, Shell};
use kplay_core::dns::{self, Answer};
use kplay_core::Cluster;

/// Runs `nslookup ARGS` in the pod.
pub(super) fn run(cluster: &mut Cluster, shell: &Shell<'_>, args: &[String]) -> Run {
    let [name] = args else {
        return Run::failed(
            "BusyBox v1.36.1 multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] \
             [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n"
                .into(),
            1,
        );
    };
    let name = name.trim_end_matches('.');
    let queries: Vec<String> = if name.contains('.') {
        vec![name.to_string()]
    } else {
        dns::search_path(shell.namespace)
            .iter()
            .map(|domain| format!("{name}.{domain}"))
            .collect()
    };
    let mut stdout = format!("Server:\t\t{DNS_SERVER}\nAddress:\t{DNS_SERVER}:53\n\n");
    let answers: Vec<Answer> = queries
        .iter()
        .map(|q| dns::resolve(cluster, shell.namespace, &format!("{q}.")))
        .collect();
    for (query, answer) in queries.iter().zip(&answers) {
        match answer {
            Answer::Addresses(ips) => {
                for ip in ips {
                    stdout.push_str(&format!("Name:\t{query}\nAddress: {ip}\n"));
                }
            }
            Answer::Cname(target) => {
                stdout.push_str(&format!("{query}\tcanonical name = {target}\n"));
            }
            Answer::NxDomain => {
                stdout.push_str(&format!("** server can't find {query}: NXDOMAIN\n"));
            }
        }
        stdout.push('\n');
    }
    for (query, answer) in queries.iter().zip(&answers) {
        match answer {
            Answer::NxDomain => {
                stdout.push_str(&format!("** server can't find {query}: NXDOMAIN\n\n"))
            }
            Answer::Cname(target) => {
                stdout.push_str(&format!("{query}\tcanonical name = {target}\n\n"))
            }
            Answer::Addresses(_) => {
                stdout.push_str(&format!("*** Can't find {query}: No answer\n\n"))
            }
        }
    }
    let found = answers.iter().any(|a| matches!(a, Answer::Addresses(_)));
    Run {
        stdout,
        stderr: String::new(),
        code: if found { 0 } else { 1 },
    }
}
