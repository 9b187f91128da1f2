#!/usr/bin/env bash
# Runs the fuzz targets, each for a bounded time, from seed corpora made of the repository's
# own scripts, lessons and manifests; exits non-zero if any target found a crash, a timeout
# or an out-of-memory input (saved under fuzz/artifacts/TARGET/).
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 60 s, every target)
#
# Reproduce a finding:  cargo +nightly fuzz run -a -s none TARGET fuzz/artifacts/TARGET/FILE
# Shrink it:            cargo +nightly fuzz tmin -a -s none TARGET fuzz/artifacts/TARGET/FILE
# Needs rustup (the nightly toolchain is installed if missing) and a C++ compiler (g++).
set -euo pipefail

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(script manifest lesson session)

cargo_fuzz_version=0.13.2
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
cd "$root"

rustup run nightly rustc --version >/dev/null 2>&1 || rustup toolchain install nightly --profile minimal
cargo fuzz --version 2>/dev/null | grep -qF "$cargo_fuzz_version" \
    || cargo install cargo-fuzz --locked --version "$cargo_fuzz_version"

# Seeds: the committed ones, then what the repository already has of each kind of input.
header=$'# kplay session 1\n# seed 1\n# at 0s'
for target in "${targets[@]}"; do
    corpus=$fuzz/corpus/$target
    mkdir -p "$corpus"
    if [ -d "$fuzz/seeds/$target" ]; then
        cp "$fuzz/seeds/$target"/* "$corpus/"
    fi
    case $target in
        script)
            for f in tests/golden/*.kplay; do cp "$f" "$corpus/golden-$(basename "$f")"; done ;;
        lesson)
            for f in www/lessons/*.kplay www/scenarios/*.kplay; do
                cp "$f" "$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
            done ;;
        session)
            for f in tests/golden/*.kplay; do
                printf '%s\n' "$header" | cat - "$f" >"$corpus/golden-$(basename "$f")"
            done ;;
        manifest)
            # Every heredoc body (`<<EOF` ... `EOF`) of the scripts, lessons and scenarios.
            for f in tests/golden/*.kplay www/lessons/*.kplay www/scenarios/*.kplay; do
                awk -v out="$corpus/$(basename "$(dirname "$f")")-$(basename "$f" .kplay)" '
                    delim != "" && $0 == delim { delim = ""; next }
                    delim != "" { print > (out "-" n ".yaml"); next }
                    match($0, /<<-?[ ]*["'\'']?[A-Za-z_][A-Za-z0-9_]*/) {
                        delim = substr($0, RSTART, RLENGTH)
                        gsub(/^<<-?[ ]*["'\'']?/, "", delim)
                        n++
                    }' "$f"
            done ;;
    esac
done

nice -n 10 cargo +nightly fuzz build -a -s none

failed=()
for target in "${targets[@]}"; do
    echo "== fuzz $target for ${seconds}s"
    # Debug assertions on (integer overflow panics); no sanitizer: the crates forbid unsafe code.
    if ! nice -n 10 cargo +nightly fuzz run -a -s none "$target" -- \
        -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1; then
        failed+=("$target")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in: ${failed[*]} (see fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: no findings in ${targets[*]} (${seconds}s each)"
