/* Actions live in the host: sigaction passes the structure through. */
#include "shim.h"

int sigaction(int sig, const struct sigaction *restrict act, struct sigaction *restrict oact) {
  return shim_ret(
      __vsig_sigaction(sig, (const vsig_wasm_sigaction_t *)act, (vsig_wasm_sigaction_t *)oact));
}

/* BSD and glibc semantics: the handler stays installed and interrupted calls
 * restart. */
void (*signal(int sig, void (*handler)(int)))(int) {
  struct sigaction sa = {.sa_flags = SA_RESTART}, old;
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, &old) != 0)
    return SIG_ERR;
  return old.sa_handler;
}
