//! `kubectl cordon`, `uncordon` and `drain`.

use super::Context;

/// Runs `kubectl cordon` (not simulated yet).
pub fn run_cordon(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl cordon\" yet\n");
}

/// Runs `kubectl uncordon` (not simulated yet).
pub fn run_uncordon(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl uncordon\" yet\n");
}

/// Runs `kubectl drain` (not simulated yet).
pub fn run_drain(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl drain\" yet\n");
}
