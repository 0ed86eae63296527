/*
 * The vsig_posix_v1 signal imports: POSIX signal calls for a guest libc that
 * leaves every piece of signal state to the host. Numbers are Linux's (those
 * of wasi-libc's <signal.h>), layouts are vsig_posix_abi.h's, errors are WASI
 * errno values; a guest range outside memory is EFAULT, as POSIX says for a
 * bad address. State is checked and read before anything changes, so a failed
 * call changes nothing (vsig's rule).
 */
#include "dispatch.h"
#include "guest_memory.h"

#include <errno.h>

#define LEAVE(rc) return vsig_wasix_leave(g, (rc))
#define LEAVE_ERRNO(ok) return vsig_wasix_leave(g, (ok) ? 0 : wasi_errno_of(errno))

/* A guest range, or NULL if ptr is 0 (an optional argument left out). */
#define OPTIONAL_RANGE(var, ptr, len)                                                              \
  uint8_t *var = NULL;                                                                             \
  if (ptr) {                                                                                       \
    int why_;                                                                                      \
    var = gm_range(g, ptr, len, &why_);                                                            \
    if (!var)                                                                                      \
      LEAVE(VSIG_WASI_EFAULT);                                                                     \
  }

static vsig_sigset_t sigset_at(const uint8_t *p) {
  vsig_sigset_t s = {.bits = gm_load_u64(p)};
  return s;
}

uint32_t vsig_posix_sigaction(vsig_wasix_guest_t *g, uint32_t sig, uint32_t act, uint32_t oact) {
  if (sig == 0 || sig >= VSIG_NSIG)
    LEAVE(VSIG_WASI_EINVAL);
  OPTIONAL_RANGE(pa, act, sizeof(vsig_wasm_sigaction_t));
  OPTIONAL_RANGE(po, oact, sizeof(vsig_wasm_sigaction_t));
  vsig_wasm_sigaction_t ga = {0};
  vsig_sigaction_t nv = {.sa_flags = 0};
  int route = VSIG_WASIX_ROUTE_NONE;
  if (pa) {
    memcpy(&ga, pa, sizeof ga);
    /* Flags vsig does not know are accepted and dropped, as Linux does. */
    ga.flags &= VSIG_SA_NOCLDSTOP | VSIG_SA_NOCLDWAIT | VSIG_SA_SIGINFO | VSIG_SA_ONSTACK |
                VSIG_SA_RESTART | VSIG_SA_NODEFER | (uint32_t)VSIG_SA_RESETHAND;
    nv.sa_mask.bits = ga.mask;
    nv.sa_flags = ga.flags;
    if (ga.handler == VSIG_WASM_SIG_DFL) {
      nv.sa_handler = VSIG_SIG_DFL;
    } else if (ga.handler == VSIG_WASM_SIG_IGN) {
      nv.sa_handler = VSIG_SIG_IGN;
    } else {
      int np = (ga.flags & VSIG_SA_SIGINFO) ? 3 : 1;
      /* A handler must be a function the guest could call with these
       * arguments: refuse it now rather than trap at delivery. */
      if (!g->ops || !g->ops->table_fn_ok || !g->ops->table_fn_ok(g->inst, ga.handler, np))
        LEAVE(VSIG_WASI_EINVAL);
      route = np == 3 ? VSIG_WASIX_ROUTE_SIGINFO : VSIG_WASIX_ROUTE_HANDLER;
      nv.sa_sigaction = dispatch_trampoline;
      nv.sa_flags |= VSIG_SA_SIGINFO; /* the trampoline always takes siginfo */
    }
  }
  vsig_sigaction_t old;
  if (vsig_sigaction((int)sig, pa ? &nv : NULL, &old) != 0)
    LEAVE(wasi_errno_of(errno));
  vsig_wasm_sigaction_t go = {.mask = old.sa_mask.bits, .flags = old.sa_flags};
  if (old.sa_sigaction == dispatch_trampoline) {
    /* Our trampoline stands for what the guest installed. A signal routed to
     * the WASIX callback is not a vsig_posix_v1 handler: it reads as SIG_DFL,
     * the disposition the guest's libc manages itself in that model. */
    if (g->route[sig] == VSIG_WASIX_ROUTE_CALLBACK) {
      go.handler = VSIG_WASM_SIG_DFL;
      go.flags = 0;
    } else {
      go.handler = g->handler[sig];
      go.flags = g->guest_flags[sig];
    }
  } else {
    go.handler = old.sa_handler == VSIG_SIG_IGN ? VSIG_WASM_SIG_IGN : VSIG_WASM_SIG_DFL;
  }
  if (pa) {
    g->route[sig] = (uint8_t)route;
    g->handler[sig] = route ? ga.handler : 0;
    g->guest_flags[sig] = ga.flags;
  }
  if (po)
    memcpy(po, &go, sizeof go);
  LEAVE(0);
}

uint32_t vsig_posix_sigprocmask(vsig_wasix_guest_t *g, uint32_t how, uint32_t set, uint32_t oset) {
  OPTIONAL_RANGE(ps, set, 8);
  OPTIONAL_RANGE(po, oset, 8);
  vsig_sigset_t s, old;
  if (ps)
    s = sigset_at(ps);
  /* Signals this unblocks are delivered (their handlers run) before it returns. */
  if (vsig_sigprocmask((int)how, ps ? &s : NULL, &old) != 0)
    LEAVE(wasi_errno_of(errno));
  /* Handlers ran; they may have grown (and so moved) the memory. */
  int why;
  if (po && (po = gm_range(g, oset, 8, &why)))
    gm_store_u64(po, old.bits);
  LEAVE(0);
}

