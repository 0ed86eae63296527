/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the input is a program of vsig calls, bad arguments
 * included, run by two vsig threads of a fresh process, in lockstep with the
 * reference model (model.c); every result, errno, output set, siginfo and
 * handler invocation (with the mask it ran under) must match, or it aborts.
 *
 * Lockstep: each call is handed to the thread that makes it and waited for,
 * so the outcome is determined (the threads' priorities differ, so the
 * delivery algorithm never breaks a tie by seniority). After each call both
 * threads reach a safe point (vsig_poll) until the model says nothing is left
 * to take, unless the input says not to: then signals given to a thread stay
 * claimed by it into the next calls. A call the model says would block for good is not made; one
 * that would terminate the process is made only when the input asks, and then the terminate
 * callback must report that signal.
 *
 * Timer deadlines never tie: the clock moves by multiples of 16 ns, timer
 * slot k's expiries fall on k+1 (mod 16) and alarm's on 0.
 *
 * The input may end with an unsynchronised phase: both threads run at once,
 * the main thread sigqueue()s unique values while the helper changes its mask
 * and polls; afterwards every value accepted must have been delivered exactly
 * once.
 */
#include "model.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vsig.h>

#define BIT(s) (UINT64_C(1) << ((s)-1))
#define BAD_PID 0x7ffff000
#define BAD_THREAD (UINT64_C(1) << 62)
#define BAD_TIMER 0x3ffffff0

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fuzz_signals: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  abort();
}

/* ---- what the library did ------------------------------------------------------ */

static vsig_pid_t g_pid;
static vsig_thread_t g_tid[M_THREADS];
static vsig_timer_t g_timer[M_TIMERS];
static _Thread_local int tl_idx;
static struct mrec g_log[M_LOG];
static int g_nlog;
static _Atomic int g_dead_pid, g_dead_sig;

static void record(int sig, int code, int value) {
  vsig_sigset_t cur;
  vsig_pthread_sigmask(VSIG_SIG_BLOCK, NULL, &cur);
  if (g_nlog < M_LOG)
    g_log[g_nlog++] = (struct mrec){tl_idx, sig, code, value, cur.bits};
}

static void h_plain(int sig) { record(sig, M_NOINFO, 0); }

static void h_info(int sig, vsig_siginfo_t *info, void *uc) {
  (void)uc;
  if (info->si_signo != sig)
    die("si_signo %d in the handler of %d", info->si_signo, sig);
  if (info->si_code != VSIG_SI_TIMER && info->si_pid != g_pid)
    die("si_pid %d, wanted %d (signal %d code %d)", info->si_pid, g_pid, sig, info->si_code);
  record(sig, info->si_code, info->si_value.sival_int);
}

static void on_terminate(vsig_pid_t pid, int sig, void *arg) {
  (void)arg;
  atomic_store(&g_dead_pid, pid);
  atomic_store(&g_dead_sig, sig);
}

/* ---- the unsynchronised phase's bookkeeping ------------------------------------------ */

#define CHAOS_MAX 256
#define CHAOS_BASE 0x40000000
static _Atomic int chaos_seen[CHAOS_MAX];
static int chaos_sent[CHAOS_MAX];
static _Atomic int chaos_stop;

static void h_chaos(int sig, vsig_siginfo_t *info, void *uc) {
  (void)sig;
  (void)uc;
  int v = info->si_value.sival_int;
  if (info->si_code == VSIG_SI_QUEUE && v >= CHAOS_BASE && v < CHAOS_BASE + CHAOS_MAX)
    atomic_fetch_add(&chaos_seen[v - CHAOS_BASE], 1);
}

/* ---- one call, made by the calling thread ------------------------------------------------ */

static vsig_handler_t handler_of(int hk) {
  switch (hk) {
  case HK_DFL:
    return VSIG_SIG_DFL;
  case HK_IGN:
    return VSIG_SIG_IGN;
  case HK_PLAIN:
    return h_plain;
  default:
    return (vsig_handler_t)h_info;
  }
}

static int hk_of(vsig_handler_t h) {
  if (h == VSIG_SIG_DFL)
    return HK_DFL;
  if (h == VSIG_SIG_IGN)
    return HK_IGN;
  if (h == h_plain)
    return HK_PLAIN;
  if (h == (vsig_handler_t)h_info)
    return HK_INFO;
  return -1;
}

