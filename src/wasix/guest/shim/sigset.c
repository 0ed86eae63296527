/* Signal sets: a 64-bit mask, bit n-1 for signal n, manipulated in the guest. */
#include "shim.h"

static int bad(int sig) { return sig < 1 || sig >= _NSIG; }

int sigemptyset(sigset_t *s) {
  *s = 0;
  return 0;
}

int sigfillset(sigset_t *s) {
  *s = ~0ull;
  return 0;
}

int sigaddset(sigset_t *s, int sig) {
  if (bad(sig))
    return shim_ret(EINVAL);
  *s |= 1ull << (sig - 1);
  return 0;
}

int sigdelset(sigset_t *s, int sig) {
  if (bad(sig))
    return shim_ret(EINVAL);
  *s &= ~(1ull << (sig - 1));
  return 0;
}

int sigismember(const sigset_t *s, int sig) {
  if (bad(sig))
    return shim_ret(EINVAL);
  return (*s >> (sig - 1)) & 1;
}
