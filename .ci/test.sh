#!/usr/bin/env bash
# Installs what is needed, builds sohoa and its tests, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
# Tests run one at a time: the end-to-end ones already use both cores.
ctest --test-dir build --output-on-failure
