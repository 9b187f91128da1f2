//! busybox 1.36's `wget`: `wget [-q] [-O FILE] [-T SEC] [-S] [--spider] URL`, with its
//! messages on stderr (`Connecting to web (10.96.0.50:80)`, the progress bar, `wget: bad
//! address 'nope'`, `wget: can't connect to remote host (IP): Connection refused` or
//! `Connection timed out` after the kernel's SYN retries, `wget: download timed out` after
//! `-T` seconds) and exit code 1
//! for every failure. The file `-O FILE`
//! (or the URL's last path segment) would write is not kept: each exec starts afresh.

use super::http::{fetch, Fetch, Url};
use super::{Run, Shell};
use kplay_core::Cluster;

/// The `User-Agent` busybox wget sends.
const AGENT: &str = "Wget";

/// The options of one `wget` run.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    quiet: bool,
    output: Option<String>,
    headers: bool,
    spider: bool,
    url: Option<String>,
    /// `-T SEC`: busybox's alarm that ends a transfer (connecting included).
    timeout: Option<u32>,
}

/// busybox getopt32's parsing: clustered short options (`-qO-`), `-T5`, `--timeout=5`.
fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let mut value = || inline.clone().or_else(|| iter.next().cloned());
            match name {
                "quiet" => o.quiet = true,
                "spider" => o.spider = true,
                "server-response" => o.headers = true,
                "output-document" => o.output = value(),
                "timeout" => o.timeout = Some(seconds(value())?),
                _ => return Err(format!("wget: unrecognized option '--{name}'")),
            }
            continue;
        }
        let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
            o.url = Some(arg.clone());
            continue;
        };
        for (i, c) in shorts.char_indices() {
            match c {
                'q' => o.quiet = true,
                'S' => o.headers = true,
                'O' | 'T' => {
                    let rest = &shorts[i + c.len_utf8()..];
                    let value = if rest.is_empty() {
                        iter.next().cloned()
                    } else {
                        Some(rest.to_string())
                    };
                    if c == 'O' {
                        o.output = value;
                    } else {
                        o.timeout = Some(seconds(value)?);
                    }
                    break;
                }
                other => return Err(format!("wget: unrecognized option: {other}")),
            }
        }
    }
    Ok(o)
}

/// Checks a `-T` value: whole seconds.
fn seconds(value: Option<String>) -> Result<u32, String> {
    let value = value.unwrap_or_default();
    value
        .parse()
        .map_err(|_| format!("wget: invalid number '{value}'"))
}

/// busybox's usage line for a wget without a URL.
const USAGE: &str = "BusyBox v1.36.1 multi-call binary.

Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
\t[--post-data STR | --post-file FILE] [-Y on/off]
\t[-P DIR] [-U AGENT] [-T SEC] URL...
";

/// Runs `wget ARGS` in the pod.
pub(super) fn run(cluster: &mut Cluster, shell: &Shell<'_>, args: &[String]) -> Run {
    let o = match options(args) {
        Ok(o) => o,
        Err(message) => return Run::failed(format!("{message}\n{USAGE}"), 1),
    };
    let Some(text) = o.url.clone() else {
        return Run::failed(USAGE.to_string(), 1);
    };
    let Some(url) = Url::parse(&text) else {
        return Run::failed(format!("wget: not an http or ftp url: {text}\n"), 1);
    };
    let mut stderr = String::new();
    let fail = |mut stderr: String, message: String| {
        stderr.push_str(&format!("wget: {message}\n"));
        Run::failed(stderr, 1)
    };
    let response = match fetch(cluster, shell, &url, AGENT) {
        Fetch::BadAddress => return fail(stderr, format!("bad address '{}'", url.host)),
        Fetch::Refused(ip) => {
            connecting(&mut stderr, &o, &url, &ip);
            return fail(
                stderr,
                format!("can't connect to remote host ({ip}): Connection refused"),
            );
        }
        Fetch::TimedOut(ip) => {
            connecting(&mut stderr, &o, &url, &ip);
            // With `-T` busybox's alarm fires first (`download timed out`, as a NetworkPolicy
            // drop shows in every tutorial); without it the kernel's SYN retries give up
            // (about 2 minutes) before busybox's 900 s: ETIMEDOUT.
            let message = match o.timeout {
                Some(_) => "download timed out".to_string(),
                None => format!("can't connect to remote host ({ip}): Connection timed out"),
            };
            return fail(stderr, message);
        }
        Fetch::Answered(ip, response) => {
            connecting(&mut stderr, &o, &url, &ip);
            response
        }
    };
    if o.headers {
        stderr.push_str(&format!(
            "  HTTP/1.1 {} {}\n",
            response.status,
            response.reason()
        ));
        for header in &response.headers {
            stderr.push_str(&format!("  {header}\n"));
        }
    }
    if response.status != 200 {
        return fail(
            stderr,
            format!(
                "server returned error: HTTP/1.1 {} {}",
                response.status,
                response.reason()
            ),
        );
    }
    if o.spider {
        if !o.quiet {
            stderr.push_str("remote file exists\n");
        }
        return Run {
            stderr,
            ..Run::default()
        };
    }
    let to_stdout = o.output.as_deref() == Some("-");
    let file = match &o.output {
        Some(file) => file.clone(),
        None => match url.path.split('?').next().unwrap_or("").rsplit('/').next() {
            Some(last) if !last.is_empty() => last.to_string(),
            _ => "index.html".to_string(),
        },
    };
    if !o.quiet {
        if to_stdout {
            stderr.push_str("writing to stdout\n");
        } else {
            stderr.push_str(&format!("saving to '{file}'\n"));
        }
        stderr.push_str(&progress(&file, response.body.len()));
        if to_stdout {
            stderr.push_str("written to stdout\n");
        } else {
            stderr.push_str(&format!("'{file}' saved\n"));
        }
    }
    Run {
        stdout: if to_stdout {
            response.body
        } else {
            String::new()
        },
        stderr,
        code: 0,
    }
}

/// `Connecting to HOST (IP:PORT)`, unless quiet.
fn connecting(stderr: &mut String, o: &Options, url: &Url, ip: &str) {
    if !o.quiet {
        stderr.push_str(&format!(
            "Connecting to {} ({ip}:{})\n",
            url.authority, url.port
        ));
    }
}

/// busybox's finished progress bar (`bb_progress_update`): the name in 20 columns, 100%, 32
/// stars, the size, and the ETA.
fn progress(name: &str, bytes: usize) -> String {
    let name: String = name.chars().take(20).collect();
    format!(
        "{name:<20} 100% |{}| {bytes:>5}  0:00:00 ETA\n",
        "*".repeat(32)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_as_busybox_does() {
        let words = |s: &str| -> Vec<String> { s.split(' ').map(String::from).collect() };
        let o = options(&words("-qO- -T 5 http://web")).expect("valid");
        assert!(o.quiet);
        assert_eq!(o.output.as_deref(), Some("-"));
        assert_eq!(o.url.as_deref(), Some("http://web"));
        let o = options(&words("--timeout=2 -S --spider -O - web")).expect("valid");
        assert_eq!((o.headers, o.spider), (true, true));
        assert_eq!(o.output.as_deref(), Some("-"));
        assert_eq!(
            options(&words("-T x web")),
            Err("wget: invalid number 'x'".to_string())
        );
        assert_eq!(
            options(&words("-z web")),
            Err("wget: unrecognized option: z".to_string())
        );
    }

    #[test]
    fn the_progress_bar() {
        assert_eq!(
            progress("index.html", 615),
            "index.html           100% |********************************|   615  0:00:00 ETA\n"
        );
    }
}
