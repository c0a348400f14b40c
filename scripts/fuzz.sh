#!/usr/bin/env bash
# Fuzzes every parser that reads outside input (tests/fuzz) with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer, in a clang build of its own (build-fuzz/; the gcc build in build/ is not
# touched). Each target starts from its committed corpus (tests/fuzz/corpus/<target>/).
#
#   bash scripts/fuzz.sh                  each target 60 s, two at a time
#   bash scripts/fuzz.sh --minutes 30     each target 30 minutes (the long form)
#   bash scripts/fuzz.sh --seconds 20 --jobs 1
#
# A crash stops its target and leaves the input in build-fuzz/tests/fuzz/crashes/<target>-crash-*.
# Replay it with build-fuzz/tests/fuzz/fuzz_<target> <file>; once fixed, copy it into
# tests/fuzz/corpus/<target>/ so that every build replays it for ever (CTest fuzz-replay/<target>).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
jobs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        *) echo "usage: scripts/fuzz.sh [--minutes N | --seconds N] [--jobs N]" >&2; exit 2 ;;
    esac
done

bash scripts/install-deps.sh
launcher=()
if command -v ccache > /dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# -O1 and line tables: fast to build and to fuzz, with readable stacks; asserts stay on (no NDEBUG).
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DSYNCDESK_FUZZ=ON -DSYNCDESK_WERROR=OFF \
    -DSYNCDESK_FUZZ_SECONDS="$seconds" "${launcher[@]}" > /dev/null
cmake --build build-fuzz --parallel "$(nproc)"

export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
status=0
ctest --test-dir build-fuzz -L fuzz --output-on-failure --parallel "$jobs" || status=$?

# What each target did: executions per second and coverage (edges, features) at its end.
log=build-fuzz/Testing/Temporary/LastTest.log
printf '\n%-20s %12s %10s %8s %8s\n' target executions "execs/s" edges features
awk '
    /^[0-9]+\/[0-9]+ Test: fuzz\// { sub(/.*fuzz\//, ""); target = $0 }
    /#[0-9]+[ \t]+DONE/ { for (i = 1; i <= NF; i++) { if ($i == "cov:") cov[target] = $(i + 1); if ($i == "ft:") ft[target] = $(i + 1) } }
    /stat::number_of_executed_units:/ { runs[target] = $2 }
    /stat::average_exec_per_sec:/ { rate[target] = $2 }
    END { for (t in runs) printf "%-20s %12s %10s %8s %8s\n", t, runs[t], rate[t], cov[t], ft[t] }
' "$log" | sort
exit "$status"
