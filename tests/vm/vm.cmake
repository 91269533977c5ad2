# ike_add_vm_test(): a shell test that runs inside the VM of tests/vm/vm-run.
# Included by tests/vm/CMakeLists.txt; other test directories may include it
# too (include(${IKE_TOP}/tests/vm/vm.cmake)).
#
#   ike_add_vm_test(name SCRIPT path [ARGS arg...] [TIMEOUT s])
#
# The test boots the VM, runs SCRIPT as root inside with ARGS and passes
# with SCRIPT's exit status 0.  Artefacts (captures, xfrm dumps) go to
# <build dir>/<name>.out, shared into the VM as IKE_VM_OUT.  vm-run's own
# timeout is TIMEOUT - 30 s, so a hung VM is reported as such (exit 124)
# before ctest kills it.  Labels: vm, root.  The fixture ike_vm (test vm_prepare)
# installs and caches what the VM needs first.  Two VM tests may run at
# once (ctest -j2): each boots its own VM with its own output directory,
# and much of their time is spent waiting on timers (rekeys, liveness,
# retransmissions); without KVM the emulation itself is CPU-bound, so the
# gain is smaller there.
set(IKE_VM_RUN ${IKE_TOP}/tests/vm/vm-run)

function(ike_add_vm_test name)
  cmake_parse_arguments(T "" "SCRIPT;TIMEOUT" "ARGS" ${ARGN})
  if(NOT T_SCRIPT)
    message(FATAL_ERROR "ike_add_vm_test(${name}): SCRIPT is required")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 240)
  endif()
  math(EXPR vm_timeout "${T_TIMEOUT} - 30")
  add_test(NAME ${name} COMMAND ${IKE_VM_RUN} --timeout ${vm_timeout}
    --out ${CMAKE_CURRENT_BINARY_DIR}/${name}.out ${T_SCRIPT} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "IKE_BIN_DIR=${IKE_BIN_DIR};ASAN_OPTIONS=detect_leaks=1:abort_on_error=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
    LABELS "vm;root" FIXTURES_REQUIRED ike_vm)
endfunction()