static vsig_pid_t pid_of(int sel) {
  switch (sel) {
  case 0:
    return g_pid;
  case 1:
    return 0;
  case 2:
    return -g_pid;
  default:
    return BAD_PID;
  }
}

/* Errno-style results: r->ret -1 and r->err, or r->ret. */
#define ERRNO_CALL(r, call)                                                                        \
  do {                                                                                             \
    errno = 0;                                                                                     \
    (r)->ret = (call);                                                                             \
    if ((r)->ret == -1)                                                                            \
      (r)->err = errno;                                                                            \
  } while (0)

static void exec_real(const struct fop *op, struct fres *r) {
  memset(r, 0, sizeof *r);
  int i = tl_idx, sig = op->sig;
  switch (op->kind) {
  case OP_SIGACTION: {
    vsig_sigaction_t act, oact;
    memset(&act, 0, sizeof act);
    memset(&oact, 0, sizeof oact);
    act.sa_handler = handler_of(op->hk);
    act.sa_mask.bits = op->set;
    act.sa_flags = op->flags;
    if (op->variant == 3) {
      errno = 0;
      vsig_handler_t h = vsig_signal(sig, handler_of(op->hk == HK_INFO ? HK_PLAIN : op->hk));
      if (h == VSIG_SIG_ERR) {
        r->ret = -1;
        r->err = errno;
      } else {
        r->hk = hk_of(h);
      }
      break;
    }
    ERRNO_CALL(
        r, vsig_sigaction(sig, op->variant == 1 ? NULL : &act, op->variant == 2 ? NULL : &oact));
    if (r->ret == 0 && op->variant != 2) {
      r->hk = hk_of(oact.sa_handler);
      r->flags = oact.sa_flags;
      r->out = oact.sa_mask.bits;
    }
    break;
  }
  case OP_SIGMASK: {
    vsig_sigset_t set = {op->set}, oset = {0};
    const vsig_sigset_t *sp = (op->variant & 2) ? NULL : &set;
    vsig_sigset_t *op_ = (op->variant & 4) ? NULL : &oset;
    if (op->variant & 1)
      r->ret = vsig_pthread_sigmask(op->how, sp, op_);
    else
      ERRNO_CALL(r, vsig_sigprocmask(op->how, sp, op_));
    if (r->ret == 0 && op_)
      r->out = oset.bits;
    break;
  }
  case OP_RAISE:
    ERRNO_CALL(r, vsig_raise(sig));
    break;
  case OP_KILL:
    ERRNO_CALL(r, vsig_kill(pid_of(op->sel), sig));
    break;
  case OP_SIGQUEUE: {
    vsig_pid_t pid = op->sel == 0 ? g_pid : op->sel == 1 ? 0 : op->sel == 2 ? -g_pid : BAD_PID;
    ERRNO_CALL(r, vsig_sigqueue(pid, sig, (vsig_sigval_t){.sival_int = op->value}));
    break;
  }
  case OP_PTKILL:
  case OP_PTSIGQUEUE: {
    vsig_thread_t t = op->sel == 0   ? g_tid[i]
                      : op->sel == 1 ? g_tid[1 - i]
                      : op->sel == 2 ? BAD_THREAD
                                     : 0;
    if (op->kind == OP_PTKILL)
      r->ret = vsig_pthread_kill(t, sig);
    else
      r->ret = vsig_pthread_sigqueue(t, sig, (vsig_sigval_t){.sival_int = op->value});
    break;
  }
  case OP_SIGPENDING: {
    vsig_sigset_t s = {0};
    ERRNO_CALL(r, vsig_sigpending(op->variant == 1 ? NULL : &s));
    if (r->ret == 0)
      r->out = s.bits;
    break;
  }
  case OP_TIMEDWAIT:
  case OP_WAITINFO: {
    vsig_sigset_t set = {op->set};
    vsig_siginfo_t info;
    memset(&info, 0, sizeof info);
    struct timespec ts = {0, 0};
    if (op->variant == 2)
      ts.tv_nsec = 1000000000;
    if (op->variant == 3)
      ts.tv_sec = -1;
    const vsig_sigset_t *sp = op->variant == 1 ? NULL : &set;
    vsig_siginfo_t *ip = op->variant == 4 ? NULL : &info;
    if (op->kind == OP_WAITINFO && op->variant >= 2) {
      int got = 0;
      r->ret = vsig_sigwait(&set, op->variant == 3 ? NULL : &got);
      r->value = got;
      break;
    }
    if (op->kind == OP_TIMEDWAIT)
      ERRNO_CALL(r, vsig_sigtimedwait(sp, ip, &ts));
    else
      ERRNO_CALL(r, vsig_sigwaitinfo(sp, ip));
    if (r->ret > 0 && ip) {
      if (info.si_signo != r->ret)
        die("sigtimedwait returned %ld with si_signo %d", r->ret, info.si_signo);
      r->code = info.si_code;
      r->value = info.si_value.sival_int;
    }
    break;
  }
  case OP_SUSPEND: {
    vsig_sigset_t set = {op->set};
    if (op->variant == 2)
      ERRNO_CALL(r, vsig_pause());
    else
      ERRNO_CALL(r, vsig_sigsuspend(op->variant == 1 ? NULL : &set));
    break;
  }
  case OP_SETFN: {
    vsig_sigset_t s = {op->set};
    vsig_sigset_t *sp = (op->variant & 8) ? NULL : &s;
    switch (op->variant & 7) {
    case 0:
      ERRNO_CALL(r, vsig_sigaddset(sp, sig));
      break;
    case 1:
      ERRNO_CALL(r, vsig_sigdelset(sp, sig));
      break;
    case 2:
      ERRNO_CALL(r, vsig_sigismember(sp, sig));
      break;
    case 3:
      ERRNO_CALL(r, vsig_sigemptyset(sp));
      break;
    default:
      ERRNO_CALL(r, vsig_sigfillset(sp));
      break;
    }
    if (sp)
      r->out = s.bits;
    break;
  }
  case OP_TCREATE: {
    vsig_sigevent_t sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_signo = sig;
    sev.sigev_value.sival_int = op->value;
    int clock = VSIG_CLOCK_MONOTONIC;
    switch (op->variant) {
    case 0:
      sev.sigev_notify = VSIG_SIGEV_SIGNAL;
      break;
    case 1:
      sev.sigev_notify = VSIG_SIGEV_NONE;
      break;
    case 2:
      sev.sigev_notify = VSIG_SIGEV_THREAD;
      break;
    case 3:
    case 4:
      sev.sigev_notify = VSIG_SIGEV_THREAD_ID;
      sev.sigev_thread_id = g_tid[op->variant == 3 ? i : 1 - i];
      break;
    case 5:
      clock = 7;
      break;
    case 7:
      sev.sigev_notify = VSIG_SIGEV_THREAD_ID;
      sev.sigev_thread_id = BAD_THREAD;
      break;
    default:
      break;
    }
    vsig_timer_t id = -1;
    ERRNO_CALL(r, vsig_timer_create(clock, &sev, op->variant == 6 ? NULL : &id));
    if (r->ret == 0)
      g_timer[op->slot] = id;
    break;
  }
  case OP_TSET:
  case OP_TGET:
  case OP_TDELETE: {
    vsig_timer_t id = op->value; /* the harness put the id (or a bad one) here */
    vsig_itimerspec_t v, ov;
    memset(&v, 0, sizeof v);
    memset(&ov, 0, sizeof ov);
    if (op->kind == OP_TSET) {
      v.it_value.tv_sec = op->ns / 1000000000;
      v.it_value.tv_nsec = op->ns % 1000000000;
      v.it_interval.tv_sec = op->period / 1000000000;
      v.it_interval.tv_nsec = op->period % 1000000000;
      if (op->variant == 2)
        v.it_value.tv_nsec = 1000000000;
      ERRNO_CALL(
          r, vsig_timer_settime(id, op->variant == 3 ? 2 : 0, op->variant == 1 ? NULL : &v, &ov));
    } else if (op->kind == OP_TGET) {
      ERRNO_CALL(r, vsig_timer_gettime(id, &ov));
    } else {
      ERRNO_CALL(r, vsig_timer_delete(id));
    }
    if (r->ret == 0 && op->kind != OP_TDELETE) {
      if (op->how) { /* a SIGEV_NONE timer: computed when asked, not compared */
        r->t_left = r->t_period = -1;
      } else {
        r->t_left = (int64_t)ov.it_value.tv_sec * 1000000000 + ov.it_value.tv_nsec;
        r->t_period = (int64_t)ov.it_interval.tv_sec * 1000000000 + ov.it_interval.tv_nsec;
      }
    }
    break;
  }
  case OP_ADVANCE:
    r->ret = vsig_clock_advance(op->ns);
    break;
  case OP_ALARM:
    r->ret = (long)vsig_alarm((unsigned)op->ns);
    break;
  case OP_POLL:
    r->ret = vsig_poll();
    break;
  case OP_PRIO: {
    int p0 = -1, p1 = -1;
    if (vsig_thread_getpriority(g_tid[0], &p0) || vsig_thread_getpriority(g_tid[1], &p1) ||
        vsig_thread_setpriority(g_tid[0], p1) || vsig_thread_setpriority(g_tid[1], p0))
      die("thread priorities");
    break;
  }
  default:
    break;
  }
}

