/* alarm and ITIMER_REAL: one per-process SIGALRM timer in the host. */
#include "shim.h"

#include <unistd.h>

unsigned alarm(unsigned seconds) {
  unsigned left = 0;
  __vsig_alarm(seconds, &left);
  return left;
}

int setitimer(int which, const struct itimerval *restrict value,
              struct itimerval *restrict ovalue) {
  return shim_ret(__vsig_setitimer(which, (const vsig_wasm_itimerval_t *)value,
                                   (vsig_wasm_itimerval_t *)ovalue));
}

int getitimer(int which, struct itimerval *value) {
  return shim_ret(__vsig_getitimer(which, (vsig_wasm_itimerval_t *)value));
}
