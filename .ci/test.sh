#!/usr/bin/env bash
# Installs what is needed, builds sohoa and its tests, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
# Tests run one at a time: the end-to-end ones already use both cores.
ctest --test-dir build --output-on-failure

# Sanitizer stage (issue 6): the unit tests again under AddressSanitizer + UBSan (only sohoa_core
# and unit_tests are built: the e2e suite above already ran the real binary), then a 10-second
# libFuzzer smoke run of each ingest target from its seed corpus. SOHOA_SKIP_SANITIZE=1 skips it.
if [ "${SOHOA_SKIP_SANITIZE:-0}" != 1 ]; then
  # Leaks are checked; the few one-time allocations system libraries keep until exit are listed in
  # tests/fuzz/lsan.supp. Any UBSan report fails (-fno-sanitize-recover in the build).
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
  export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export OMP_THREAD_LIMIT=1
  # -O1 -g1: a third less compile time than RelWithDebInfo, stack traces keep their lines.
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -g1" -DSOHOA_SANITIZE=ON
  cmake --build build-asan --target unit_tests
  build-asan/tests/unit_tests --gtest_brief=1

  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -g1" -DBUILD_TESTING=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSOHOA_FUZZ=ON
  cmake --build build-fuzz --target fuzz_raster fuzz_pdf fuzz_archive
  for target in raster pdf archive; do
    work=$(mktemp -d)  # new inputs go here; the committed corpus stays as it is
    build-fuzz/fuzz/fuzz_$target -max_total_time=10 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build-fuzz/ "$work" tests/fuzz/corpus/$target tests/fuzz/regressions \
      2> build-fuzz/fuzz_$target.log || { tail -n 60 build-fuzz/fuzz_$target.log; exit 1; }
    rm -rf "$work"
    grep -E '^Done|stat::number_of_executed_units' build-fuzz/fuzz_$target.log | tr '\n' ' '; echo " fuzz_$target"
  done
fi
