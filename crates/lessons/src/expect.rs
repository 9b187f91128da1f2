//! `kplay expect`: an assertion over the cluster's state, read through kubectl itself (`get`
//! with `-o name` or `-o jsonpath`), so a lesson checks what `kubectl get` would show.
//!
//! ```text
//! kplay expect TYPE/NAME [-n NS] exists
//! kplay expect TYPE/NAME [-n NS] absent
//! kplay expect TYPE/NAME [-n NS] JSONPATH OP VALUE     e.g. '{.status.readyReplicas}' == 3
//! kplay expect count TYPE [-l SELECTOR] [-n NS] OP N   e.g. count pods -l app=web >= 3
//! kplay expect connection FROM TO PORT allowed|blocked [-n NS]
//! ```
//!
//! A connection's ends are `deployment/NAME` (its first running pod) or `pod/NAME`; the
//! verdict is the network plugin's on a TCP connection to that port of the destination pod,
//! as `kubectl exec FROM -- nc -z TO PORT` would find it (without running anything).
//!
//! `OP` is one of `==`, `!=`, `>=`, `<=`, `>`, `<`: numbers compare as numbers, anything
//! else as text (`==` and `!=` only). An empty JSONPATH result is the empty string (`''`).

use kplay_core::network::policy::{judge, End};
use kplay_core::types::{Deployment, Pod};
use kplay_core::{labels, Cluster};

/// One parsed `kplay expect` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The line as written, for reports.
    pub text: String,
    /// The `kubectl get` arguments that read the state.
    get: Vec<String>,
    /// What is asserted of what they print.
    test: Test,
}

/// What an expectation asserts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Test {
    Exists,
    Absent,
    /// The JSONPATH output compared with a value.
    Field(Op, String),
    /// The number of objects compared with a number.
    Count(Op, i64),
    /// Whether a TCP connection between two pods gets through.
    Connection {
        namespace: String,
        from: String,
        to: String,
        port: i32,
        allowed: bool,
    },
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            ">=" => Op::Ge,
            "<=" => Op::Le,
            ">" => Op::Gt,
            "<" => Op::Lt,
            _ => return None,
        })
    }

    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }

    /// Whether `got OP want` holds: numerically when both are numbers, else as text.
    fn holds(self, got: &str, want: &str) -> Result<bool, String> {
        let ordering = match (number(got), number(want)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => match self {
                Op::Eq | Op::Ne => Some(got.cmp(want)),
                _ => {
                    return Err(format!(
                        "\"{got}\" {} \"{want}\" compares numbers only",
                        self.symbol()
                    ))
                }
            },
        };
        let Some(ordering) = ordering else {
            return Ok(false);
        };
        Ok(match self {
            Op::Eq => ordering.is_eq(),
            Op::Ne => ordering.is_ne(),
            Op::Ge => ordering.is_ge(),
            Op::Le => ordering.is_le(),
            Op::Gt => ordering.is_gt(),
            Op::Lt => ordering.is_lt(),
        })
    }
}

/// A decimal number as JSONPATH prints one (`3`, `-1`, `0.5`): not `nan`, `inf` or `1e3`,
/// which are text here.
fn number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let decimal = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && !digits.starts_with('.')
        && !digits.ends_with('.');
    decimal.then(|| text.parse().ok()).flatten()
}

/// The usage, for parse errors.
const USAGE: &str = "usage: kplay expect TYPE/NAME [-n NS] exists|absent|JSONPATH OP VALUE, kplay expect count TYPE [-l SELECTOR] [-n NS] OP N (OP: == != >= <= > <), or kplay expect connection FROM TO PORT allowed|blocked [-n NS]";