/* ---- the helper thread ------------------------------------------------------------------ */

enum { CMD_NONE, CMD_OP, CMD_ATTACH, CMD_DETACH, CMD_CHAOS, CMD_DRAIN };

static pthread_mutex_t hs_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hs_cv = PTHREAD_COND_INITIALIZER;
static int hs_cmd, hs_done, hs_arg, hs_rc;
static const struct fop *hs_op;
static struct fres *hs_res;
static uint64_t chaos_seed;

static int chaos_mask_sigs[4] = {40, 41, 42, 43};

static void chaos_helper(void) {
  uint64_t x = chaos_seed | 1;
  while (!atomic_load(&chaos_stop)) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    vsig_sigset_t s = {BIT(chaos_mask_sigs[x & 3]) |
                       ((x & 4) ? BIT(chaos_mask_sigs[(x >> 3) & 3]) : 0)};
    switch ((x >> 8) % 5) {
    case 0:
      vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL);
      break;
    case 1:
      vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &s, NULL);
      break;
    case 2: {
      struct timespec zero = {0, 0};
      vsig_siginfo_t info;
      if (vsig_sigtimedwait(&s, &info, &zero) > 0)
        h_chaos(info.si_signo, &info, NULL);
      break;
    }
    default:
      vsig_poll();
      break;
    }
  }
}

