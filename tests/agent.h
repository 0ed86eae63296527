/* SPDX-License-Identifier: MIT */
/*
 * agent: a host thread attached to one virtual process that runs the calls a
 * test names, one at a time, with every signal blocked. Most process-model
 * calls (setpgid, setsid, setuid, kill(0), ...) act on "the calling thread's
 * process", so a test that plays several processes needs a thread in each.
 *
 * An agent blocks everything from before any signal is sent to its process, so
 * a signal that reaches the process stays pending where A_PENDING sees it:
 * whether a process got a signal is read, never waited for, and a stray
 * default action can never end the process under the test.
 */
#ifndef VT_AGENT_H
#define VT_AGENT_H

#include "vt.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <vsig.h>

enum agent_op {
  A_NONE,
  A_GETPID,       /* vsig_getpid() */
  A_GETPPID,      /* vsig_getppid() */
  A_SETPGID,      /* vsig_setpgid(a, b) */
  A_GETPGID,      /* vsig_getpgid(a) */
  A_GETPGRP,      /* vsig_getpgrp() */
  A_SETSID,       /* vsig_setsid() */
  A_GETSID,       /* vsig_getsid(a) */
  A_KILL,         /* vsig_kill(a, b) */
  A_KILLPG,       /* vsig_killpg(a, b) */
  A_SIGQUEUE,     /* vsig_sigqueue(a, b, {c}) */
  A_PTHREAD_KILL, /* vsig_pthread_kill(a, b): an error number */
  A_PTHREAD_SQ,   /* vsig_pthread_sigqueue(a, b, {c}): an error number */
  A_GETUID,       /* vsig_getuid() */
  A_GETEUID,      /* vsig_geteuid() */
  A_GETRESUID,    /* vsig_getresuid into ids[] */
  A_SETUID,       /* vsig_setuid(a) */
  A_SETEUID,      /* vsig_seteuid(a) */
  A_SETREUID,     /* vsig_setreuid(a, b) */
  A_SETRESUID,    /* vsig_setresuid(a, b, c) */
  A_PENDING,      /* vsig_sigpending into set: all blocked, so all pending */
  A_TAKE,         /* vsig_sigtimedwait({a}, &info, zero): EAGAIN if none */
  A_CREATE,       /* vsig_proc_create with parent 0 and uid a: the new pid */
};

struct agent {
  vsig_pid_t pid;
  pthread_t host;
  vsig_thread_t id;
  _Atomic int cmd, up, stop;
  int attach_rc;
  long a, b, c;
  long rc;
  int err;
  vsig_uid_t ids[3];
  vsig_sigset_t set;
  vsig_siginfo_t info;
};

static void agent_run(struct agent *g, int op) {
  static const struct timespec zero = {0, 0};
  errno = 0;
  switch (op) {
  case A_GETPID:
    g->rc = vsig_getpid();
    break;
  case A_GETPPID:
    g->rc = vsig_getppid();
    break;
  case A_SETPGID:
    g->rc = vsig_setpgid((vsig_pid_t)g->a, (vsig_pid_t)g->b);
    break;
  case A_GETPGID:
    g->rc = vsig_getpgid((vsig_pid_t)g->a);
    break;
  case A_GETPGRP:
    g->rc = vsig_getpgrp();
    break;
  case A_SETSID:
    g->rc = vsig_setsid();
    break;
  case A_GETSID:
    g->rc = vsig_getsid((vsig_pid_t)g->a);
    break;
  case A_KILL:
    g->rc = vsig_kill((vsig_pid_t)g->a, (int)g->b);
    break;
  case A_KILLPG:
    g->rc = vsig_killpg((vsig_pid_t)g->a, (int)g->b);
    break;
  case A_SIGQUEUE:
    g->rc = vsig_sigqueue((vsig_pid_t)g->a, (int)g->b, (vsig_sigval_t){.sival_int = (int)g->c});
    break;
  case A_PTHREAD_KILL:
    g->rc = vsig_pthread_kill((vsig_thread_t)g->a, (int)g->b);
    break;
  case A_PTHREAD_SQ:
    g->rc = vsig_pthread_sigqueue((vsig_thread_t)g->a, (int)g->b,
                                  (vsig_sigval_t){.sival_int = (int)g->c});
    break;
  case A_GETUID:
    g->rc = vsig_getuid();
    break;
  case A_GETEUID:
    g->rc = vsig_geteuid();
    break;
  case A_GETRESUID:
    g->rc = vsig_getresuid(&g->ids[0], &g->ids[1], &g->ids[2]);
    break;
  case A_SETUID:
    g->rc = vsig_setuid((vsig_uid_t)g->a);
    break;
  case A_SETEUID:
    g->rc = vsig_seteuid((vsig_uid_t)g->a);
    break;
  case A_SETREUID:
    g->rc = vsig_setreuid((vsig_uid_t)g->a, (vsig_uid_t)g->b);
    break;
  case A_SETRESUID:
    g->rc = vsig_setresuid((vsig_uid_t)g->a, (vsig_uid_t)g->b, (vsig_uid_t)g->c);
    break;
  case A_PENDING:
    g->rc = vsig_sigpending(&g->set);
    break;
  case A_TAKE: {
    vsig_sigset_t s;
    vsig_sigemptyset(&s);
    vsig_sigaddset(&s, (int)g->a);
    memset(&g->info, 0, sizeof g->info);
    g->rc = vsig_sigtimedwait(&s, &g->info, &zero);
    break;
  }
  case A_CREATE: {
    vsig_proc_attr_t attr;
    vsig_proc_attr_init(&attr);
    attr.uid = (vsig_uid_t)g->a;
    vsig_pid_t pid = 0;
    int e = vsig_proc_create(&attr, &pid);
    g->rc = e ? -1 : pid;
    errno = e;
    break;
  }
  }
  g->err = errno;
}

