/*
 * The WASIX signal imports (module wasix_32v1), on vsig. Signal numbers are
 * WASIX's (signal_numbers.c); errors are WASI errno values; a guest range
 * outside memory is memviolation and one that wraps past 4 GiB overflow, as
 * in the reference runtime. docs/wasix.md lists where behaviour differs from
 * the reference runtime and why.
 */
#include "dispatch.h"
#include "guest_memory.h"

#include <errno.h>
#include <stdio.h>

/* A WASIX signal number as vsig's: 0 for "no signal", -1 for an invalid one. */
static int sig_in(uint32_t s) {
  if (s == 0)
    return 0;
  int v = vsig_wasix_sig_to_vsig(s);
  return v ? v : -1;
}

uint32_t vsig_wasix_proc_raise(vsig_wasix_guest_t *g, uint32_t sig) {
  int s = sig_in(sig);
  if (s < 0)
    return vsig_wasix_leave(g, VSIG_WASI_EINVAL);
  /* "Send a signal to the process of the calling thread": process-directed;
   * vsig's step 2 picks the caller when it has the signal unblocked, and the
   * handler runs before kill returns. Signal 0 only checks the process. */
  uint32_t rc = vsig_kill(vsig_getpid(), s) ? wasi_errno_of(errno) : 0;
  return vsig_wasix_leave(g, rc);
}

uint32_t vsig_wasix_proc_raise_interval(vsig_wasix_guest_t *g, uint32_t sig, uint64_t interval_ms,
                                        uint32_t repeat) {
  int s = sig_in(sig);
  /* A timer needs a signal to send: 0 is invalid here. */
  if (s <= 0)
    return vsig_wasix_leave(g, VSIG_WASI_EINVAL);
  return vsig_wasix_leave(g, wasi_errno_of(vsig_proc_raise_interval(s, interval_ms, repeat != 0)));
}

uint32_t vsig_wasix_proc_signal(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig) {
  int s = sig_in(sig);
  if (s < 0)
    return vsig_wasix_leave(g, VSIG_WASI_EINVAL);
  /* WASIX pids are positive; vsig's 0 and negative "pids" (groups, every
   * process) have no WASIX meaning. */
  if (pid == 0 || pid > INT32_MAX)
    return vsig_wasix_leave(g, VSIG_WASI_ESRCH);
  uint32_t rc = vsig_kill((vsig_pid_t)pid, s) ? wasi_errno_of(errno) : 0;
  return vsig_wasix_leave(g, rc);
}

uint32_t vsig_wasix_thread_signal(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig) {
  int s = sig_in(sig);
  if (s < 0)
    return vsig_wasix_leave(g, VSIG_WASI_EINVAL);
  if (tid == 0)
    return vsig_wasix_leave(g, VSIG_WASI_ESRCH);
  return vsig_wasix_leave(g, wasi_errno_of(vsig_pthread_kill((vsig_thread_t)tid, s)));
}

/* Route every catchable signal still at SIG_DFL to the callback (WASIX: the
 * guest's libc then owns its dispositions), or, with no callback, put the
 * signals routed to the old one back to SIG_DFL. */
static void route_to_callback(vsig_wasix_guest_t *g, int on) {
  for (uint32_t ws = 1; ws < VSIG_WASIX_NSIG; ws++) {
    int s = vsig_wasix_sig_to_vsig(ws);
    if (s == VSIG_SIGKILL || s == VSIG_SIGSTOP)
      continue;
    vsig_sigaction_t cur;
    if (vsig_sigaction(s, NULL, &cur) != 0)
      continue;
    if (on && g->route[s] == VSIG_WASIX_ROUTE_NONE && cur.sa_handler == VSIG_SIG_DFL) {
      vsig_sigaction_t act = {.sa_flags = VSIG_SA_SIGINFO};
      act.sa_sigaction = dispatch_trampoline;
      if (vsig_sigaction(s, &act, NULL) == 0)
        g->route[s] = VSIG_WASIX_ROUTE_CALLBACK;
    } else if (!on && g->route[s] == VSIG_WASIX_ROUTE_CALLBACK) {
      vsig_sigaction_t act = {.sa_flags = 0};
      act.sa_handler = VSIG_SIG_DFL;
      if (vsig_sigaction(s, &act, NULL) == 0)
        g->route[s] = VSIG_WASIX_ROUTE_NONE;
    }
  }
}

void vsig_wasix_callback_signal(vsig_wasix_guest_t *g, uint32_t name, uint32_t name_len) {
  int why;
  const uint8_t *p = gm_range(g, name, name_len, &why);
  if (!p) {
    /* The import returns nothing, so, as the reference runtime does, a bad
     * name pointer is reported on the host side and changes nothing. */
    fprintf(stderr, "vsig-wasix: %s: callback_signal: name outside guest memory\n", g->name);
    vsig_wasix_leave(g, 0);
    return;
  }
  void *fn = g->ops && g->ops->find_export ? g->ops->find_export(g->inst, (const char *)p, name_len)
                                           : NULL;
  if (fn) {
    g->callback = fn;
    route_to_callback(g, 1);
  } else {
    route_to_callback(g, 0);
    g->callback = NULL;
  }
  vsig_wasix_leave(g, 0);
}

/* Signals whose disposition differs from the default in a way WASIX can say:
 * ignored ones (what a spawned or exec'd process inherits). */
static uint32_t ignored_signals(uint8_t out[VSIG_WASIX_NSIG]) {
  uint32_t n = 0;
  for (uint32_t ws = 1; ws < VSIG_WASIX_NSIG; ws++) {
    vsig_sigaction_t cur;
    if (vsig_sigaction(vsig_wasix_sig_to_vsig(ws), NULL, &cur) == 0 &&
        cur.sa_handler == VSIG_SIG_IGN)
      out[n++] = (uint8_t)ws;
  }
  return n;
}

uint32_t vsig_wasix_proc_signals_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_count) {
  int why;
  uint8_t *p = gm_range(g, ret_count, 4, &why);
  if (!p)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  uint8_t sigs[VSIG_WASIX_NSIG];
  gm_store_u32(p, ignored_signals(sigs));
  return vsig_wasix_leave(g, 0);
}

uint32_t vsig_wasix_proc_signals_get(vsig_wasix_guest_t *g, uint32_t buf) {
  uint8_t sigs[VSIG_WASIX_NSIG];
  uint32_t n = ignored_signals(sigs);
  int why;
  /* Each entry is a signal_disposition: { u8 sig; u8 disp; }. */
  uint8_t *p = gm_array(g, buf, n, 2, &why);
  if (!p)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  for (uint32_t i = 0; i < n; i++) {
    p[2 * i] = sigs[i];
    p[2 * i + 1] = VSIG_WASIX_DISP_IGNORE;
  }
  return vsig_wasix_leave(g, 0);
}

uint32_t vsig_wasix_proc_id(vsig_wasix_guest_t *g, uint32_t ret_pid) {
  int why;
  uint8_t *p = gm_range(g, ret_pid, 4, &why);
  if (!p)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  gm_store_u32(p, (uint32_t)vsig_getpid());
  return vsig_wasix_leave(g, 0);
}

uint32_t vsig_wasix_thread_id(vsig_wasix_guest_t *g, uint32_t ret_tid) {
  int why;
  uint8_t *p = gm_range(g, ret_tid, 4, &why);
  if (!p)
    return vsig_wasix_leave(g, gm_wasix_errno(why));
  gm_store_u32(p, (uint32_t)vsig_thread_self());
  return vsig_wasix_leave(g, 0);
}