impl Expectation {
    /// Parses a `kplay expect ...` line.
    pub fn parse(line: &str) -> Result<Expectation, String> {
        let words = shell_words::split(line.trim())
            .map_err(|_| "unterminated quote in the line".to_string())?;
        let rest = match words.as_slice() {
            [kplay, expect, rest @ ..] if kplay == "kplay" && expect == "expect" => rest,
            _ => return Err(USAGE.into()),
        };
        // -n NS and -l SELECTOR go to kubectl wherever they are written.
        let mut flags = Vec::new();
        let mut words = Vec::new();
        let mut iter = rest.iter();
        while let Some(word) = iter.next() {
            match word.as_str() {
                "-n" | "--namespace" | "-l" | "--selector" => {
                    let value = iter.next().ok_or_else(|| format!("{word} needs a value"))?;
                    flags.extend([word.clone(), value.clone()]);
                }
                _ => words.push(word.as_str()),
            }
        }
        if let ["connection", from, to, port, verdict] = words.as_slice() {
            let port = port
                .parse()
                .ok()
                .filter(|p| (1..=65_535).contains(p))
                .ok_or_else(|| format!("a port is a number from 1 to 65535, not \"{port}\""))?;
            let allowed = match *verdict {
                "allowed" => true,
                "blocked" => false,
                other => {
                    return Err(format!(
                        "a connection is allowed or blocked, not \"{other}\""
                    ))
                }
            };
            for end in [from, to] {
                if !(end.starts_with("deployment/") || end.starts_with("pod/")) {
                    return Err(format!(
                        "a connection's end is deployment/NAME or pod/NAME, not \"{end}\""
                    ));
                }
            }
            let namespace = flags
                .chunks(2)
                .find(|f| matches!(f[0].as_str(), "-n" | "--namespace"))
                .map_or("default".to_string(), |f| f[1].clone());
            return Ok(Expectation {
                text: line.trim().to_string(),
                get: Vec::new(),
                test: Test::Connection {
                    namespace,
                    from: (*from).to_string(),
                    to: (*to).to_string(),
                    port,
                    allowed,
                },
            });
        }
        let (get, test) = match words.as_slice() {
            ["count", resource, op, n] => {
                let op = Op::parse(op).ok_or(USAGE)?;
                let n = n
                    .parse()
                    .map_err(|_| format!("count needs a whole number, not \"{n}\""))?;
                (vec![(*resource).to_string()], Test::Count(op, n))
            }
            [object, "exists"] => (vec![(*object).to_string()], Test::Exists),
            [object, "absent"] => (vec![(*object).to_string()], Test::Absent),
            [object, path, op, value] if path.starts_with('{') => {
                let op = Op::parse(op).ok_or(USAGE)?;
                let get = vec![(*object).to_string(), format!("-o=jsonpath={path}")];
                (get, Test::Field(op, (*value).to_string()))
            }
            _ => return Err(USAGE.into()),
        };
        if !matches!(test, Test::Count(..)) && !get[0].contains('/') {
            return Err(format!("name one object as TYPE/NAME, not \"{}\"", get[0]));
        }
        if matches!(test, Test::Count(..)) && get[0].contains('/') {
            return Err(format!("count takes a TYPE, not \"{}\"", get[0]));
        }
        let mut args = vec!["get".to_string()];
        args.extend(get);
        if matches!(test, Test::Exists | Test::Absent | Test::Count(..)) {
            args.push("-o=name".into());
        }
        args.extend(flags);
        Ok(Expectation {
            text: line.trim().to_string(),
            get: args,
            test,
        })
    }

    /// Checks the cluster (reading only): `Ok` when it holds, else what was found instead.
    pub fn check(&self, cluster: &mut Cluster) -> Result<(), String> {
        if let Test::Connection {
            namespace,
            from,
            to,
            port,
            allowed,
        } = &self.test
        {
            let fail = |what: String| Err(format!("{}: {what}", self.text));
            let (Some(source), Some(target)) = (
                running_pod(cluster, namespace, from),
                running_pod(cluster, namespace, to),
            ) else {
                return fail("no running pod at one end".into());
            };
            let verdict = judge(cluster, End::Pod(source), End::Pod(target), *port, "TCP");
            return if verdict.allowed() == *allowed {
                Ok(())
            } else {
                fail(format!("it is {verdict}"))
            };
        }
        let out = kplay_kubectl::run(cluster, &self.get, None);
        let found = out.exit_code == 0;
        let fail = |what: String| Err(format!("{}: {what}", self.text));
        match &self.test {
            Test::Exists if found => Ok(()),
            Test::Exists => fail(format!("not found ({})", out.stderr.trim())),
            Test::Absent if !found => Ok(()),
            Test::Absent => fail("it exists".into()),
            Test::Field(..) | Test::Count(..) if !found => fail(out.stderr.trim().to_string()),
            Test::Field(op, want) => match op.holds(&out.stdout, want) {
                Ok(true) => Ok(()),
                Ok(false) => fail(format!("it is \"{}\"", out.stdout)),
                Err(e) => fail(e),
            },
            Test::Connection { .. } => Ok(()),
            Test::Count(op, want) => {
                let count = out.stdout.lines().filter(|l| !l.is_empty()).count();
                match op.holds(&count.to_string(), &want.to_string()) {
                    Ok(true) => Ok(()),
                    _ => fail(format!("there are {count}")),
                }
            }
        }
    }
}