static void *agent_main(void *arg) {
  struct agent *g = arg;
  g->attach_rc = vsig_thread_attach(g->pid, 0);
  if (g->attach_rc == 0) {
    vsig_sigset_t all;
    vsig_sigfillset(&all);
    vsig_pthread_sigmask(VSIG_SIG_SETMASK, &all, NULL);
    g->id = vsig_thread_self();
  }
  atomic_store(&g->up, 1);
  if (g->attach_rc)
    return NULL;
  while (!atomic_load(&g->stop)) {
    int op = atomic_load(&g->cmd);
    if (op) {
      agent_run(g, op);
      atomic_store(&g->cmd, A_NONE);
    } else {
      sched_yield();
    }
  }
  vsig_thread_detach();
  return NULL;
}

/* Attach an agent to pid; returns once it is attached with everything blocked. */
static inline void agent_start(struct agent *g, vsig_pid_t pid) {
  memset(g, 0, sizeof *g);
  g->pid = pid;
  CHECK_EQ(pthread_create(&g->host, NULL, agent_main, g), 0);
  while (!atomic_load(&g->up))
    sched_yield();
  CHECK_EQ(g->attach_rc, 0);
}

/* Run op in the agent's process; its result (g->err is errno after it). */
static inline long agent_do(struct agent *g, int op, long a, long b, long c) {
  g->a = a;
  g->b = b;
  g->c = c;
  atomic_store(&g->cmd, op);
  while (atomic_load(&g->cmd) != A_NONE)
    sched_yield();
  return g->rc;
}

static inline void agent_stop(struct agent *g) {
  atomic_store(&g->stop, 1);
  CHECK_EQ(pthread_join(g->host, NULL), 0);
}

/* The call returns want. */
#define DO_EQ(g, want, op, a, b, c) CHECK_EQ(agent_do((g), (op), (a), (b), (c)), (want))

/* The call returns -1 with errno err. */
#define DO_ERR(g, e, op, a, b, c)                                                                  \
  do {                                                                                             \
    long ag_r = agent_do((g), (op), (a), (b), (c));                                                \
    if (ag_r != -1 || (g)->err != (e))                                                             \
      VT_FAIL("%s(%ld, %ld, %ld) in %d: returned %ld errno %d (%s), wanted -1 errno %d (%s)", #op, \
              (long)(a), (long)(b), (long)(c), (int)(g)->pid, ag_r, (g)->err, strerror((g)->err),  \
              (e), strerror(e));                                                                   \
  } while (0)

/* Whether sig is pending on the agent's process (or on the agent). */
static inline bool agent_pending(struct agent *g, int sig) {
  CHECK_EQ(agent_do(g, A_PENDING, 0, 0, 0), 0);
  return vsig_sigismember(&g->set, sig) == 1;
}

/* Take sig if pending (its siginfo in g->info): returns sig, or 0 if none. */
static inline int agent_take(struct agent *g, int sig) {
  long r = agent_do(g, A_TAKE, sig, 0, 0);
  if (r == -1) {
    CHECK_EQ(g->err, EAGAIN);
    return 0;
  }
  CHECK_EQ(r, sig);
  return sig;
}

/* A process with the given parent (0, VSIG_PID_NONE or a pid) and user ids. */
static inline vsig_pid_t mkproc(vsig_pid_t parent, vsig_uid_t uid, vsig_uid_t euid,
                                vsig_uid_t suid) {
  vsig_proc_attr_t attr;
  CHECK_EQ(vsig_proc_attr_init(&attr), 0);
  attr.parent = parent;
  attr.uid = uid;
  attr.euid = euid;
  attr.suid = suid;
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(&attr, &pid), 0);
  CHECK(pid > 0);
  return pid;
}

#endif
