//! curl 7.88.1 (Debian bookworm's, in the nginx image): `curl [-s] [-S] [-m SECS] URL`. The
//! body goes to stdout; without `-s` the progress meter goes to stderr (curl shows it when
//! its output is not a terminal, as under `kubectl exec`); errors are `curl: (N) ...` and N
//! is the exit code: 6 (name not resolved), 7 (could not connect), 28 (`-m` ran out).
//! Without `-m`, a connection nobody answers fails in the kernel after its SYN retries
//! (about 130 s), which curl reports as code 7.
//! `-I`, `-v` and other options are not simulated.

use super::http::{fetch, Fetch, Url};
use super::{Run, Shell};
use kplay_core::Cluster;

/// The `User-Agent` this curl sends.
const AGENT: &str = "curl/7.88.1";

/// The progress meter's two header lines.
const METER: &str =
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
                                 Dload  Upload   Total   Spent    Left  Speed
";

/// How long a connection nobody answers takes to fail without `-m`, in ms: Linux's
/// `tcp_syn_retries` = 6 (1+2+4+8+16+32 s of retries, 64 s of waiting for the last, and
/// the retransmission timer's slack), as curl reports it (`after 13xxxx ms`).
const KERNEL_CONNECT_TIMEOUT_MS: u64 = 130_000;

/// The options of one `curl` run.
#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    silent: bool,
    show_error: bool,
    max_time: Option<u64>,
    url: Option<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let max_time = |value: Option<&String>| -> Result<u64, String> {
            value.and_then(|v| v.parse::<u64>().ok()).ok_or_else(|| {
                "curl: (2) option -m: expected a proper numerical parameter".to_string()
            })
        };
        match arg.as_str() {
            "--silent" => o.silent = true,
            "--show-error" => o.show_error = true,
            "--max-time" => o.max_time = Some(max_time(iter.next())?),
            long if long.starts_with("--") => {
                return Err(format!("kplay does not simulate curl's option {long}"))
            }
            short if short.starts_with('-') && short.len() > 1 => {
                for (i, c) in short.char_indices().skip(1) {
                    match c {
                        's' => o.silent = true,
                        'S' => o.show_error = true,
                        'm' => {
                            let rest = &short[i + 1..];
                            let value = if rest.is_empty() {
                                iter.next().cloned()
                            } else {
                                Some(rest.to_string())
                            };
                            o.max_time = Some(max_time(value.as_ref())?);
                            break;
                        }
                        other => {
                            return Err(format!("kplay does not simulate curl's option -{other}"))
                        }
                    }
                }
            }
            url => o.url = Some(url.to_string()),
        }
    }
    Ok(o)
}

/// Runs `curl ARGS` in the pod.
pub(super) fn run(cluster: &mut Cluster, shell: &Shell<'_>, args: &[String]) -> Run {
    let o = match options(args) {
        Ok(o) => o,
        Err(message) => return Run::failed(format!("{message}\n"), 2),
    };
    let Some(text) = o.url.clone() else {
        return Run::failed(
            "curl: try 'curl --help' or 'curl --manual' for more information\n".into(),
            2,
        );
    };
    let Some(url) = Url::parse(&text) else {
        let scheme = text.split("://").next().unwrap_or("");
        return Run::failed(
            format!("curl: (1) Protocol \"{scheme}\" not supported or disabled in libcurl\n"),
            1,
        );
    };
    let meter = !o.silent;
    let errors = !o.silent || o.show_error;
    let mut stderr = String::new();
    if meter {
        stderr.push_str(METER);
    }
    let (code, message, spent) = match fetch(cluster, shell, &url, AGENT) {
        Fetch::Answered(_, response) => {
            if meter {
                stderr.push_str(&meter_line(response.body.len(), 0));
            }
            return Run {
                stdout: response.body,
                stderr,
                code: 0,
            };
        }
        Fetch::BadAddress => (6, format!("Could not resolve host: {}", url.host), 0),
        Fetch::Refused(_) => (
            7,
            format!(
                "Failed to connect to {} port {} after 1 ms: Couldn't connect to server",
                url.host, url.port
            ),
            0,
        ),
        Fetch::TimedOut(_) => match o.max_time {
            Some(seconds) => {
                let ms = seconds * 1000 + 1;
                (
                    28,
                    format!("Connection timed out after {ms} milliseconds"),
                    ms,
                )
            }
            None => (
                7,
                format!(
                    "Failed to connect to {} port {} after {KERNEL_CONNECT_TIMEOUT_MS} ms: \
                     Couldn't connect to server",
                    url.host, url.port
                ),
                KERNEL_CONNECT_TIMEOUT_MS,
            ),
        },
    };
    if meter {
        stderr.push_str(&meter_line(0, spent));
    }
    if errors {
        stderr.push_str(&format!("curl: ({code}) {message}\n"));
    }
    Run::failed(stderr, code)
}

/// The meter's last line: `bytes` received (all of them), `spent_ms` spent, and the speed
/// of a transfer that took 1 ms.
fn meter_line(bytes: usize, spent_ms: u64) -> String {
    let percent = if bytes > 0 { 100 } else { 0 };
    let speed = size5(bytes.saturating_mul(1000));
    let bytes = size5(bytes);
    let spent = if spent_ms == 0 {
        "--:--:--".to_string()
    } else {
        let s = spent_ms / 1000;
        format!("{:>2}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    };
    format!(
        "{percent:>3} {bytes:>5}  {percent:>3} {bytes:>5}    0     0  {speed:>5}      0 --:--:-- {spent} --:--:-- {speed:>5}\n"
    )
}

/// curl's five-column size (`max5data`): bytes up to 99999, then `k`, `M`.
fn size5(bytes: usize) -> String {
    if bytes < 100_000 {
        bytes.to_string()
    } else if bytes < 10_000 * 1024 {
        format!("{}k", bytes / 1024)
    } else {
        format!("{}M", bytes / (1024 * 1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meter_lines_as_curl_prints_them() {
        let table = [
            (
                615,
                0,
                "100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k\n",
            ),
            (
                0,
                0,
                "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n",
            ),
            (
                0,
                5_001,
                "  0     0    0     0    0     0      0      0 --:--:--  0:00:05 --:--:--     0\n",
            ),
        ];
        for (bytes, spent, line) in table {
            assert_eq!(meter_line(bytes, spent), line, "{bytes} {spent}");
        }
    }

    #[test]
    fn options_parse() {
        let words = |s: &str| -> Vec<String> { s.split(' ').map(String::from).collect() };
        let o = options(&words("-sS -m 3 http://web")).expect("valid");
        assert_eq!((o.silent, o.show_error, o.max_time), (true, true, Some(3)));
        let o = options(&words("--max-time 2 -m5 web")).expect("valid");
        assert_eq!(o.max_time, Some(5));
        assert!(options(&words("-v web")).is_err());
    }
}
