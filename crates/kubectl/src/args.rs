//! Command-line flags, parsed the way cobra/pflag parse kubectl's: flags may come anywhere,
//! `--name=value`, `--name value`, `-n value`, `-nvalue`, boolean flags without a value (or
//! `--watch=false`), and `--` ends the flags. Errors carry pflag's words.

use kplay_core::vecmap::VecMap;

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagType {
    /// A boolean switch: `--show-labels`, `--watch=false`.
    Bool,
    /// A string value.
    String,
    /// A whole number (pflag `IntVar`/`Int32Var`).
    Int,
    /// A Go duration such as `30s`.
    Duration,
}

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// The long name, without dashes.
    pub long: &'static str,
    /// The one-letter shorthand, if any.
    pub short: Option<char>,
    /// What the flag takes.
    pub kind: FlagType,
}

impl Flag {
    /// A flag with a long name only.
    pub const fn long(long: &'static str, kind: FlagType) -> Flag {
        Flag {
            long,
            short: None,
            kind,
        }
    }

    /// A flag with a shorthand.
    pub const fn short(long: &'static str, short: char, kind: FlagType) -> Flag {
        Flag {
            long,
            short: Some(short),
            kind,
        }
    }

    /// How pflag names the flag in errors: `--replicas` or `-r, --replicas`.
    fn display(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
}

/// kubectl's global flags that the simulation honours, accepted by every command.
pub const GLOBAL_FLAGS: &[Flag] = &[Flag::short("namespace", 'n', FlagType::String)];

/// The result of parsing: positional arguments and the flags' values (the last one wins for
/// scalars; every occurrence is kept for repeatable flags such as `--image`).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Arguments that are not flags, in order.
    pub positional: Vec<String>,
    values: VecMap<&'static str, Vec<String>>,
}

impl Parsed {
    /// The last value given for a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value given for a repeatable flag.
    pub fn values(&self, long: &str) -> &[String] {
        self.values.get(long).map_or(&[], Vec::as_slice)
    }

    /// Whether a boolean flag is set (its last value is `true`); `default` if absent.
    pub fn bool(&self, long: &str, default: bool) -> bool {
        self.value(long).map_or(default, |v| v == "true")
    }

    /// An integer flag's value (validated while parsing).
    pub fn int(&self, long: &str) -> Option<i64> {
        self.value(long).and_then(|v| v.parse().ok())
    }

    /// A duration flag's value in milliseconds; `None` if absent or negative.
    pub fn duration_ms(&self, long: &str) -> Option<u64> {
        self.value(long)
            .and_then(|v| crate::duration::parse_go_duration(v).ok().flatten())
    }

    /// The namespace the command works in (`-n`, else `default`).
    pub fn namespace(&self) -> &str {
        self.value("namespace").unwrap_or("default")
    }
}

/// Parses `args` against `flags` (plus [`GLOBAL_FLAGS`]). The error is pflag's message,
/// e.g. `unknown flag: --bogus`.
pub fn parse(args: &[String], flags: &[Flag]) -> Result<Parsed, String> {
    let all: Vec<&Flag> = flags.iter().chain(GLOBAL_FLAGS).collect();
    let mut parsed = Parsed::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            parsed.positional.extend(iter.by_ref().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let flag = all
                .iter()
                .find(|f| f.long == name)
                .ok_or_else(|| format!("unknown flag: --{name}"))?;
            let value = match (inline, flag.kind) {
                (Some(v), _) => v,
                (None, FlagType::Bool) => "true".to_string(),
                (None, _) => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("flag needs an argument: --{name}"))?,
            };
            store(&mut parsed, flag, value)?;
        } else if let Some(shorts) = arg.strip_prefix('-').filter(|s| !s.is_empty()) {
            parse_shorthands(shorts, &mut iter, &all, &mut parsed)?;
        } else {
            parsed.positional.push(arg.clone());
        }
    }
    Ok(parsed)
}

