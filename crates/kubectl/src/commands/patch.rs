//! `kubectl patch`: strategic-merge, merge and JSON patches.

use super::Context;

/// Runs `kubectl patch` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl patch\" yet\n");
}