/* Take everything the calling thread can: unblock all and accept what is left. */
static void drain_self(void) {
  vsig_sigset_t all = {BIT(40) | BIT(41) | BIT(42) | BIT(43)};
  vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &all, NULL);
  vsig_poll();
}

static void *helper_main(void *arg) {
  (void)arg;
  tl_idx = 1;
  pthread_mutex_lock(&hs_mu);
  for (;;) {
    while (hs_cmd == CMD_NONE)
      pthread_cond_wait(&hs_cv, &hs_mu);
    int cmd = hs_cmd;
    pthread_mutex_unlock(&hs_mu);
    int rc = 0;
    switch (cmd) {
    case CMD_OP:
      exec_real(hs_op, hs_res);
      break;
    case CMD_ATTACH:
      rc = vsig_thread_attach(g_pid, hs_arg);
      g_tid[1] = vsig_thread_self();
      break;
    case CMD_DETACH:
      rc = vsig_thread_detach();
      break;
    case CMD_CHAOS:
      chaos_helper();
      break;
    case CMD_DRAIN:
      drain_self();
      break;
    default:
      break;
    }
    pthread_mutex_lock(&hs_mu);
    hs_rc = rc;
    hs_cmd = CMD_NONE;
    hs_done = 1;
    pthread_cond_broadcast(&hs_cv);
  }
  return NULL;
}

static void helper_start(int cmd) {
  pthread_mutex_lock(&hs_mu);
  hs_cmd = cmd;
  hs_done = 0;
  pthread_cond_broadcast(&hs_cv);
  pthread_mutex_unlock(&hs_mu);
}

static int helper_wait(void) {
  pthread_mutex_lock(&hs_mu);
  while (!hs_done)
    pthread_cond_wait(&hs_cv, &hs_mu);
  int rc = hs_rc;
  pthread_mutex_unlock(&hs_mu);
  return rc;
}

static int helper_run(int cmd) {
  helper_start(cmd);
  return helper_wait();
}

static void run_on(int thr, const struct fop *op, struct fres *r) {
  if (thr == 0) {
    exec_real(op, r);
    return;
  }
  hs_op = op;
  hs_res = r;
  helper_run(CMD_OP);
}

/* ---- decoding the input --------------------------------------------------------------------- */

struct input {
  const uint8_t *p;
  size_t n;
};

static unsigned u8(struct input *in) {
  if (!in->n)
    return 0;
  in->n--;
  return *in->p++;
}

static unsigned u16(struct input *in) { return u8(in) | u8(in) << 8; }