uint32_t vsig_posix_sigpending(vsig_wasix_guest_t *g, uint32_t set) {
  int why;
  uint8_t *p = gm_range(g, set, 8, &why);
  if (!set || !p)
    LEAVE(VSIG_WASI_EFAULT);
  vsig_sigset_t s;
  if (vsig_sigpending(&s) != 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u64(p, s.bits);
  LEAVE(0);
}

uint32_t vsig_posix_sigsuspend(vsig_wasix_guest_t *g, uint32_t set) {
  int why;
  uint8_t *p = gm_range(g, set, 8, &why);
  if (!set || !p)
    LEAVE(VSIG_WASI_EFAULT);
  vsig_sigset_t s = sigset_at(p);
  vsig_sigsuspend(&s); /* always -1: EINTR after a handler, ECANCELED if killed */
  LEAVE(wasi_errno_of(errno));
}

uint32_t vsig_posix_pause(vsig_wasix_guest_t *g) {
  vsig_pause();
  LEAVE(wasi_errno_of(errno));
}

uint32_t vsig_posix_sigtimedwait(vsig_wasix_guest_t *g, uint32_t set, uint32_t info,
                                 uint32_t timeout, uint32_t ret_sig) {
  int why;
  uint8_t *ps = gm_range(g, set, 8, &why);
  if (!set || !ps)
    LEAVE(VSIG_WASI_EFAULT);
  OPTIONAL_RANGE(pi, info, sizeof(vsig_wasm_siginfo_t));
  OPTIONAL_RANGE(pt, timeout, sizeof(vsig_wasm_timespec_t));
  OPTIONAL_RANGE(pr, ret_sig, 4);
  vsig_sigset_t s = sigset_at(ps);
  struct timespec ts;
  if (pt) {
    vsig_wasm_timespec_t gt;
    memcpy(&gt, pt, sizeof gt);
    ts.tv_sec = (time_t)gt.tv_sec;
    ts.tv_nsec = gt.tv_nsec;
  }
  vsig_siginfo_t vi;
  int sig = vsig_sigtimedwait(&s, &vi, pt ? &ts : NULL);
  if (sig < 0)
    LEAVE(wasi_errno_of(errno));
  /* Handlers may have run and grown (so moved) the memory: look again. */
  if (pi)
    pi = gm_range(g, info, sizeof(vsig_wasm_siginfo_t), &why);
  if (pr)
    pr = gm_range(g, ret_sig, 4, &why);
  if (pi) {
    vsig_wasm_siginfo_t gi;
    dispatch_siginfo_to_guest(&vi, sig, &gi);
    memcpy(pi, &gi, sizeof gi);
  }
  if (pr)
    gm_store_u32(pr, (uint32_t)sig);
  LEAVE(0);
}

uint32_t vsig_posix_kill(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig) {
  /* pid is signed: 0 and negative values keep their kill(2) meanings. */
  LEAVE_ERRNO(vsig_kill((vsig_pid_t)(int32_t)pid, (int)sig) == 0);
}

uint32_t vsig_posix_raise(vsig_wasix_guest_t *g, uint32_t sig) {
  LEAVE_ERRNO(vsig_raise((int)sig) == 0);
}

uint32_t vsig_posix_sigqueue(vsig_wasix_guest_t *g, uint32_t pid, uint32_t sig, uint32_t value) {
  vsig_sigval_t v;
  memset(&v, 0, sizeof v);
  v.sival_int = (int)value;
  LEAVE_ERRNO(vsig_sigqueue((vsig_pid_t)(int32_t)pid, (int)sig, v) == 0);
}

uint32_t vsig_posix_thread_kill(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig) {
  LEAVE(wasi_errno_of(vsig_pthread_kill((vsig_thread_t)tid, (int)sig)));
}

uint32_t vsig_posix_thread_sigqueue(vsig_wasix_guest_t *g, uint32_t tid, uint32_t sig,
                                    uint32_t value) {
  vsig_sigval_t v;
  memset(&v, 0, sizeof v);
  v.sival_int = (int)value;
  LEAVE(wasi_errno_of(vsig_pthread_sigqueue((vsig_thread_t)tid, (int)sig, v)));
}

uint32_t vsig_posix_getpid(vsig_wasix_guest_t *g, uint32_t ret_pid) {
  int why;
  uint8_t *p = gm_range(g, ret_pid, 4, &why);
  if (!ret_pid || !p)
    LEAVE(VSIG_WASI_EFAULT);
  gm_store_u32(p, (uint32_t)vsig_getpid());
  LEAVE(0);
}

uint32_t vsig_posix_gettid(vsig_wasix_guest_t *g, uint32_t ret_tid) {
  int why;
  uint8_t *p = gm_range(g, ret_tid, 4, &why);
  if (!ret_tid || !p)
    LEAVE(VSIG_WASI_EFAULT);
  gm_store_u32(p, (uint32_t)vsig_thread_self());
  LEAVE(0);
}
