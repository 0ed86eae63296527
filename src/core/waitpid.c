/* SPDX-License-Identifier: MIT */
/*
 * vsig_waitpid and vsig_waitid: a parent collects its children's ends, stops
 * and continues. The wait is an interruptible vsig wait: a handler ends it
 * with EINTR, or restarts it when every handler that ran had SA_RESTART. A
 * child's change wakes the parent's waiting threads (child_waiters_wake); it
 * is looked for under the registry lock, which the waiter holds from its look
 * until it is ready to sleep, so no change falls between the two.
 */
#include "internal.h"

#include <limits.h>
#include <string.h>

struct wres {
  vsig_pid_t pid;
  vsig_uid_t uid;
  int code;   /* CLD_* */
  int status; /* exit status or signal */
};

static bool selected(const struct vsig_proc *c, int idtype, vsig_pid_t id) {
  switch (idtype) {
  case VSIG_P_PID:
    return c->pid == id;
  case VSIG_P_PGID:
    return c->pgrp && pgrp_id(c->pgrp) == id;
  default:
    return true;
  }
}

/* Registry lock held. The first child that has something to report: its
 * pid, with *r filled (and the report consumed unless WNOWAIT), 0 if children
 * match but none has, -ECHILD if none matches. */
static int scan(struct vsig_proc *p, int idtype, vsig_pid_t id, int options, struct wres *r) {
  bool any = false;
  for (struct vsig_proc *c = p->kids; c; c = c->kid_next) {
    if (!selected(c, idtype, id))
      continue;
    any = true;
    bool consume = !(options & VSIG_WNOWAIT);
    r->pid = c->pid;
    r->uid = atomic_load_explicit(&c->uid, memory_order_relaxed);
    if (c->exit_done && !c->reaped && (options & VSIG_WEXITED)) {
      if (c->term_sig) {
        r->code = sig_default(c->term_sig) == DFL_CORE ? VSIG_CLD_DUMPED : VSIG_CLD_KILLED;
        r->status = c->term_sig;
      } else {
        r->code = VSIG_CLD_EXITED;
        r->status = c->exit_code;
      }
      if (consume) {
        c->reaped = true;
        tree_unlink(c);
        if (!c->nthreads)
          proc_remove(c);
      }
      return r->pid;
    }
    if (c->chld_stop && (options & VSIG_WSTOPPED)) {
      r->code = VSIG_CLD_STOPPED;
      r->status = c->chld_stop;
      if (consume)
        c->chld_stop = 0;
      return r->pid;
    }
    if (c->chld_cont && (options & VSIG_WCONTINUED)) {
      r->code = VSIG_CLD_CONTINUED;
      r->status = VSIG_SIGCONT;
      if (consume)
        c->chld_cont = false;
      return r->pid;
    }
  }
  return any ? 0 : -ECHILD;
}

static void leave(struct vsig_thr *t) {
  host_lock(&t->proc->lock);
  t->child_wait = false;
  t->wait_end = WE_NONE;
  set_state(t, T_READY);
  host_unlock(&t->proc->lock);
}

/* As the kernel: the children first (a ready child is returned even when a
 * handler is due; the handler runs as the call returns), then the signals
 * (EINTR, or restart), then sleep. */
static int wait_loop(struct vsig_thr *t, int idtype, vsig_pid_t id, int options, struct wres *r) {
  struct vsig_proc *p = t->proc;
  for (;;) {
    host_lock(&p->lock);
    jobctl_park(t);
    bool dead = atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD;
    host_unlock(&p->lock);
    if (dead)
      return -ECANCELED;
    reg_lock();
    int rc = scan(p, idtype, id, options, r);
    if (rc != 0 || (options & VSIG_WNOHANG)) {
      reg_unlock();
      return rc;
    }
    host_lock(&p->lock);
    if (proc_stopped(p) || atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD) {
      host_unlock(&p->lock);
      reg_unlock();
      continue;
    }
    if (thread_takeable(t, atomic_load_explicit(&t->mask, memory_order_relaxed))) {
      t->child_wait = false;
      set_state(t, T_READY);
      host_unlock(&p->lock);
      reg_unlock();
      bool restart = true;
      int n = deliver_self(t, &restart);
      if (n < 0)
        return n;
      if (n > 0 && !restart)
        return -EINTR;
      continue;
    }
    t->child_wait = true;
    resume_wait(t, T_INTR);
    uint32_t token = host_event_prepare(&t->ev);
    host_unlock(&p->lock);
    reg_unlock();
    clock_sleep(t, token, -1);
  }
}

