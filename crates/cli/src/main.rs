//! The `kplay` command.
fn main() {}
