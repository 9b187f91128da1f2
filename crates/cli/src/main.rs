//! The `kplay` command: runs scenario scripts (`kplay run FILE`) or, alone, an interactive
//! shell that speaks the same script language. A thin layer over `kplay-kubectl`: this file
//! only reads files and standard input and writes what the commands print.

use kplay_core::{Cluster, DEFAULT_SEED};
use kplay_kubectl::script;
use kplay_lessons::lesson;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
kplay: a simulated Kubernetes cluster to practise kubectl on.

Usage:
  kplay [--seed N]                 an interactive shell (type kubectl commands, sleep 5s, history, exit)
  kplay run [--seed N] FILE|-      run a scenario script and print its transcript
  kplay lesson check FILE...       check lessons: each step's check fails before the step
                                   and passes after its solution (www/lessons/README.md)
  kplay --help                     this help

A script has one command per line: `kubectl ...` (shell quoting, heredocs such as
`kubectl apply -f - <<EOF`), `sleep DURATION` (500ms, 5s, 2m; a bare number is seconds)
which advances virtual time, blank lines and # comments. Time stands still between lines.
The default seed is 1.
";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Invocation {
    Help,
    Run { seed: u64, file: String },
    Shell { seed: u64 },
    CheckLessons { seed: u64, files: Vec<String> },
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&args) {
        Ok(Invocation::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Invocation::Run { seed, file }) => run_file(seed, &file),
        Ok(Invocation::Shell { seed }) => shell(seed),
        Ok(Invocation::CheckLessons { seed, files }) => check_lessons(seed, &files),
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(args: &[String]) -> Result<Invocation, String> {
    let mut seed = DEFAULT_SEED;
    let mut positional = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-h" | "--help" | "help" => return Ok(Invocation::Help),
            "--seed" => {
                let value = iter.next().ok_or("--seed needs a number")?;
                seed = parse_seed(value)?;
            }
            a if a.starts_with("--seed=") => seed = parse_seed(&a["--seed=".len()..])?,
            "-" => positional.push(arg.clone()),
            a if a.starts_with('-') => return Err(format!("unknown flag: {a}")),
            _ => positional.push(arg.clone()),
        }
    }
    match positional.as_slice() {
        [] => Ok(Invocation::Shell { seed }),
        [cmd, file] if cmd == "run" => Ok(Invocation::Run {
            seed,
            file: file.clone(),
        }),
        [cmd] if cmd == "run" => Err("kplay run needs a FILE (or - for standard input)".into()),
        [cmd, check, files @ ..] if cmd == "lesson" && check == "check" && !files.is_empty() => {
            Ok(Invocation::CheckLessons {
                seed,
                files: files.to_vec(),
            })
        }
        [cmd, ..] if cmd == "lesson" => Err("usage: kplay lesson check FILE...".into()),
        [cmd, ..] if cmd == "run" => Err("kplay run takes one FILE".into()),
        [other, ..] => Err(format!("unknown command \"{other}\"")),
    }
}

fn parse_seed(text: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("--seed needs a whole number, not \"{text}\""))
}

/// Reads files named by `kubectl apply -f FILE` relative to `base`.
fn file_reader(base: PathBuf) -> impl Fn(&str) -> Option<String> {
    move |path: &str| {
        let path = Path::new(path);
        let full = if path.is_absolute() {
            path.to_path_buf()
        } else {
            base.join(path)
        };
        std::fs::read_to_string(full).ok()
    }
}

