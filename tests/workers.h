/* SPDX-License-Identifier: MIT */
/*
 * workers: helpers for tests that need real vsig threads in known states.
 *
 * A worker is a vsig thread that sets its mask and then does one thing: spins
 * on vsig_poll (ready), waits in the sigwait family, pause, sigsuspend,
 * nanosleep, or an embedder blocking call. start_worker returns only once
 * vsig_thread_getstate reports the worker in that state, so a test can send
 * knowing who is where, without sleeping for a guessed time.
 *
 * Handlers installed with install_logger record who ran them in an event log;
 * sigwait-family workers record what they took in the same log. Tests then
 * check who got which signal, and that nothing got one twice.
 *
 * KICK (SIGRTMAX) is reserved for ending a worker's wait at cleanup: workers
 * never block it, wait for it too, and it is never logged.
 */
#ifndef VT_WORKERS_H
#define VT_WORKERS_H

#include "vt.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <vsig.h>

/* Only a guard against a hang: a correct library never gets near it. */
#define GUARD_NS (60LL * 1000000000LL)

#define KICK VSIG_SIGRTMAX

static inline int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The host's nanosleep: a short pause that lets spinning workers run. */
static inline void nap(void) {
  struct timespec ts = {0, 20000};
  nanosleep(&ts, NULL);
}

