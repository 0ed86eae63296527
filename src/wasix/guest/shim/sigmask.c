/* Masks are per thread and kept by the host; signals the call unblocks have
 * their handlers run before it returns. */
#include "shim.h"

int sigprocmask(int how, const sigset_t *restrict set, sigset_t *restrict oset) {
  return shim_ret(__vsig_sigprocmask(how, set, oset));
}

int pthread_sigmask(int how, const sigset_t *restrict set, sigset_t *restrict oset) {
  return __vsig_sigprocmask(how, set, oset);
}

int sigpending(sigset_t *set) { return shim_ret(__vsig_sigpending(set)); }
