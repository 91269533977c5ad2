#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: installs the Debian
# packages, builds an optimised (-O3) and an ASan+UBSan variant with
# warnings as errors, and runs every test through ctest: the optimised
# variant everything but the real-kernel tests in the VM (label vm), the
# sanitizer variant everything, so that the daemons on the real kernel
# are also checked for memory errors and undefined behaviour (and the VM
# tests, a few minutes each, run once).  Run as root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash ci/install-deps.sh
bash ci/build.sh build/release -DCMAKE_BUILD_TYPE=Release
bash ci/build.sh build/sanitize -DCMAKE_BUILD_TYPE=Debug -DIKE_SANITIZE=ON

status=0
(cd build/release && ctest --output-on-failure -j2 -LE vm) || status=1
echo "== release variant: $([ $status -eq 0 ] && echo passed || echo FAILED)"
# The sanitizer run comes last, so its ctest summary is the last word.
# Everything, the VM tests and the interoperability suite (label interop:
# strongSwan and libreswan in the VM) included.
# The rest of the interoperability matrix (label interop_full: all but
# one scenario of each kind, the lifecycle scenarios; about an hour more
# on two cores without KVM; tests/interop/CMakeLists.txt lists which)
# runs with IKE_TEST_FULL=1.
full=(-LE interop_full)
[ "${IKE_TEST_FULL:-0}" = 1 ] && full=()
(cd build/sanitize && ctest --output-on-failure -j2 "${full[@]}") || status=1
exit $status
