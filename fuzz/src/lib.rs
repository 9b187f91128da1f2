//! What the fuzz targets share: turning libFuzzer's bytes into text, and running a script on a
//! cluster with its waits bounded, so that an input costs milliseconds of real time however
//! long the virtual waits it asks for.

use kplay_core::{Cluster, Millis};
use kplay_kubectl::script::{self, Script};

/// The longest virtual time one `sleep` line advances the clock here (longer ones are cut):
/// enough for pods to start and a rollout to move, short enough to keep a run fast.
pub const MAX_SLEEP: Millis = 60_000;

/// The virtual time let pass after every other step, so controllers act on what it did.
pub const AFTER_STEP: Millis = 1_000;

/// The input as text; `None` for bytes that are not UTF-8 (every host hands kplay a `&str`).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Runs every step of `script` on `cluster`, each `sleep` cut to [`MAX_SLEEP`] and
/// [`AFTER_STEP`] after each other step. Commands that wait by themselves (`rollout status`,
/// `drain`, `get -w`) keep their own cap of 15 virtual minutes.
pub fn run_bounded(cluster: &mut Cluster, script: &Script) {
    for step in &script.steps {
        match step.sleep() {
            Some(ms) => cluster.advance(ms.min(MAX_SLEEP)),
            None => {
                script::run_step(cluster, step);
                cluster.advance(AFTER_STEP);
            }
        }
    }
}
