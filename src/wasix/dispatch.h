/* Routing signals into guest code (dispatch.c). */
#ifndef VSIG_WASIX_DISPATCH_H
#define VSIG_WASIX_DISPATCH_H

#include "vsig_wasix.h"

/* The one vsig handler of every routed signal: it calls into the current
 * guest as g->route[sig] says. */
void dispatch_trampoline(int sig, vsig_siginfo_t *info, void *uc);

/* vsig's siginfo in the vsig_posix_v1 layout (info may be NULL). */
void dispatch_siginfo_to_guest(const vsig_siginfo_t *info, int sig, vsig_wasm_siginfo_t *out);

/* Bytes below the guest's stack pointer that a leaf function may use without
 * moving it (LLVM's wasm red zone): a handler frame starts below them. */
#define GUEST_RED_ZONE 128u

#endif