/// The pod `end` names (`pod/NAME`, or `deployment/NAME`'s first pod that has an address
/// and is not terminating) in `namespace`.
fn running_pod<'a>(cluster: &'a Cluster, namespace: &'a str, end: &str) -> Option<&'a Pod> {
    let store = cluster.store();
    let running = |p: &&Pod| {
        p.metadata.deletion_timestamp.is_none()
            && p.status.as_ref().is_some_and(|s| s.pod_ip.is_some())
    };
    if let Some(name) = end.strip_prefix("pod/") {
        return store.get::<Pod>(namespace, name).filter(running);
    }
    let name = end.strip_prefix("deployment/")?;
    let deployment = store.get::<Deployment>(namespace, name)?;
    let selector = &deployment.spec.as_ref()?.selector;
    store
        .list::<Pod>(Some(namespace))
        .filter(running)
        .find(|p| labels::selector_matches(selector, p.metadata.labels.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// web (3 replicas, ready) in default, and namespace team-a.
    fn cluster() -> Cluster {
        let mut cluster = Cluster::new(1);
        let script = "kubectl create deployment web --image=nginx:1.27 --replicas=3\nkubectl create namespace team-a\nsleep 30s\n";
        let parsed = kplay_kubectl::script::parse(script).unwrap_or_else(|e| panic!("{e}"));
        kplay_kubectl::script::run_script(&mut cluster, &parsed);
        cluster
    }

    #[test]
    fn expectations_hold_or_say_what_they_found() {
        let mut cluster = cluster();
        let table = [
            ("kplay expect deployment/web exists", Ok(())),
            ("kplay expect deploy/web -n default exists", Ok(())),
            ("kplay expect namespace/team-a exists", Ok(())),
            ("kplay expect deployment/api exists", Err("kplay expect deployment/api exists: not found (Error from server (NotFound): deployments.apps \"api\" not found)")),
            ("kplay expect deployment/api absent", Ok(())),
            ("kplay expect deployment/web absent", Err("kplay expect deployment/web absent: it exists")),
            ("kplay expect deployment/web '{.status.readyReplicas}' == 3", Ok(())),
            ("kplay expect deployment/web '{.status.readyReplicas}' >= 2", Ok(())),
            ("kplay expect deployment/web '{.status.readyReplicas}' < 3", Err("kplay expect deployment/web '{.status.readyReplicas}' < 3: it is \"3\"")),
            ("kplay expect deployment/web '{.spec.template.spec.containers[0].image}' == nginx:1.27", Ok(())),
            ("kplay expect deployment/web '{.spec.template.spec.containers[0].image}' != nginx:1.27", Err("kplay expect deployment/web '{.spec.template.spec.containers[0].image}' != nginx:1.27: it is \"nginx:1.27\"")),
            ("kplay expect deployment/web '{.spec.paused}' == ''", Ok(())),
            ("kplay expect deployment/web '{.metadata.name}' > a", Err("kplay expect deployment/web '{.metadata.name}' > a: \"web\" > \"a\" compares numbers only")),
            ("kplay expect count pods -l app=web == 3", Ok(())),
            ("kplay expect count pods -n kube-system -l k8s-app=kube-dns == 2", Ok(())),
            ("kplay expect count pods -l app=web > 3", Err("kplay expect count pods -l app=web > 3: there are 3")),
            ("kplay expect count deployments -n team-a == 0", Ok(())),
            ("kplay expect deployment/web '{.metadata.name}' != inf", Ok(())),
            ("kplay expect deployment/web '{.spec.replicas}' == 3.0", Ok(())),
            ("kplay expect deployment/web '{.spec.replicas}' > 1e3", Err("kplay expect deployment/web '{.spec.replicas}' > 1e3: \"3\" > \"1e3\" compares numbers only")),
            ("kplay expect connection deployment/web deployment/web 80 allowed", Ok(())),
            ("kplay expect connection deployment/web deployment/web 80 blocked", Err("kplay expect connection deployment/web deployment/web 80 blocked: it is allowed: egress of the source is not isolated; ingress of the destination is not isolated")),
            ("kplay expect connection deployment/web deployment/api 80 allowed", Err("kplay expect connection deployment/web deployment/api 80 allowed: no running pod at one end")),
        ];
        for (line, expected) in table {
            let expectation = Expectation::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(
                expectation.check(&mut cluster),
                expected.map_err(str::to_string),
                "{line}"
            );
        }
    }

    #[test]
    fn malformed_expectations_are_refused() {
        let table = [
            ("kplay expect", USAGE),
            ("kubectl get pods", USAGE),
            ("kplay expect deployment/web", USAGE),
            ("kplay expect deployment/web '{.spec.replicas}' ~ 3", USAGE),
            (
                "kplay expect deployment exists",
                "name one object as TYPE/NAME, not \"deployment\"",
            ),
            (
                "kplay expect count deployment/web == 1",
                "count takes a TYPE, not \"deployment/web\"",
            ),
            (
                "kplay expect count pods == many",
                "count needs a whole number, not \"many\"",
            ),
            ("kplay expect count pods -l", "-l needs a value"),
            (
                "kplay expect deployment/web 'x",
                "unterminated quote in the line",
            ),
            (
                "kplay expect connection deployment/a deployment/b 0 allowed",
                "a port is a number from 1 to 65535, not \"0\"",
            ),
            (
                "kplay expect connection deployment/a deployment/b 80 maybe",
                "a connection is allowed or blocked, not \"maybe\"",
            ),
            (
                "kplay expect connection svc/a deployment/b 80 allowed",
                "a connection's end is deployment/NAME or pod/NAME, not \"svc/a\"",
            ),
        ];
        for (line, expected) in table {
            assert_eq!(
                Expectation::parse(line),
                Err(expected.to_string()),
                "{line}"
            );
        }
    }
}
