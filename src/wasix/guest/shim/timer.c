/* POSIX per-process timers, kept by the host; timer_t carries the host's
 * small integer id. */
#include "shim.h"

int timer_create(clockid_t clk, struct sigevent *restrict sev, timer_t *restrict id) {
  int c;
  if (clk == CLOCK_REALTIME)
    c = VSIG_WASM_CLOCK_REALTIME;
  else if (clk == CLOCK_MONOTONIC)
    c = VSIG_WASM_CLOCK_MONOTONIC;
  else
    return shim_ret(EINVAL);
  int hid;
  int e = __vsig_timer_create(c, (const vsig_wasm_sigevent_t *)sev, &hid);
  if (e)
    return shim_ret(e);
  *id = (timer_t)(long)hid;
  return 0;
}

int timer_settime(timer_t id, int flags, const struct itimerspec *restrict value,
                  struct itimerspec *restrict ovalue) {
  return shim_ret(__vsig_timer_settime((int)(long)id, flags, (const vsig_wasm_itimerspec_t *)value,
                                       (vsig_wasm_itimerspec_t *)ovalue));
}

int timer_gettime(timer_t id, struct itimerspec *value) {
  return shim_ret(__vsig_timer_gettime((int)(long)id, (vsig_wasm_itimerspec_t *)value));
}

int timer_getoverrun(timer_t id) {
  int n;
  int e = __vsig_timer_getoverrun((int)(long)id, &n);
  return e ? shim_ret(e) : n;
}

int timer_delete(timer_t id) { return shim_ret(__vsig_timer_delete((int)(long)id)); }