#define WAIT_UNTIL(cond)                                                                           \
  do {                                                                                             \
    int64_t wu_deadline = now_ns() + GUARD_NS;                                                     \
    while (!(cond)) {                                                                              \
      if (now_ns() > wu_deadline)                                                                  \
        VT_FAIL("gave up waiting for %s", #cond);                                                  \
      nap();                                                                                       \
    }                                                                                              \
  } while (0)

static inline vsig_sigset_t mkset(const int *sigs) {
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  for (; *sigs; sigs++)
    vsig_sigaddset(&s, *sigs);
  return s;
}
/* SET(a, b, ...) is the set of those signals; SET(0) is empty. */
#define SET(...) mkset((const int[]){__VA_ARGS__, 0})

static inline vsig_sigset_t allset(void) {
  vsig_sigset_t s;
  vsig_sigfillset(&s);
  return s;
}

static inline int state_of(vsig_thread_t t) {
  int s = -1;
  int rc = vsig_thread_getstate(t, &s);
  return rc ? -rc : s;
}

static inline void wait_state(vsig_thread_t t, int want) { WAIT_UNTIL(state_of(t) == want); }

/* ---- the event log ---------------------------------------------------------- */

struct event {
  _Atomic int ready;
  int sig, val, code;
  vsig_thread_t thr;
};
#define MAX_EVENTS 8192
static struct event events[MAX_EVENTS];
static _Atomic int nevents;

static inline void log_event(int sig, int val, int code) {
  int i = atomic_fetch_add(&nevents, 1);
  if (i >= MAX_EVENTS)
    return;
  events[i].sig = sig;
  events[i].val = val;
  events[i].code = code;
  events[i].thr = vsig_thread_self();
  atomic_store_explicit(&events[i].ready, 1, memory_order_release);
}

static inline int event_count(void) { return atomic_load(&nevents); }

/* Wait until n events are logged and readable. */
static inline void wait_events(int n) {
  WAIT_UNTIL(atomic_load(&nevents) >= n);
  for (int i = 0; i < n; i++)
    WAIT_UNTIL(atomic_load_explicit(&events[i].ready, memory_order_acquire));
}

static void on_logged(int sig, vsig_siginfo_t *info, void *ctx) {
  (void)ctx;
  log_event(sig, info->si_value.sival_int, info->si_code);
}

static void on_kick(int sig) { (void)sig; }

/* In the calling thread's process: sig's handler logs, with flags added. */
static inline void install_logger(int sig, int flags) {
  vsig_sigaction_t act = {.sa_sigaction = on_logged, .sa_flags = VSIG_SA_SIGINFO | flags};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
}

static inline void install_kick(void) {
  vsig_sigaction_t act = {.sa_handler = on_kick};
  CHECK_EQ(vsig_sigaction(KICK, &act, NULL), 0);
}

static inline void install_action(int sig, vsig_handler_t h) {
  vsig_sigaction_t act = {.sa_handler = h};
  CHECK_EQ(vsig_sigaction(sig, &act, NULL), 0);
}

/* Run fn(arg) on a new vsig thread of pid and wait for it: how a test that
 * lives in another process sets pid's actions. */
static inline void run_in(vsig_pid_t pid, void *(*fn)(void *), void *arg) {
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fn, arg), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* ---- workers ------------------------------------------------------------------ */

enum wmode {
  W_READY,         /* spins on vsig_poll (unless nopoll) and runs commands */
  W_SIGWAIT,       /* vsig_sigwait(set) */
  W_SIGWAITINFO,   /* vsig_sigwaitinfo(set) */
  W_SIGTIMEDWAIT,  /* vsig_sigtimedwait(set, a minute) */
  W_PAUSE,         /* vsig_pause() */
  W_SIGSUSPEND,    /* vsig_sigsuspend(set) */
  W_NANOSLEEP,     /* vsig_nanosleep(a minute) */
  W_BLOCK_INTR,    /* vsig_block_begin(1, ...) until woken (or stop) */
  W_BLOCK_NONINTR, /* vsig_block_begin(0, ...) until stop */
};

/* Commands a ready worker runs between polls (see run_command). */
enum wcmd {
  C_NONE,
  C_BLOCK,      /* pthread_sigmask(SIG_BLOCK, cmd_set) */
  C_UNBLOCK,    /* pthread_sigmask(SIG_UNBLOCK, cmd_set): runs what that makes deliverable */
  C_POLL,       /* start calling vsig_poll */
  C_DETACH,     /* vsig_thread_detach, then end the thread */
  C_KILL,       /* vsig_kill(cmd_pid, cmd_sig); cmd_events: event_count() right after */
  C_SIGQUEUE,   /* vsig_sigqueue(cmd_pid, cmd_sig, cmd_val) */
  C_SIGPENDING, /* vsig_sigpending(&cmd_out) */
  C_GETMASK,    /* current mask into cmd_out */
  C_TAKE,       /* vsig_sigtimedwait(cmd_set, &cmd_info, zero timeout) */
  C_PAUSE,      /* vsig_pause */
  C_BLOCKCALL,  /* vsig_block_begin(1, ...) into cmd_rc, then vsig_block_end into cmd_rc2 */
  C_GETPID,     /* vsig_getpid into cmd_rc */
  C_SPAWN,      /* start cmd_child in our process: it inherits our mask */
};

struct worker {
  /* set by the test */
  int mode;
  int prio;
  vsig_sigset_t mask; /* the worker's mask while it works */
  vsig_sigset_t set;  /* the sigwait set, or the sigsuspend mask */
  bool nopoll;        /* W_READY: do not poll until C_POLL */
  bool hold;          /* W_BLOCK_INTR: stay blocked after the wake, until stop */
  bool wake_nonintr;  /* W_BLOCK_NONINTR: pass a wake function anyway */
  /* filled in */
  vsig_thread_t id;
  pthread_t host;
  _Atomic int started, stop, woken, done, cmd;
  vsig_sigset_t cmd_set, cmd_out;
  vsig_pid_t cmd_pid;
  int cmd_sig, cmd_val;
  int cmd_rc, cmd_rc2, cmd_err, cmd_events;
  vsig_siginfo_t cmd_info;
  struct worker *cmd_child;
  _Atomic int poll_rc; /* the first nonzero vsig_poll result */
  int begin_rc, rc, err, sig;
  vsig_siginfo_t info;
};

static void on_wake(void *arg) {
  struct worker *w = arg;
  atomic_fetch_add(&w->woken, 1);
}

static inline bool worker_waits(int mode) {
  return mode == W_SIGWAIT || mode == W_SIGWAITINFO || mode == W_SIGTIMEDWAIT;
}

static void *worker_main(void *arg);

/* Returns false when the thread must end (it detached). */
static bool run_command(struct worker *w, int c, bool *poll) {
  static const struct timespec zero = {0, 0};
  errno = 0;
  switch (c) {
  case C_BLOCK:
    w->cmd_rc = vsig_pthread_sigmask(VSIG_SIG_BLOCK, &w->cmd_set, NULL);
    break;
  case C_UNBLOCK:
    w->cmd_rc = vsig_pthread_sigmask(VSIG_SIG_UNBLOCK, &w->cmd_set, NULL);
    break;
  case C_POLL:
    *poll = true;
    break;
  case C_DETACH:
    w->cmd_rc = vsig_thread_detach();
    break;
  case C_KILL:
    w->cmd_rc = vsig_kill(w->cmd_pid, w->cmd_sig);
    w->cmd_err = errno;
    w->cmd_events = event_count();
    break;
  case C_SIGQUEUE:
    w->cmd_rc = vsig_sigqueue(w->cmd_pid, w->cmd_sig, (vsig_sigval_t){.sival_int = w->cmd_val});
    w->cmd_err = errno;
    break;
  case C_SIGPENDING:
    w->cmd_rc = vsig_sigpending(&w->cmd_out);
    break;
  case C_GETMASK:
    w->cmd_rc = vsig_pthread_sigmask(VSIG_SIG_BLOCK, NULL, &w->cmd_out);
    break;
  case C_TAKE:
    w->cmd_rc = vsig_sigtimedwait(&w->cmd_set, &w->cmd_info, &zero);
    w->cmd_err = errno;
    break;
  case C_PAUSE:
    w->cmd_rc = vsig_pause();
    w->cmd_err = errno;
    break;
  case C_BLOCKCALL:
    w->cmd_rc = vsig_block_begin(1, on_wake, w);
    w->cmd_rc2 = vsig_block_end();
    break;
  case C_GETPID:
    w->cmd_rc = vsig_getpid();
    break;
  case C_SPAWN: {
    struct worker *c = w->cmd_child;
    w->cmd_rc = vsig_thread_create(&c->host, &c->id, vsig_getpid(), c->prio, worker_main, c);
    break;
  }
  }
  /* Calling vsig after detaching would attach us to the default process. */
  return c != C_DETACH;
}

static void *worker_main(void *arg) {
  struct worker *w = arg;
  vsig_pthread_sigmask(VSIG_SIG_SETMASK, &w->mask, NULL);
  struct timespec minute = {60, 0};
  switch (w->mode) {
  case W_READY: {
    bool poll = !w->nopoll;
    atomic_store(&w->started, 1);
    while (!atomic_load(&w->stop)) {
      int c = atomic_load(&w->cmd);
      if (c) {
        bool go_on = run_command(w, c, &poll);
        atomic_store(&w->cmd, C_NONE);
        if (!go_on)
          return NULL;
      }
      if (poll) {
        int r = vsig_poll();
        if (r && !w->poll_rc)
          w->poll_rc = r;
      }
      sched_yield();
    }
    return NULL;
  }
  case W_SIGWAIT:
  case W_SIGWAITINFO:
  case W_SIGTIMEDWAIT:
    atomic_store(&w->started, 1);
    errno = 0;
    if (w->mode == W_SIGWAIT) {
      w->rc = vsig_sigwait(&w->set, &w->sig);
      w->info.si_signo = w->sig;
      w->info.si_value.sival_int = -1;
      w->info.si_code = 1; /* sigwait gives no siginfo */
    } else if (w->mode == W_SIGWAITINFO) {
      w->rc = w->sig = vsig_sigwaitinfo(&w->set, &w->info);
    } else {
      w->rc = w->sig = vsig_sigtimedwait(&w->set, &w->info, &minute);
    }
    w->err = errno;
    if (w->sig > 0 && w->sig != KICK)
      log_event(w->sig, w->info.si_value.sival_int, w->info.si_code);
    break;
  case W_PAUSE:
  case W_SIGSUSPEND:
  case W_NANOSLEEP:
    atomic_store(&w->started, 1);
    errno = 0;
    if (w->mode == W_PAUSE)
      w->rc = vsig_pause();
    else if (w->mode == W_SIGSUSPEND)
      w->rc = vsig_sigsuspend(&w->set);
    else
      w->rc = vsig_nanosleep(&minute, NULL);
    w->err = errno;
    break;
  case W_BLOCK_INTR:
  case W_BLOCK_NONINTR: {
    bool intr = w->mode == W_BLOCK_INTR;
    w->begin_rc = vsig_block_begin(intr, intr || w->wake_nonintr ? on_wake : NULL, w);
    atomic_store(&w->started, 1);
    if (w->begin_rc == 0)
      while (!atomic_load(&w->stop) && !(intr && !w->hold && atomic_load(&w->woken)))
        nap();
    w->rc = vsig_block_end();
    break;
  }
  }
  /* Done: take nothing more, so later sends in the test go to other threads. */
  vsig_sigset_t all = allset();
  vsig_sigdelset(&all, KICK);
  vsig_pthread_sigmask(VSIG_SIG_SETMASK, &all, NULL);
  atomic_store(&w->done, 1);
  return NULL;
}

static inline int expected_state(const struct worker *w) {
  switch (w->mode) {
  case W_READY:
    return VSIG_THREAD_READY;
  case W_SIGWAIT:
  case W_SIGWAITINFO:
  case W_SIGTIMEDWAIT:
    return VSIG_THREAD_SIGWAIT;
  case W_BLOCK_NONINTR:
    return VSIG_THREAD_NONINTERRUPTIBLE;
  default:
    return VSIG_THREAD_INTERRUPTIBLE;
  }
}

static inline void prepare_worker(struct worker *w) {
  if (worker_waits(w->mode))
    vsig_sigaddset(&w->set, KICK);
  else if (w->mode == W_SIGSUSPEND)
    vsig_sigdelset(&w->set, KICK);
  vsig_sigdelset(&w->mask, KICK);
}

static inline void await_worker(struct worker *w) {
  WAIT_UNTIL(atomic_load(&w->started));
  if ((w->mode == W_BLOCK_INTR || w->mode == W_BLOCK_NONINTR) && w->begin_rc != 0)
    return;
  wait_state(w->id, expected_state(w));
}

/*
 * Start w in pid and return once it is in its state. A thread created from
 * outside pid starts with nothing blocked until it sets w->mask, so it may
 * take a signal already pending on pid first: use spawn_worker for that case.
 */
static inline void start_worker(struct worker *w, vsig_pid_t pid) {
  prepare_worker(w);
  CHECK_EQ(vsig_thread_create(&w->host, &w->id, pid, w->prio, worker_main, w), 0);
  await_worker(w);
}

/* Start child from the ready worker parent, so that it begins with parent's
 * mask. With wait_state false, return as soon as it has started (for a worker
 * that finds its signal at once and never enters its state). */
static inline void spawn_worker(struct worker *parent, struct worker *child, int mode, int prio,
                                vsig_sigset_t mask, vsig_sigset_t set, bool wait_state_) {
  child->mode = mode;
  child->prio = prio;
  child->mask = mask;
  child->set = set;
  prepare_worker(child);
  parent->cmd_child = child;
  atomic_store(&parent->cmd, C_SPAWN);
  WAIT_UNTIL(atomic_load(&parent->cmd) == C_NONE);
  CHECK_EQ(parent->cmd_rc, 0);
  if (wait_state_)
    await_worker(child);
  else
    WAIT_UNTIL(atomic_load(&child->started));
}

/* A worker in mode m at priority prio with mask mask (set: wait set). */
static inline void start(struct worker *w, vsig_pid_t pid, int m, int prio, vsig_sigset_t mask,
                         vsig_sigset_t set) {
  w->mode = m;
  w->prio = prio;
  w->mask = mask;
  w->set = set;
  start_worker(w, pid);
}

/* Start a command on a ready worker; command_wait waits until it is done. */
static inline void command_async(struct worker *w, int cmd, vsig_sigset_t set) {
  w->cmd_set = set;
  atomic_store(&w->cmd, cmd);
}

static inline int command_wait(struct worker *w) {
  WAIT_UNTIL(atomic_load(&w->cmd) == C_NONE);
  return w->cmd_rc;
}

static inline int command(struct worker *w, int cmd, vsig_sigset_t set) {
  command_async(w, cmd, set);
  return command_wait(w);
}

/* The worker sends: kill (C_KILL) or sigqueue (C_SIGQUEUE) to pid. */
static inline int command_send(struct worker *w, int cmd, vsig_pid_t pid, int sig, int val) {
  w->cmd_pid = pid;
  w->cmd_sig = sig;
  w->cmd_val = val;
  return command(w, cmd, SET(0));
}

static inline void wait_done(struct worker *w) { WAIT_UNTIL(atomic_load(&w->done)); }

/* End w whatever it is doing and join it. */
static inline void stop_worker(struct worker *w) {
  atomic_store(&w->stop, 1);
  if (w->mode != W_READY && w->mode != W_BLOCK_INTR && w->mode != W_BLOCK_NONINTR &&
      !atomic_load(&w->done))
    vsig_pthread_kill(w->id, KICK); /* ESRCH if it just ended: fine */
  CHECK_EQ(pthread_join(w->host, NULL), 0);
}

#endif
