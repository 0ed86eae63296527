/* Force-included into wasm2c's runtime (wasm-rt-impl.c), which is built with
 * -DWASM_RT_TRAP_HANDLER=vsig_wasix_trap: its traps unwind the current guest
 * through vsig-wasix's per-thread entry frames instead of the runtime's one
 * global jmp_buf, so that instances on several threads can trap. */
_Noreturn void vsig_wasix_trap(int code);
