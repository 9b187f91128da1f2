//! `kubectl run`: a bare Pod.

use super::Context;

/// Runs `kubectl run` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl run\" yet\n");
}
