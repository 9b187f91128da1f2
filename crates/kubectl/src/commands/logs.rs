//! `kubectl logs`: the log lines of a pod's container.

use super::Context;

/// Runs `kubectl logs` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl logs\" yet\n");
}
