#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: installs the Debian
# packages, builds an optimised (-O3) and an ASan+UBSan variant with warnings as
# errors, and runs every test of both through ctest.  Run as root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash ci/install-deps.sh
bash ci/build.sh build/release -DCMAKE_BUILD_TYPE=Release
bash ci/build.sh build/sanitize -DCMAKE_BUILD_TYPE=Debug -DIKE_SANITIZE=ON

status=0
(cd build/release && ctest --output-on-failure -j2) || status=1
echo "== release variant: $([ $status -eq 0 ] && echo passed || echo FAILED)"
# The sanitizer run comes last, so its ctest summary is the last word.
(cd build/sanitize && ctest --output-on-failure -j2) || status=1
exit $status
