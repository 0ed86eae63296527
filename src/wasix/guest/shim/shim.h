/* Shared by the shim's files: the import declarations, the layout checks
 * that let POSIX structures pass to the host unchanged, and errno. */
#ifndef VSIG_SHIM_H
#define VSIG_SHIM_H

#include "vsig_posix.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

_Static_assert(sizeof(sigset_t) == sizeof(vsig_wasm_sigset_t), "sigset_t layout");
_Static_assert(sizeof(struct sigaction) == sizeof(vsig_wasm_sigaction_t), "sigaction layout");
_Static_assert(offsetof(struct sigaction, sa_flags) == offsetof(vsig_wasm_sigaction_t, flags),
               "sigaction layout");
_Static_assert(offsetof(struct sigaction, sa_mask) == offsetof(vsig_wasm_sigaction_t, mask),
               "sigaction layout");
_Static_assert(sizeof(siginfo_t) == sizeof(vsig_wasm_siginfo_t), "siginfo layout");
_Static_assert(offsetof(siginfo_t, si_value) == offsetof(vsig_wasm_siginfo_t, si_value),
               "siginfo layout");
_Static_assert(sizeof(struct timespec) == sizeof(vsig_wasm_timespec_t), "timespec layout");
_Static_assert(sizeof(struct itimerval) == sizeof(vsig_wasm_itimerval_t), "itimerval layout");
_Static_assert(sizeof(struct itimerspec) == sizeof(vsig_wasm_itimerspec_t), "itimerspec layout");
_Static_assert(sizeof(struct sigevent) == sizeof(vsig_wasm_sigevent_t), "sigevent layout");

/* -1 with errno e, or 0: the POSIX convention from a WASI errno result. */
static inline int shim_ret(int e) {
  if (e) {
    errno = e;
    return -1;
  }
  return 0;
}

#endif
