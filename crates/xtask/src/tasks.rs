//! Running commands, with their output streamed to the terminal and failures turned into errors.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository root (the parent of `crates/xtask`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// A command run from the repository root.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.args(args).current_dir(root());
    command
}

/// Runs `command`, streaming its output; an exit status other than 0 is an error.
pub fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs `command`, echoing its stdout and stderr line by line as they come, and returns
/// everything it printed and whether it succeeded.
pub fn run_captured(command: &mut Command) -> Result<(String, bool), String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", describe(command)))?;
    let stderr = child
        .stderr
        .take()
        .map(|err| std::thread::spawn(move || echo_lines(BufReader::new(err), true)));
    let mut printed = child
        .stdout
        .take()
        .map(|out| echo_lines(BufReader::new(out), false))
        .unwrap_or_default();
    if let Some(Ok(err)) = stderr.map(std::thread::JoinHandle::join) {
        printed.push_str(&err);
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok((printed, status.success()))
}

fn echo_lines(reader: impl BufRead, to_stderr: bool) -> String {
    let mut all = String::new();
    for line in reader.lines().map_while(Result::ok) {
        if to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
        all.push_str(&line);
        all.push('\n');
    }
    all
}

/// Whether `program` can be started (it is on PATH).
pub fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Prints a step heading, so that long logs are easy to scan.
pub fn step(title: &str) {
    println!("\n==> {title}");
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}
