//! `kubectl describe`: the multi-section description of an object with its events.

use super::Context;

/// Runs `kubectl describe` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl describe\" yet\n");
}
