//! `kubectl expose`: a Service for existing pods.

use super::Context;

/// Runs `kubectl expose` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl expose\" yet\n");
}
