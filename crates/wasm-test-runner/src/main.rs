//! `wasm-bindgen-test-runner`, built from the pinned `wasm-bindgen-cli` crate as a library,
//! because `cargo install wasm-bindgen-cli` cannot resolve its own lockfile offline
//! (TOOLCHAIN.md). Cargo runs it for `--target wasm32-unknown-unknown` tests
//! (`.cargo/config.toml`).

fn main() {
    if let Err(error) =
        wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os())
    {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
