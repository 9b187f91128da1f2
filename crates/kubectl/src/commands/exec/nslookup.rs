//! busybox 1.36's `nslookup NAME`: it asks the `nameserver` of `resolv.conf` for A and AAAA
//! records. A name without a dot is tried with each search domain (never alone); a name
//! with a dot is asked as is, never with the search domains, which is why
//! `nslookup web.default` fails in busybox although `wget web.default` works.
//!
//! Against CoreDNS busybox 1.3x prints the reply to its first query (the A record of the
//! first name), then `*** Can't find NAME: No answer` for each other query (the A queries
//! of the other names, then the AAAA queries of all), as pods print it in the wild; it
//! exits 1 when the first query found no address. The query travels through the kube-dns
//! Service to a CoreDNS pod ([`dns::query`]); when none answers, busybox gives up with
//! `;; connection timed out; no servers could be reached`.

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
    let first = queries.first().map_or("", String::as_str);
    let Some(answer) = dns::query(cluster, shell.namespace, shell.pod, &format!("{first}.")) else {
        // No CoreDNS pod answered through the kube-dns Service.
        return Run {
            stdout: ";; connection timed out; no servers could be reached\n\n".into(),
            stderr: String::new(),
            code: 1,
        };
    };
    match &answer {
        Answer::Addresses(ips) => {
            for ip in ips {
                stdout.push_str(&format!("Name:\t{first}\nAddress: {ip}\n"));
            }
        }
        Answer::Cname(target) => stdout.push_str(&format!("{first}\tcanonical name = {target}\n")),
        Answer::NxDomain => stdout.push_str(&format!("** server can't find {first}: NXDOMAIN\n")),
    }
    stdout.push('\n');
    // The other A queries, then the AAAA queries.
    let rest = queries.iter().skip(1).chain(queries.iter());
    for query in rest {
        stdout.push_str(&format!("*** Can't find {query}: No answer\n"));
    }
    stdout.push('\n');
    let found = matches!(answer, Answer::Addresses(_));
    Run {
        stdout,
        stderr: String::new(),
        code: if found { 0 } else { 1 },
    }
}
