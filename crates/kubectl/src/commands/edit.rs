//! `kubectl edit`: real kubectl opens the live object's YAML in `$EDITOR` and applies what
//! is saved. kplay has no terminal editor; the web app opens its own YAML editor for this
//! command, and the CLI and scripts explain that and fail (exit 1), changing nothing.

use super::Context;

/// What `kubectl edit` prints where there is no editor.
pub const NO_EDITOR: &str = "error: kubectl edit opens an editor, which kplay has only in the web app: type the command in the web console to edit the object's YAML there. Here, change objects with kubectl apply -f, patch, label, annotate, scale or set image.\n";

/// Runs `kubectl edit` outside the web app.
pub fn run(ctx: &mut Context<'_>, _args: &[String]) {
    ctx.out.fail(NO_EDITOR);
}
