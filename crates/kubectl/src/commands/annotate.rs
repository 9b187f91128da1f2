//! `kubectl annotate` and `kubectl label`: set or remove metadata entries.

use super::Context;

/// Runs `kubectl annotate` (not simulated yet).
pub fn run_annotate(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl annotate\" yet\n");
}

/// Runs `kubectl label` (not simulated yet).
pub fn run_label(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl label\" yet\n");
}