/// Checks each lesson file and prints, per step, whether its check failed before the step
/// and held after the solution; fails when any lesson is malformed or any step is wrong.
fn check_lessons(seed: u64, files: &[String]) -> ExitCode {
    let mut ok = true;
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                println!("{file}: cannot read it: {e}");
                ok = false;
                continue;
            }
        };
        let parsed = match lesson::parse(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                println!("{file}: {e}");
                ok = false;
                continue;
            }
        };
        let problems = lesson::check(&parsed, seed);
        println!("{file}: {}", parsed.title);
        for problem in problems.iter().filter(|p| p.step.is_none()) {
            println!("  setup: {}", problem.message);
        }
        for (index, step) in parsed.steps.iter().enumerate() {
            let mine: Vec<&str> = problems
                .iter()
                .filter(|p| p.step == Some(index))
                .map(|p| p.message.as_str())
                .collect();
            let verdict = if mine.is_empty() { "ok" } else { "FAILED" };
            println!("  step {} {}: {verdict}", index + 1, step.title);
            for message in mine {
                println!("    {message}");
            }
        }
        ok &= problems.is_empty();
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_file(seed: u64, file: &str) -> ExitCode {
    let (source, base) = if file == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            eprintln!("error: reading standard input: {e}");
            return ExitCode::from(2);
        }
        (text, PathBuf::from("."))
    } else {
        match std::fs::read_to_string(file) {
            Ok(text) => (
                text,
                Path::new(file)
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            ),
            Err(e) => {
                eprintln!("error: reading {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let script = match script::parse(&source) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let mut cluster = Cluster::new(seed);
    let reader = file_reader(base);
    let mut stdout = std::io::stdout().lock();
    for step in &script.steps {
        let output = script::run_step_with_files(&mut cluster, step, &reader);
        // The transcript keeps stdout and stderr in order in one stream, as a reader of the
        // scenario sees them.
        if stdout
            .write_all(script::transcript(step, &output).as_bytes())
            .is_err()
        {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The interactive shell: reads lines (and heredoc bodies) until `exit` or end of input.
fn shell(seed: u64) -> ExitCode {
    let interactive = std::io::stdin().is_terminal();
    let mut cluster = Cluster::new(seed);
    let reader = file_reader(PathBuf::from("."));
    let mut history: Vec<String> = Vec::new();
    let mut pending = String::new();
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    if interactive {
        println!("kplay {}: a simulated cluster (seed {seed}). Type kubectl commands, `sleep 5s`, `history`, `exit`.", env!("CARGO_PKG_VERSION"));
    }
    loop {
        if interactive {
            print!("{}", if pending.is_empty() { "kplay> " } else { "> " });
            let _ = std::io::stdout().flush();
        }
        let Some(Ok(line)) = lines.next() else {
            break;
        };
        if pending.is_empty() {
            match line.trim() {
                "exit" | "quit" => break,
                "history" => {
                    for (i, entry) in history.iter().enumerate() {
                        println!("{:5}  {entry}", i + 1);
                    }
                    continue;
                }
                "help" => {
                    print!("{USAGE}");
                    continue;
                }
                _ => {}
            }
        }
        pending.push_str(&line);
        pending.push('\n');
        if script::is_incomplete(&pending) {
            continue;
        }
        let entry = std::mem::take(&mut pending);
        if !entry.trim().is_empty() {
            history.push(entry.trim_end().to_string());
        }
        match script::parse(&entry) {
            Ok(parsed) => {
                for step in &parsed.steps {
                    let output = script::run_step_with_files(&mut cluster, step, &reader);
                    print!("{}", output.stdout);
                    eprint!("{}", output.stderr);
                }
            }
            Err(e) => eprintln!("error: {}", e.message),
        }
        let _ = std::io::stdout().flush();
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn command_lines() {
        let cases: Vec<(&str, Result<Invocation, &str>)> = vec![
            ("", Ok(Invocation::Shell { seed: 1 })),
            ("--seed 7", Ok(Invocation::Shell { seed: 7 })),
            (
                "run x.kplay",
                Ok(Invocation::Run {
                    seed: 1,
                    file: "x.kplay".into(),
                }),
            ),
            (
                "run --seed=3 -",
                Ok(Invocation::Run {
                    seed: 3,
                    file: "-".into(),
                }),
            ),
            ("--help", Ok(Invocation::Help)),
            (
                "run",
                Err("kplay run needs a FILE (or - for standard input)"),
            ),
            ("--seed x", Err("--seed needs a whole number, not \"x\"")),
            ("frobnicate", Err("unknown command \"frobnicate\"")),
            (
                "lesson check a.kplay b.kplay",
                Ok(Invocation::CheckLessons {
                    seed: 1,
                    files: vec!["a.kplay".into(), "b.kplay".into()],
                }),
            ),
            ("lesson check", Err("usage: kplay lesson check FILE...")),
        ];
        for (line, want) in cases {
            assert_eq!(
                parse_args(&words(line)),
                want.map_err(str::to_string),
                "{line}"
            );
        }
    }
}