/* The signals the fuzzer works with: handlers, defaults that terminate and that
 * ignore, stop and continue, real-time ones, a synchronous one, the two that
 * cannot be caught. */
static const int SIGS[16] = {10, 12, 14, 17, 34, 35, 11, 9, 2, 20, 23, 40, 64, 15, 18, 19};

/* A signal to send: never SIGSTOP, whose default action would stop the
 * process the harness drives (test_jobctl covers stopping). */
static int dec_sig(struct input *in);
static int dec_sent_sig(struct input *in) {
  int sig = dec_sig(in);
  return sig == VSIG_SIGSTOP ? VSIG_SIGCONT : sig;
}

static int dec_sig(struct input *in) {
  unsigned b = u8(in);
  if (b < 0xe0)
    return SIGS[b & 15];
  switch (b & 0x1f) {
  case 0:
    return 0;
  case 1:
    return -1;
  case 2:
    return 65;
  case 3:
    return 1000;
  case 4:
    return INT_MIN;
  default:
    return (int)(b % 64) + 1;
  }
}

static uint64_t dec_set(struct input *in) {
  unsigned b = u8(in);
  uint64_t s = 0;
  for (int k = 0; k < 8; k++)
    if (b & (1u << k))
      s |= BIT(SIGS[(k * 2 + (b >> 7)) & 15]);
  if (b == 0xff)
    s = ~UINT64_C(0);
  return s;
}

static int free_slot(const struct model *m) {
  for (int k = 0; k < M_TIMERS; k++)
    if (!m->tm[k].used)
      return k;
  return 0;
}

/* Fill op from the input; 0 when the input is used up. */
static int decode(struct input *in, const struct model *m, struct fop *op) {
  if (!in->n)
    return 0;
  memset(op, 0, sizeof *op);
  unsigned k = u8(in);
  op->kind = (int)(k % OP_NKINDS);
  op->keep = k >= 0xc0;
  unsigned a = u8(in);
  op->thr = a & 1;
  unsigned v = a >> 1; /* 0..127: mostly the valid form */
  switch (op->kind) {
  case OP_SIGACTION: {
    op->sig = dec_sig(in);
    op->variant = v < 92 ? 0 : v < 108 ? 3 : v < 120 ? 1 : 2;
    unsigned b = u8(in);
    op->hk = (int)(b & 3);
    int f = 0;
    if (b & 0x04)
      f |= VSIG_SA_RESTART;
    if (b & 0x08)
      f |= VSIG_SA_NODEFER;
    if (b & 0x10)
      f |= VSIG_SA_RESETHAND;
    if (b & 0x20)
      f |= VSIG_SA_ONSTACK;
    if (b & 0x40)
      f |= VSIG_SA_INTERRUPT | 0x04000000; /* bits vsig drops */
    if (op->hk == HK_INFO || (op->hk < HK_PLAIN && (b & 0x80)))
      f |= VSIG_SA_SIGINFO;
    op->flags = f;
    op->set = dec_set(in);
    break;
  }
  case OP_SIGMASK: {
    unsigned h = u8(in);
    op->how = (h & 0x80) ? ((h & 1) ? 3 : -1) : (int)(h % 3);
    op->variant = (int)(v & 1) | (v >= 120 ? 2 : 0) | ((v & 2) ? 4 : 0);
    op->set = dec_set(in);
    break;
  }
  case OP_RAISE:
    op->sig = dec_sent_sig(in);
    break;
  case OP_KILL:
    op->sig = dec_sent_sig(in);
    op->sel = v < 120 ? (int)(v % 3) : 3;
    break;
  case OP_SIGQUEUE:
    op->sig = dec_sent_sig(in);
    op->sel = v < 120 ? 0 : (int)(v % 3) + 1;
    op->value = (int)u16(in);
    break;
  case OP_PTKILL:
  case OP_PTSIGQUEUE:
    op->sig = dec_sent_sig(in);
    op->sel = v < 120 ? (int)(v & 1) : (int)(v & 1) + 2;
    op->value = (int)u16(in);
    break;
  case OP_SIGPENDING:
    op->variant = v >= 124;
    break;
  case OP_TIMEDWAIT:
    op->set = dec_set(in);
    op->variant = v < 108 ? 0 : (int)(v % 4) + 1;
    break;
  case OP_WAITINFO:
  case OP_SUSPEND:
    /* sigwaitinfo, sigwait (2), sigwait with a NULL result (3); sigsuspend, pause (2);
     * 1: a NULL set */
    op->set = dec_set(in);
    op->variant = v >= 124 ? 1 : v == 123 ? (op->kind == OP_WAITINFO ? 3 : 2) : (int)(v & 1) * 2;
    break;
  case OP_SETFN:
    op->sig = dec_sig(in);
    op->set = dec_set(in);
    op->variant = (int)(v % 5) | (v >= 124 ? 8 : 0);
    break;
  case OP_TCREATE:
    op->sig = dec_sent_sig(in);
    op->slot = free_slot(m);
    op->variant = v < 64 ? 0 : v < 120 ? (int)(v % 5) : (int)(v % 8);
    op->value = (int)u16(in);
    break;
  case OP_TSET:
  case OP_TGET:
  case OP_TDELETE: {
    unsigned s = u8(in) % 5;
    op->slot = s == 4 ? -1 : (int)s;
    if (op->kind == OP_TSET) {
      unsigned f = u16(in), p = u8(in);
      int k = op->slot < 0 ? 0 : op->slot;
      op->ns = (f & 0x8000) ? 0 : (int64_t)(f % 4096) * 16 * 250 + k + 1;
      op->period = (p & 3) ? 0 : (int64_t)(p >> 2) * 16 * 500;
      op->variant = v < 116 ? 0 : (int)(v % 3) + 1;
    }
    break;
  }
  case OP_ADVANCE: {
    unsigned b = u8(in);
    op->ns = (b & 0x80) ? (int64_t)(b & 0x7f) * 250000000 : (int64_t)b * 16 * 1000;
    if (v >= 124)
      op->ns = -16;
    break;
  }
  case OP_ALARM:
    op->ns = u8(in) % 4;
    break;
  default:
    break;
  }
  return 1;
}

