//! What `wget` and `curl` share: the URL, the name lookup through the pod's resolver, one
//! connection through the cluster network, and the answering app's response.

use super::Shell;
use kplay_core::dns::{self, Answer as DnsAnswer};
use kplay_core::network::connect::{self, Origin, Outcome, Request};
use kplay_core::{images, Cluster};

/// The cluster DNS Service's address, the `nameserver` of every pod's `resolv.conf`.
pub(super) const DNS_SERVER: &str = "10.96.0.10";

/// An `http://host[:port][/path]` URL (the scheme may be left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Url {
    /// The host as written, with its `:port` if one was written (busybox prints it so).
    pub authority: String,
    /// The host name or address.
    pub host: String,
    /// The port (80 by default).
    pub port: i32,
    /// The path and query (`/` by default).
    pub path: String,
}

impl Url {
    /// Parses a URL; `None` when it is not plain HTTP.
    pub fn parse(text: &str) -> Option<Url> {
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some(_) => return None,
            None => text,
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().ok().filter(|p| (1..=65535).contains(p))?),
            None => (authority, 80),
        };
        if host.is_empty() {
            return None;
        }
        Some(Url {
            authority: authority.to_string(),
            host: host.to_string(),
            port,
            path,
        })
    }
}

/// What became of one HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fetch {
    /// The host name does not resolve.
    BadAddress,
    /// The connection to this address was refused.
    Refused(String),
    /// Nothing answered at this address.
    TimedOut(String),
    /// An app answered from this address.
    Answered(String, Response),
}

/// An app's HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Response {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: String,
    /// The response headers, in the order the server sends them.
    pub headers: Vec<String>,
}

impl Response {
    /// The status line's reason phrase.
    pub fn reason(&self) -> &'static str {
        match self.status {
            200 => "OK",
            404 => "Not Found",
            _ => "",
        }
    }
}

/// Resolves `url`'s host from the pod, connects and sends `GET path` as `agent`.
pub(super) fn fetch(cluster: &mut Cluster, shell: &Shell<'_>, url: &Url, agent: &str) -> Fetch {
    let Some(ip) = address(cluster, shell, &url.host) else {
        return Fetch::BadAddress;
    };
    let origin = Origin::Pod(shell.namespace.to_string(), shell.pod.to_string());
    let request = Request {
        agent,
        path: &url.path,
    };
    match connect::connect(cluster, &origin, &ip, url.port, "TCP", request) {
        Outcome::Answered(answer) => {
            let unix = kplay_core::time::timestamp(cluster.now()).0;
            let (status, body) = images::response_body(&answer.image, &answer.pod, &url.path, unix);
            let headers = headers(&answer.image, status, body.len(), unix);
            Fetch::Answered(
                ip,
                Response {
                    status,
                    body,
                    headers,
                },
            )
        }
        Outcome::Refused => Fetch::Refused(ip),
        // A NetworkPolicy drops the packets: the tool waits for its timeout.
        Outcome::TimedOut | Outcome::Dropped(_) => Fetch::TimedOut(ip),
    }
}

/// The IPv4 address `host` stands for from the pod: an address as is, `localhost` the pod
/// itself, any other name through cluster DNS along the pod's search path, asked of CoreDNS
/// through the kube-dns Service (a CNAME is followed; the simulation has no internet).
pub(super) fn address(cluster: &mut Cluster, shell: &Shell<'_>, host: &str) -> Option<String> {
    if host.split('.').count() == 4 && host.split('.').all(|o| o.parse::<u8>().is_ok()) {
        return Some(host.to_string());
    }
    if host.eq_ignore_ascii_case("localhost") {
        let pod = cluster
            .store()
            .get::<kplay_core::types::Pod>(shell.namespace, shell.pod)?;
        return connect::pod_ip(pod).map(str::to_string);
    }
    let mut name = host.to_string();
    for _ in 0..8 {
        // No DNS server answering is a failed lookup too (`bad address`, `Could not resolve`).
        match dns::query(cluster, shell.namespace, shell.pod, &name)? {
            DnsAnswer::Addresses(ips) => return ips.into_iter().next(),
            DnsAnswer::Cname(target) => name = format!("{target}."),
            DnsAnswer::NxDomain => return None,
        }
    }
    None
}

/// The headers an app of `image` sends with a `status` response of `bytes` at `unix_ms`
/// (nginx 1.27's and Werkzeug 3's, for a client that asks for `Connection: close`).
fn headers(image: &str, status: u16, bytes: usize, unix_ms: i64) -> Vec<String> {
    let date = format!("Date: {}", http_date(unix_ms));
    let length = format!("Content-Length: {bytes}");
    match images::profile(image).name {
        "nginx" if status == 200 => vec![
            "Server: nginx/1.27.3".into(),
            date,
            "Content-Type: text/html".into(),
            length,
            // The image's index.html: 2024-11-26 15:55:00 UTC, 0x267 = 615 bytes.
            "Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT".into(),
            "Connection: close".into(),
            "ETag: \"6745ef54-267\"".into(),
            "Accept-Ranges: bytes".into(),
        ],
        "nginx" => vec![
            "Server: nginx/1.27.3".into(),
            date,
            "Content-Type: text/html".into(),
            length,
            "Connection: close".into(),
        ],
        "flask-app" => vec![
            "Server: Werkzeug/3.1.3 Python/3.12.8".into(),
            date,
            "Content-Type: text/html; charset=utf-8".into(),
            length,
            "Connection: close".into(),
        ],
        _ => vec![
            date,
            length,
            "Content-Type: text/plain; charset=utf-8".into(),
            "Connection: close".into(),
        ],
    }
}

/// An HTTP date (RFC 9110's IMF-fixdate): `Wed, 01 Jan 2025 00:00:10 GMT`.
fn http_date(unix_ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let stamp = kplay_core::time::format_rfc3339(unix_ms);
    let weekday = DAYS
        .get(usize::try_from(unix_ms.div_euclid(86_400_000).rem_euclid(7)).unwrap_or(0))
        .copied()
        .unwrap_or("Thu");
    let date = stamp.get(0..10).unwrap_or("");
    let clock = stamp.get(11..19).unwrap_or("");
    let mut parts = date.split('-');
    let (year, month, day) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let month = month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("Jan");
    format!("{weekday}, {day} {month} {year} {clock} GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let url = |authority: &str, host: &str, port, path: &str| {
            Some(Url {
                authority: authority.into(),
                host: host.into(),
                port,
                path: path.into(),
            })
        };
        let table = [
            ("http://web", url("web", "web", 80, "/")),
            ("web:8080/x?y=1", url("web:8080", "web", 8080, "/x?y=1")),
            ("HTTP://10.96.0.5/", url("10.96.0.5", "10.96.0.5", 80, "/")),
            ("web?msg=a", url("web", "web", 80, "/?msg=a")),
            ("https://web", None),
            ("http://web:99999", None),
            ("http://:80", None),
        ];
        for (text, want) in table {
            assert_eq!(Url::parse(text), want, "{text}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            http_date(1_735_689_610_000),
            "Wed, 01 Jan 2025 00:00:10 GMT"
        );
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
