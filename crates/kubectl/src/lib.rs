//! kubectl for the simulated cluster: command lines in, kubectl's text out.
//!
//! This crate is the only place that knows text formats: kubectl's flags and resource names,
//! manifests (YAML and JSON), the printers (tables, `-o yaml|json|wide|name`), kubectl's
//! messages and errors, and the kplay scenario-script language that the CLI and the web
//! console both run. It never does I/O itself: files reach it through a [`Files`] reader.

pub mod args;
pub mod commands;
#[cfg(feature = "printers")]
pub mod describe;
pub mod duration;
pub mod errors;
pub mod event_order;
pub mod float;
pub mod labels;
pub mod manifest;
pub mod printers;
pub mod resource;
pub mod script;
pub mod session;
pub mod status;

pub use duration::human_duration;

use kplay_core::Cluster;

/// The exit code of a command whose printer this build leaves out (`kubectl describe`, `-o
/// jsonpath`, ... without the `printers` feature): the host runs it elsewhere, as the
/// playground asks its lessons module. A command that changed the cluster first has changed
/// it here too; only its text comes from elsewhere.
pub const ELSEWHERE: i32 = -2;

/// What a command printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Everything the command wrote to standard output.
    pub stdout: String,
    /// Everything the command wrote to standard error.
    pub stderr: String,
    /// The process exit code kubectl would end with (0 = success).
    pub exit_code: i32,
}

impl Output {
    /// Appends `text` to stdout.
    pub fn out(&mut self, text: &str) {
        self.stdout.push_str(text);
    }

    /// Appends a kubectl error message to stderr (adding the final newline kubectl's
    /// `CheckErr` adds) and marks the command failed with exit code 1 (unless it is to be
    /// answered [`ELSEWHERE`]).
    pub fn fail(&mut self, message: &str) {
        self.stderr.push_str(message);
        if !message.ends_with('\n') {
            self.stderr.push('\n');
        }
        // A command answered elsewhere stays so: the answer will have the error too.
        if self.exit_code != ELSEWHERE {
            self.exit_code = 1;
        }
    }
}

/// Reads the files that `kubectl apply -f FILE` names. The web app has no files, the CLI reads
/// them from disk relative to the script; `None` means the path does not exist.
pub type Files<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A [`Files`] reader for hosts without files: every path is missing.
pub fn no_files(_path: &str) -> Option<String> {
    None
}

/// Runs one kubectl invocation; `args` are the words after `kubectl`; `stdin` feeds `-f -`.
pub fn run(cluster: &mut Cluster, args: &[String], stdin: Option<&str>) -> Output {
    run_with_files(cluster, args, stdin, &no_files)
}

/// [`run`] with a reader for the files that `-f FILE` names.
pub fn run_with_files(
    cluster: &mut Cluster,
    args: &[String],
    stdin: Option<&str>,
    files: Files<'_>,
) -> Output {
    let mut output = Output::default();
    commands::dispatch(
        &mut commands::Context {
            cluster,
            stdin,
            files,
            out: &mut output,
        },
        args,
    );
    output
}
