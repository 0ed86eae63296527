/* Waiting for signals: all waits are the host's, interruptible and exact. */
#include "shim.h"

int sigsuspend(const sigset_t *mask) { return shim_ret(__vsig_sigsuspend(mask)); }

int pause(void) { return shim_ret(__vsig_pause()); }

int sigtimedwait(const sigset_t *restrict set, siginfo_t *restrict info,
                 const struct timespec *restrict timeout) {
  int sig;
  int e = __vsig_sigtimedwait(set, (vsig_wasm_siginfo_t *)info,
                              (const vsig_wasm_timespec_t *)timeout, &sig);
  return e ? shim_ret(e) : sig;
}

int sigwaitinfo(const sigset_t *restrict set, siginfo_t *restrict info) {
  return sigtimedwait(set, info, NULL);
}

/* POSIX: sigwait returns an error number and never EINTR. */
int sigwait(const sigset_t *restrict set, int *restrict sig) {
  for (;;) {
    int e = __vsig_sigtimedwait(set, NULL, NULL, sig);
    if (e != EINTR)
      return e;
  }
}
