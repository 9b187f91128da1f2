//! `kubectl edit`: an editor for the live object's YAML.

use super::Context;

/// Runs `kubectl edit` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl edit\" yet\n");
}