/* ---- comparing ------------------------------------------------------------------------------ */

static const char *kind_name(int k) {
  static const char *const n[] = {
      "sigaction",    "sigmask",          "raise",        "kill",          "sigqueue",
      "pthread_kill", "pthread_sigqueue", "sigpending",   "sigtimedwait",  "sigwaitinfo",
      "sigsuspend",   "sigsetfn",         "timer_create", "timer_settime", "timer_gettime",
      "timer_delete", "clock_advance",    "alarm",        "poll",          "swap priorities"};
  return k >= 0 && k < OP_NKINDS ? n[k] : "?";
}

static void print_op(const struct fop *op) {
  fprintf(stderr,
          "  op %s on thread %d: sig %d variant %d how %d hk %d flags %#x set %#llx sel %d "
          "value %d slot %d ns %lld period %lld\n",
          kind_name(op->kind), op->thr, op->sig, op->variant, op->how, op->hk, op->flags,
          (unsigned long long)op->set, op->sel, op->value, op->slot, (long long)op->ns,
          (long long)op->period);
}

static void print_res(const char *who, const struct fres *r) {
  fprintf(stderr,
          "  %s: ret %ld errno %d out %#llx hk %d flags %#x code %d value %d left %lld period "
          "%lld\n",
          who, r->ret, r->err, (unsigned long long)r->out, r->hk, r->flags, r->code, r->value,
          (long long)r->t_left, (long long)r->t_period);
}

static void print_log(const char *who, const struct mrec *l, int n, int from) {
  for (int k = from; k < n; k++)
    fprintf(stderr, "  %s handler %d: thread %d sig %d code %d value %d mask %#llx\n", who, k,
            l[k].thr, l[k].sig, l[k].code, l[k].value, (unsigned long long)l[k].mask);
}

static int g_step;
static struct fop g_hist[64];
/* FUZZ_SIGNALS_TRACE=1 in the environment: print every call and its result. */
static int g_trace;

static void mismatch(const char *what, const struct fop *op, const struct fres *mr,
                     const struct fres *rr, const struct model *m, int log_from) {
  fprintf(stderr, "fuzz_signals: MISMATCH (%s) at step %d\n  recent operations:\n", what, g_step);
  for (int k = g_step > 16 ? g_step - 16 : 0; k < g_step; k++)
    print_op(&g_hist[k % 64]);
  fprintf(stderr, "  the one that differs:\n");
  print_op(op);
  print_res("model", mr);
  print_res("vsig ", rr);
  print_log("model", m->log, m->nlog, log_from);
  print_log("vsig ", g_log, g_nlog, log_from);
  abort();
}

