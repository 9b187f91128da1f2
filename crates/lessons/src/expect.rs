//! `kplay expect`: an assertion over the cluster's state, read through kubectl itself (`get`
//! with `-o name` or `-o jsonpath`), so a lesson checks what `kubectl get` would show.
//!
//! ```text
//! kplay expect TYPE/NAME [-n NS] exists
//! kplay expect TYPE/NAME [-n NS] absent
//! kplay expect TYPE/NAME [-n NS] JSONPATH OP VALUE     e.g. '{.status.readyReplicas}' == 3
//! kplay expect count TYPE [-l SELECTOR] [-n NS] OP N   e.g. count pods -l app=web >= 3
//! ```
//!
//! `OP` is one of `==`, `!=`, `>=`, `<=`, `>`, `<`: numbers compare as numbers, anything
//! else as text (`==` and `!=` only). An empty JSONPATH result is the empty string (`''`).

use kplay_core::Cluster;

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
        let ordering = match (got.parse::<f64>(), want.parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
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

/// The usage, for parse errors.
const USAGE: &str = "usage: kplay expect TYPE/NAME [-n NS] exists|absent|JSONPATH OP VALUE, or kplay expect count TYPE [-l SELECTOR] [-n NS] OP N (OP: == != >= <= > <)";

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
