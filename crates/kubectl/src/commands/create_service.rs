//! `kubectl create service`: a Service for existing pods.

use super::Context;

/// Runs `kubectl create service` (not simulated yet).
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out
        .fail("error: kplay does not simulate \"kubectl create service\" yet\n");
}