static int do_wait(int idtype, vsig_pid_t id, int options, struct wres *r) {
  struct vsig_thr *t = self_thread();
  if (!t)
    return no_self();
  if (idtype == VSIG_P_PGID && id == 0) {
    reg_lock();
    id = t->proc->pgrp ? pgrp_id(t->proc->pgrp) : 0;
    reg_unlock();
  }
  WAIT_GUARD(guard, t);
  host_lock(&t->proc->lock);
  t->wait_end = WE_NONE;
  host_unlock(&t->proc->lock);
  clock_wait_begin(t, -1);
  int rc = wait_loop(t, idtype, id, options, r);
  clock_wait_end(t);
  leave(t);
  guard.left = true;
  /* A reaped child's own children may have orphaned a group (SIGHUP). */
  notes_drain();
  pgrp_hup_drain();
  /* Handlers that became due meanwhile run as the call returns. */
  if (rc >= 0 && atomic_load_explicit(&t->attention, memory_order_acquire))
    deliver_self(t, NULL);
  return rc;
}

static int encode(const struct wres *r) {
  switch (r->code) {
  case VSIG_CLD_EXITED:
    return (r->status & 0xff) << 8;
  case VSIG_CLD_KILLED:
    return r->status;
  case VSIG_CLD_DUMPED:
    return r->status | 0x80;
  case VSIG_CLD_STOPPED:
    return (r->status << 8) | 0x7f;
  default:
    return 0xffff;
  }
}

static vsig_pid_t do_waitpid(vsig_pid_t pid, int *status, int options) {
  if (options & ~(VSIG_WNOHANG | VSIG_WUNTRACED | VSIG_WCONTINUED))
    return -EINVAL;
  if (pid == INT_MIN)
    return -ESRCH; /* -INT_MIN is no group (Linux) */
  int idtype = pid > 0 ? VSIG_P_PID : pid == -1 ? VSIG_P_ALL : VSIG_P_PGID;
  vsig_pid_t id = pid > 0 ? pid : pid == -1 ? 0 : -pid;
  int wopt = VSIG_WEXITED | (options & VSIG_WNOHANG) | (options & VSIG_WCONTINUED) |
             ((options & VSIG_WUNTRACED) ? VSIG_WSTOPPED : 0);
  struct wres r;
  int rc = do_wait(idtype, id, wopt, &r);
  if (rc > 0 && status)
    *status = encode(&r);
  return rc;
}

static int do_waitid(int idtype, vsig_pid_t id, vsig_siginfo_t *info, int options) {
  const int known = VSIG_WNOHANG | VSIG_WEXITED | VSIG_WSTOPPED | VSIG_WCONTINUED | VSIG_WNOWAIT;
  if ((options & ~known) || !(options & (VSIG_WEXITED | VSIG_WSTOPPED | VSIG_WCONTINUED)))
    return -EINVAL;
  if (idtype == VSIG_P_PID ? id <= 0 : idtype == VSIG_P_PGID ? id < 0 : idtype != VSIG_P_ALL)
    return -EINVAL;
  struct wres r;
  int rc = do_wait(idtype, idtype == VSIG_P_ALL ? 0 : id, options, &r);
  if (rc < 0)
    return rc;
  if (info) {
    memset(info, 0, sizeof *info); /* WNOHANG with nothing to report: si_pid 0 */
    if (rc > 0) {
      info->si_signo = VSIG_SIGCHLD;
      info->si_code = r.code;
      info->si_pid = r.pid;
      info->si_uid = r.uid;
      info->si_status = r.status;
    }
  }
  return 0;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
vsig_pid_t vsig_waitpid(vsig_pid_t pid, int *status, int options) {
  API_ENTER();
  vsig_pid_t rc = set_errno(do_waitpid(pid, status, options));
  api_leave();
  return rc;
}

int vsig_waitid(int idtype, vsig_pid_t id, vsig_siginfo_t *info, int options) {
  API_ENTER();
  int rc = set_errno(do_waitid(idtype, id, info, options));
  api_leave();
  return rc;
}