static void compare(const struct fop *op, const struct fres *mr, const struct fres *rr,
                    const struct model *m, int log_from) {
  if (memcmp(mr, rr, sizeof *mr) != 0)
    mismatch("result", op, mr, rr, m, log_from);
  if (m->nlog != g_nlog || memcmp(m->log, g_log, sizeof g_log[0] * (size_t)g_nlog) != 0)
    mismatch("handlers run", op, mr, rr, m, log_from);
}

/* ---- one input ------------------------------------------------------------------------------ */

static struct model g_model, g_saved;

/* 1 when the process died (the input ends). */
static int step(struct model *m, struct fop *op, int allow_death) {
  struct fres mr, rr;
  int log_from = m->nlog;
  g_saved = *m;
  model_op(m, op, &mr);
  if (m->blocks || (m->dead && !allow_death)) {
    *m = g_saved;
    return 0;
  }
  g_hist[g_step++ % 64] = *op;
  run_on(op->thr, op, &rr);
  if (g_trace && op->kind != OP_POLL) {
    print_op(op);
    print_res("vsig ", &rr);
  }
  if (m->dead) {
    if (atomic_load(&g_dead_pid) != g_pid || atomic_load(&g_dead_sig) != m->dead_sig) {
      fprintf(stderr, "terminate callback: pid %d sig %d, model: pid %d sig %d\n",
              atomic_load(&g_dead_pid), atomic_load(&g_dead_sig), g_pid, m->dead_sig);
      mismatch("termination", op, &mr, &rr, m, log_from);
    }
    int term = 0;
    if (vsig_proc_status(g_pid, &term) != 0 || term != m->dead_sig)
      die("proc_status says %d, the callback %d", term, m->dead_sig);
    if (g_trace)
      fprintf(stderr, "  terminated by %d, as the model says\n", term);
    return 1;
  }
  if (atomic_load(&g_dead_pid) == g_pid)
    mismatch("unexpected termination", op, &mr, &rr, m, log_from);
  compare(op, &mr, &rr, m, log_from);
  return 0;
}

/* Both threads reach safe points until nothing is left to take (unless
 * polls is 0). */
static int settle(struct model *m, int polls) {
  for (int round = 0; polls && round < 8; round++) {
    int any = 0;
    for (int t = 0; t < M_THREADS; t++) {
      if (round > 0 && !model_takeable(m, t))
        continue;
      any = 1;
      struct fop poll = {.kind = OP_POLL, .thr = t};
      if (step(m, &poll, 1))
        return 1;
    }
    if (!any)
      break;
  }
  /* The main thread's view, cheaply: its mask and what is pending for it. */
  struct fop q1 = {.kind = OP_SIGMASK, .thr = 0, .variant = 2};
  struct fop q2 = {.kind = OP_SIGPENDING, .thr = 0};
  return step(m, &q1, 1) || step(m, &q2, 1);
}

static int64_t g_now;

static void chaos(struct input *in) {
  unsigned n = u8(in) % 128 + 1;
  chaos_seed = u16(in) * 0x9e3779b97f4a7c15ull + 1;
  /* Handlers for the phase's signals; what is pending from before is theirs. */
  for (int k = 0; k < 4; k++) {
    vsig_sigaction_t act;
    memset(&act, 0, sizeof act);
    act.sa_sigaction = h_chaos;
    act.sa_flags = VSIG_SA_SIGINFO | ((chaos_seed >> k) & 1 ? VSIG_SA_NODEFER : 0);
    if (vsig_sigaction(chaos_mask_sigs[k], &act, NULL) != 0)
      die("sigaction in the unsynchronised phase");
  }
  memset(chaos_sent, 0, sizeof chaos_sent);
  for (int k = 0; k < CHAOS_MAX; k++)
    atomic_store(&chaos_seen[k], 0);
  atomic_store(&chaos_stop, 0);
  helper_start(CMD_CHAOS);
  for (unsigned k = 0; k < n; k++) {
    unsigned b = u8(in);
    int sig = chaos_mask_sigs[b & 3];
    vsig_sigval_t val = {.sival_int = CHAOS_BASE + (int)k};
    int rc = (b & 4) ? vsig_pthread_sigqueue(g_tid[1], sig, val)
                     : (vsig_sigqueue(g_pid, sig, val) == 0 ? 0 : errno);
    if (rc == 0)
      chaos_sent[k] = 1;
    else if (rc != EAGAIN)
      die("sigqueue in the unsynchronised phase: %d", rc);
    if (b & 8)
      vsig_poll();
  }
  atomic_store(&chaos_stop, 1);
  helper_wait();
  helper_run(CMD_DRAIN);
  drain_self();
  helper_run(CMD_DRAIN);
  if (atomic_load(&g_dead_pid) == g_pid)
    die("the process was terminated in the unsynchronised phase, by %d", atomic_load(&g_dead_sig));
  for (unsigned k = 0; k < n; k++)
    if (atomic_load(&chaos_seen[k]) != chaos_sent[k])
      die("unsynchronised phase: value %u sent %d times, delivered %d times", k, chaos_sent[k],
          atomic_load(&chaos_seen[k]));
  if (g_trace) {
    int sent = 0;
    for (unsigned k = 0; k < n; k++)
      sent += chaos_sent[k];
    fprintf(stderr, "  unsynchronised phase: %d of %u values queued, each delivered once\n", sent,
            n);
  }
}