/// `-A`, `-n ns`, `-nns`, `-oyaml`, `-o=yaml`: pflag's shorthand rules.
fn parse_shorthands<'a>(
    shorts: &str,
    iter: &mut impl Iterator<Item = &'a String>,
    all: &[&Flag],
    parsed: &mut Parsed,
) -> Result<(), String> {
    let mut rest = shorts;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        let flag = all
            .iter()
            .find(|f| f.short == Some(c))
            .ok_or_else(|| format!("unknown shorthand flag: '{c}' in -{shorts}"))?;
        if flag.kind == FlagType::Bool {
            match rest.strip_prefix('=') {
                Some(v) => return store(parsed, flag, v.to_string()),
                None => store(parsed, flag, "true".to_string())?,
            }
            continue;
        }
        let value = match rest {
            "" => iter
                .next()
                .cloned()
                .ok_or_else(|| format!("flag needs an argument: '{c}' in -{shorts}"))?,
            r => r.strip_prefix('=').unwrap_or(r).to_string(),
        };
        return store(parsed, flag, value);
    }
    Ok(())
}

/// Checks a value against the flag's type (pflag's `invalid argument` errors) and keeps it.
fn store(parsed: &mut Parsed, flag: &Flag, value: String) -> Result<(), String> {
    let invalid = |detail: String| {
        format!(
            "invalid argument \"{value}\" for \"{}\" flag: {detail}",
            flag.display()
        )
    };
    let value = match flag.kind {
        FlagType::Bool => match value.as_str() {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => "true".to_string(),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => "false".to_string(),
            _ => {
                return Err(invalid(format!(
                    "strconv.ParseBool: parsing \"{value}\": invalid syntax"
                )))
            }
        },
        FlagType::Int => match value.parse::<i32>() {
            Ok(_) => value,
            Err(_) if value.parse::<i64>().is_ok() => {
                return Err(invalid(format!(
                    "strconv.ParseInt: parsing \"{value}\": value out of range"
                )))
            }
            Err(_) => {
                return Err(invalid(format!(
                    "strconv.ParseInt: parsing \"{value}\": invalid syntax"
                )))
            }
        },
        FlagType::Duration => match crate::duration::parse_go_duration(&value) {
            Ok(_) => value,
            Err(e) => return Err(invalid(e)),
        },
        FlagType::String => value,
    };
    parsed.values.entry_or_default(flag.long).push(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        Flag::short("output", 'o', FlagType::String),
        Flag::short("all-namespaces", 'A', FlagType::Bool),
        Flag::long("replicas", FlagType::Int),
        Flag::long("watch", FlagType::Bool),
        Flag::long("timeout", FlagType::Duration),
    ];

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn accepted_forms() {
        let p = parse(
            &words("get -oyaml pods -A --replicas 3 -n=kube-system --watch=false x"),
            FLAGS,
        )
        .expect("parses");
        assert_eq!(p.positional, words("get pods x"));
        assert_eq!(p.value("output"), Some("yaml"));
        assert!(p.bool("all-namespaces", false));
        assert_eq!(p.int("replicas"), Some(3));
        assert_eq!(p.namespace(), "kube-system");
        assert!(!p.bool("watch", true));
        let p = parse(&words("-- -o"), FLAGS).expect("parses");
        assert_eq!(p.positional, words("-o"));
    }

    #[test]
    fn pflag_errors() {
        let cases: &[(&str, &str)] = &[
            ("--bogus", "unknown flag: --bogus"),
            ("-x", "unknown shorthand flag: 'x' in -x"),
            ("-Ax", "unknown shorthand flag: 'x' in -Ax"),
            ("--replicas", "flag needs an argument: --replicas"),
            ("-o", "flag needs an argument: 'o' in -o"),
            (
                "--replicas=abc",
                "invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax",
            ),
            (
                "--watch=maybe",
                "invalid argument \"maybe\" for \"--watch\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
            ),
            (
                "--timeout=5",
                "invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\"",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                parse(&words(input), FLAGS).err().as_deref(),
                Some(*want),
                "{input}"
            );
        }
    }
}
