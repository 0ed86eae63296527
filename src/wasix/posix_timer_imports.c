/*
 * The vsig_posix_v1 timer imports: alarm, itimers and POSIX timers, all on
 * vsig's timer service (drift-free periods, overruns counted, one ITIMER_REAL
 * shared with alarm). Layouts are vsig_posix_abi.h's: they are wasi-libc's
 * struct timeval, timespec, itimerval and itimerspec.
 */
#include "guest_memory.h"

#include <errno.h>

#define LEAVE(rc) return vsig_wasix_leave(g, (rc))
#define LEAVE_ERRNO(ok) return vsig_wasix_leave(g, (ok) ? 0 : wasi_errno_of(errno))

#define OPTIONAL_RANGE(var, ptr, len)                                                              \
  uint8_t *var = NULL;                                                                             \
  if (ptr) {                                                                                       \
    int why_;                                                                                      \
    var = gm_range(g, ptr, len, &why_);                                                            \
    if (!var)                                                                                      \
      LEAVE(VSIG_WASI_EFAULT);                                                                     \
  }

#define REQUIRED_RANGE(var, ptr, len)                                                              \
  OPTIONAL_RANGE(var, ptr, len);                                                                   \
  if (!var)                                                                                        \
    LEAVE(VSIG_WASI_EFAULT);

static void itv_in(const uint8_t *p, vsig_itimerval_t *v) {
  vsig_wasm_itimerval_t w;
  memcpy(&w, p, sizeof w);
  v->it_interval.tv_sec = (time_t)w.it_interval.tv_sec;
  v->it_interval.tv_usec = (suseconds_t)w.it_interval.tv_usec;
  v->it_value.tv_sec = (time_t)w.it_value.tv_sec;
  v->it_value.tv_usec = (suseconds_t)w.it_value.tv_usec;
}

static void itv_out(uint8_t *p, const vsig_itimerval_t *v) {
  vsig_wasm_itimerval_t w = {
      .it_interval = {v->it_interval.tv_sec, v->it_interval.tv_usec},
      .it_value = {v->it_value.tv_sec, v->it_value.tv_usec},
  };
  memcpy(p, &w, sizeof w);
}

static void its_in(const uint8_t *p, vsig_itimerspec_t *v) {
  vsig_wasm_itimerspec_t w;
  memcpy(&w, p, sizeof w);
  v->it_interval.tv_sec = (time_t)w.it_interval.tv_sec;
  v->it_interval.tv_nsec = w.it_interval.tv_nsec;
  v->it_value.tv_sec = (time_t)w.it_value.tv_sec;
  v->it_value.tv_nsec = w.it_value.tv_nsec;
}

static void its_out(uint8_t *p, const vsig_itimerspec_t *v) {
  vsig_wasm_itimerspec_t w = {
      .it_interval = {.tv_sec = v->it_interval.tv_sec, .tv_nsec = (int32_t)v->it_interval.tv_nsec},
      .it_value = {.tv_sec = v->it_value.tv_sec, .tv_nsec = (int32_t)v->it_value.tv_nsec},
  };
  memcpy(p, &w, sizeof w);
}

uint32_t vsig_posix_alarm(vsig_wasix_guest_t *g, uint32_t seconds, uint32_t ret_left) {
  OPTIONAL_RANGE(p, ret_left, 4);
  unsigned left = vsig_alarm(seconds);
  if (p)
    gm_store_u32(p, left);
  LEAVE(0);
}

uint32_t vsig_posix_setitimer(vsig_wasix_guest_t *g, uint32_t which, uint32_t value,
                              uint32_t ovalue) {
  REQUIRED_RANGE(pv, value, sizeof(vsig_wasm_itimerval_t));
  OPTIONAL_RANGE(po, ovalue, sizeof(vsig_wasm_itimerval_t));
  vsig_itimerval_t v, old;
  itv_in(pv, &v);
  if (vsig_setitimer((int)which, &v, &old) != 0)
    LEAVE(wasi_errno_of(errno));
  if (po)
    itv_out(po, &old);
  LEAVE(0);
}

uint32_t vsig_posix_getitimer(vsig_wasix_guest_t *g, uint32_t which, uint32_t value) {
  REQUIRED_RANGE(pv, value, sizeof(vsig_wasm_itimerval_t));
  vsig_itimerval_t v;
  if (vsig_getitimer((int)which, &v) != 0)
    LEAVE(wasi_errno_of(errno));
  itv_out(pv, &v);
  LEAVE(0);
}

uint32_t vsig_posix_timer_create(vsig_wasix_guest_t *g, uint32_t clockid, uint32_t sev,
                                 uint32_t ret_id) {
  OPTIONAL_RANGE(ps, sev, sizeof(vsig_wasm_sigevent_t));
  REQUIRED_RANGE(pr, ret_id, 4);
  int clk;
  if (clockid == VSIG_WASM_CLOCK_REALTIME)
    clk = VSIG_CLOCK_REALTIME;
  else if (clockid == VSIG_WASM_CLOCK_MONOTONIC)
    clk = VSIG_CLOCK_MONOTONIC;
  else
    LEAVE(VSIG_WASI_EINVAL);
  vsig_sigevent_t ev;
  memset(&ev, 0, sizeof ev);
  if (ps) {
    vsig_wasm_sigevent_t w;
    memcpy(&w, ps, sizeof w);
    ev.sigev_value.sival_int = (int)w.sigev_value;
    ev.sigev_signo = w.sigev_signo;
    ev.sigev_notify = w.sigev_notify; /* the same values as vsig's */
    ev.sigev_thread_id = w.sigev_notify_thread_id;
  }
  vsig_timer_t id;
  if (vsig_timer_create(clk, ps ? &ev : NULL, &id) != 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u32(pr, (uint32_t)id);
  LEAVE(0);
}

uint32_t vsig_posix_timer_settime(vsig_wasix_guest_t *g, uint32_t id, uint32_t flags,
                                  uint32_t value, uint32_t ovalue) {
  REQUIRED_RANGE(pv, value, sizeof(vsig_wasm_itimerspec_t));
  OPTIONAL_RANGE(po, ovalue, sizeof(vsig_wasm_itimerspec_t));
  vsig_itimerspec_t v, old;
  its_in(pv, &v);
  if (vsig_timer_settime((vsig_timer_t)id, (int)flags, &v, &old) != 0)
    LEAVE(wasi_errno_of(errno));
  if (po)
    its_out(po, &old);
  LEAVE(0);
}

uint32_t vsig_posix_timer_gettime(vsig_wasix_guest_t *g, uint32_t id, uint32_t value) {
  REQUIRED_RANGE(pv, value, sizeof(vsig_wasm_itimerspec_t));
  vsig_itimerspec_t v;
  if (vsig_timer_gettime((vsig_timer_t)id, &v) != 0)
    LEAVE(wasi_errno_of(errno));
  its_out(pv, &v);
  LEAVE(0);
}

uint32_t vsig_posix_timer_getoverrun(vsig_wasix_guest_t *g, uint32_t id, uint32_t ret_count) {
  REQUIRED_RANGE(pr, ret_count, 4);
  int n = vsig_timer_getoverrun((vsig_timer_t)id);
  if (n < 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u32(pr, (uint32_t)n);
  LEAVE(0);
}

uint32_t vsig_posix_timer_delete(vsig_wasix_guest_t *g, uint32_t id) {
  LEAVE_ERRNO(vsig_timer_delete((vsig_timer_t)id) == 0);
}