static void setup(int prio0, int prio1) {
  vsig_proc_attr_t attr;
  vsig_proc_attr_init(&attr);
  attr.queue_max = M_QUEUE_MAX;
  attr.timer_max = M_TIMER_MAX;
  attr.parent = VSIG_PID_NONE; /* its own group: kill(0) and kill(-pid) reach it alone */
  if (vsig_proc_create(&attr, &g_pid) != 0)
    die("proc_create");
  if (vsig_thread_attach(g_pid, prio0) != 0)
    die("thread_attach");
  g_tid[0] = vsig_thread_self();
  hs_arg = prio1;
  if (helper_run(CMD_ATTACH) != 0)
    die("helper attach");
  for (int s = 1; s < VSIG_NSIG; s++) {
    if (s == VSIG_SIGKILL || s == VSIG_SIGSTOP)
      continue;
    vsig_sigaction_t act;
    memset(&act, 0, sizeof act);
    act.sa_handler = h_plain;
    if (vsig_sigaction(s, &act, NULL) != 0)
      die("sigaction %d", s);
  }
  atomic_store(&g_dead_pid, 0);
  atomic_store(&g_dead_sig, 0);
  g_nlog = 0;
  g_step = 0;
  memset(g_timer, 0, sizeof g_timer);
}

static void teardown(void) {
  if (helper_run(CMD_DETACH) != 0)
    die("helper detach");
  if (vsig_thread_detach() != 0)
    die("detach");
  int rc = vsig_proc_destroy(g_pid);
  if (rc != 0)
    die("proc_destroy: %d", rc);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_trace = getenv("FUZZ_SIGNALS_TRACE") != NULL;
  if (vsig_clock_set_manual(0) != 0)
    die("manual clock");
  vsig_set_terminate_callback(on_terminate, NULL);
  pthread_t h;
  if (pthread_create(&h, NULL, helper_main, NULL) != 0)
    die("helper thread");
  pthread_detach(h);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct input in = {data, size};
  /* Distinct priorities: the delivery algorithm's choice is then determined. */
  unsigned pr = u8(&in);
  int prio0 = (int)(pr & 7), prio1 = (int)((pr >> 3) & 7);
  if (prio1 == prio0)
    prio1 = prio0 + 1;
  unsigned flags = u8(&in);
  int allow_death = flags & 1, do_chaos = flags & 2;
  setup(prio0, prio1);
  g_now = vsig_clock_now();
  model_init(&g_model, prio0, prio1, g_now);
  struct model *m = &g_model;
  int dead = 0;
  struct fop op;
  size_t chaos_at = do_chaos ? size / 2 : 0;
  while (!dead && !(chaos_at && (size_t)(in.p - data) >= chaos_at) && decode(&in, m, &op)) {
    if (op.kind == OP_TSET || op.kind == OP_TGET || op.kind == OP_TDELETE) {
      int used = op.slot >= 0 && m->tm[op.slot].used;
      op.value = used ? g_timer[op.slot] : BAD_TIMER;
      op.how = used && m->tm[op.slot].notify == 1;
    }
    if (step(m, &op, allow_death) || settle(m, !op.keep))
      dead = 1;
  }
  /* The unsynchronised phase needs a process with nothing left to deliver
   * (a pending signal whose default action kills would end it). */
  if (!dead && do_chaos && !settle(m, 1) && !model_takeable(m, 0) && !model_takeable(m, 1))
    chaos(&in);
  teardown();
  return 0;
}
