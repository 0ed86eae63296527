/* SPDX-License-Identifier: MIT */
/* Virtual processes: creation, the default process, termination. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static struct vsig_proc *default_proc;
static vsig_proc_attr_t default_attr;
static bool default_attr_set;

/* The callback and its argument change together: a termination racing with
 * vsig_set_terminate_callback sees the old pair or the new one. */
static host_lock_t term_lock = PTHREAD_MUTEX_INITIALIZER;
static vsig_terminate_fn term_fn;
static void *term_arg;

int vsig_proc_attr_init(vsig_proc_attr_t *attr) {
  if (!attr)
    return EINVAL;
  memset(attr, 0, sizeof *attr); /* the reserved words */
  attr->queue_max = VSIG_SIGQUEUE_MAX_DEFAULT;
  attr->uid = host_getuid();
  attr->euid = VSIG_UID_SAME;
  attr->suid = VSIG_UID_SAME;
  attr->timer_max = VSIG_TIMER_MAX_DEFAULT;
  return 0;
}

#if UINTPTR_MAX == UINT64_MAX
/* An idle process costs at most 1 KiB with everything made for it (measured by
 * bench_procmodel's bytes_per_idle_process: about 800 bytes); this keeps the
 * part that is always there from creeping up. */
_Static_assert(sizeof(struct vsig_proc) <= 800, "an idle process must stay within 1 KiB");
#endif

static bool attr_ok(const vsig_proc_attr_t *attr) {
  return attr->queue_max >= VSIG_POSIX_SIGQUEUE_MAX &&
         attr->queue_max <= SIZE_MAX / sizeof(struct cell) && attr->timer_max >= 1 &&
         attr->timer_max <= INT32_MAX && attr->parent >= VSIG_PID_NONE &&
         attr->uid != VSIG_UID_SAME;
}

struct vsig_proc *proc_new(const vsig_proc_attr_t *attr, vsig_pid_t pid) {
  struct vsig_proc *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->queue_max = attr->queue_max;
  p->acct = uacct_get(attr->uid);
  if (!p->acct) {
    free(p);
    return NULL;
  }
  host_lock_init(&p->lock);
  actions_init(p);
  p->pid = pid;
  vsig_uid_t e = attr->euid == VSIG_UID_SAME ? attr->uid : attr->euid;
  atomic_init(&p->uid, attr->uid);
  atomic_init(&p->euid, e);
  atomic_init(&p->suid, attr->suid == VSIG_UID_SAME ? e : attr->suid);
  p->attr = *attr;
  return p;
}

/* Registry lock held. A new process joins its parent's group and session; a
 * root leads a new session and group of its own. */
static int proc_place(struct vsig_proc *p, struct vsig_proc *parent) {
  int rc;
  if (parent) {
    pgrp_join(p, parent->pgrp);
    rc = 0;
  } else {
    rc = pgrp_join_new(p, p->pid, p->pid);
  }
  if (rc == 0)
    rc = reg_add_proc(p);
  if (rc < 0) {
    pgrp_leave(p);
    return rc;
  }
  tree_attach(p, parent);
  if (parent)
    atomic_store(&p->pgrp_orphaned, atomic_load(&parent->pgrp_orphaned));
  return 0;
}

struct vsig_proc *proc_default_made(void) {
  return default_proc;
}

void proc_forget_default(struct vsig_proc *p) {
  if (p == default_proc)
    default_proc = NULL;
}

void proc_free(struct vsig_proc *p) {
  /* What it still holds leaves its user's account. */
  if (p->acct)
    atomic_fetch_sub(&p->acct->queued, uacct_held(p));
  sigq_free_cells(&p->pending);
  timers_free(p);
  actions_free(p);
  host_lock_destroy(&p->lock);
  free(p);
}

/* Registry lock held. */
struct vsig_proc *proc_default(void) {
  if (default_proc)
    return default_proc;
  vsig_proc_attr_t attr;
  if (default_attr_set)
    attr = default_attr;
  else
    vsig_proc_attr_init(&attr);
  struct vsig_proc *p = proc_new(&attr, host_getpid());
  if (!p)
    return NULL;
  p->is_default = true;
  if (proc_place(p, NULL) < 0) {
    proc_free(p);
    return NULL;
  }
  default_proc = p;
  return p;
}

void proc_reset_default(struct vsig_proc *p) { default_proc = p; }

/* Registry lock held. The default process answers to the host pid even before
 * any thread has used vsig. */
bool proc_default_unborn(vsig_pid_t pid) { return !default_proc && pid == host_getpid(); }

struct vsig_proc *proc_lookup(vsig_pid_t pid) {
  struct vsig_proc *p = reg_find_proc(pid);
  if (!p && !default_proc && pid == host_getpid())
    p = proc_default();
  return p;
}

static int api_default_proc_attr(const vsig_proc_attr_t *attr) {
  if (!attr || !attr_ok(attr))
    return EINVAL;
  vsig__init();
  reg_lock();
  int rc = default_proc ? EBUSY : 0;
  if (!rc) {
    default_attr = *attr;
    default_attr_set = true;
  }
  reg_unlock();
  return rc;
}

static int api_proc_create(const vsig_proc_attr_t *attr, vsig_pid_t *pid) {
  vsig_proc_attr_t a;
  if (!pid)
    return EINVAL;
  if (attr) {
    if (!attr_ok(attr))
      return EINVAL;
    a = *attr;
  } else {
    vsig_proc_attr_init(&a);
  }
  vsig__init();
  /* The creating thread's process; a host thread not attached to any is
   * in the default process, as for every vsig call (without being attached
   * by this one: it may be about to attach to the new process). */
  struct vsig_thr *self = vsig__tls_self;
  reg_lock();
  struct vsig_proc *parent = NULL;
  if (a.parent > 0) {
    parent = proc_lookup(a.parent);
    if (!parent || parent->exit_done ||
        atomic_load_explicit(&parent->state, memory_order_relaxed) == P_DEAD) {
      reg_unlock();
      return ESRCH;
    }
  } else if (a.parent == 0 && self) {
    parent = self->proc;
    if (parent->exit_done || atomic_load_explicit(&parent->state, memory_order_relaxed) == P_DEAD) {
      reg_unlock();
      return ESRCH; /* a thread of an ended process makes no children */
    }
  } else if (a.parent == 0 && !vsig__tls_outside) {
    parent = proc_default();
  }
  struct vsig_proc *p = proc_new(&a, reg_next_pid());
  int rc = p ? proc_place(p, parent) : -ENOMEM;
  if (rc == 0)
    *pid = p->pid;
  else if (p)
    proc_free(p);
  reg_unlock();
  return -rc;
}

static int api_proc_destroy(vsig_pid_t pid) {
  vsig__init();
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  int rc = 0;
  if (!p) {
    rc = ESRCH;
  } else {
    host_lock(&p->lock);
    rc = p->nthreads ? EBUSY : 0;
    host_unlock(&p->lock);
    if (!rc)
      proc_remove(p);
  }
  reg_unlock();
  return rc;
}

static int api_proc_status(vsig_pid_t pid, int *term_sig) {
  if (!term_sig)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = proc_lookup(pid);
  if (p) {
    host_lock(&p->lock);
    *term_sig = atomic_load_explicit(&p->state, memory_order_relaxed) == P_DEAD ? p->term_sig : 0;
    host_unlock(&p->lock);
  }
  reg_unlock();
  return p ? 0 : ESRCH;
}

static vsig_pid_t api_getpid(void) {
  struct vsig_thr *t = self_thread();
  if (t)
    return t->proc->pid;
  return vsig__tls_outside ? 0 : host_getpid(); /* 0: in no process */
}

void vsig_set_terminate_callback(vsig_terminate_fn fn, void *arg) {
  host_lock(&term_lock);
  term_fn = fn;
  term_arg = arg;
  host_unlock(&term_lock);
}

/* No lock held: the parent hears of it first (SIGCHLD, its waits), then the
 * embedder. */
void proc_notify_dead(vsig_pid_t pid, int sig, bool is_default) {
  struct after a = {0};
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  if (p)
    exit_notify(p, &a); /* p may be gone after this */
  reg_unlock();
  after_run(vsig__tls_self, &a);
  if (sig)
    proc_dead_callback(pid, sig, is_default);
  else
    timers_proc_dead(pid);
}

/* No lock held: the callback may call vsig. While it runs, the calling thread
 * cannot detach (the frames below still use it). */
void proc_dead_callback(vsig_pid_t pid, int sig, bool is_default) {
  timers_proc_dead(pid);
  host_lock(&term_lock);
  vsig_terminate_fn fn = term_fn;
  void *arg = term_arg;
  host_unlock(&term_lock);
  if (!fn) {
    if (is_default)
      host_die_by_signal(sig);
    return;
  }
  struct vsig_thr *cur = vsig__tls_self;
  if (cur)
    cur->in_callback++;
  fn(pid, sig, arg);
  if (cur)
    cur->in_callback--;
}

void after_run_slow(struct vsig_thr *self, struct after *a) {
  if (a->dead_pid)
    proc_notify_dead(a->dead_pid, a->dead_sig, a->dead_default);
  if (a->jc_pid)
    jobctl_report(a->jc_pid, a->jc_sig, a->jc_seq);
  notes_drain();
  pgrp_hup_drain();
  if (a->stop_sig)
    host_stop_process(a->stop_sig);
  if (a->deliver_self && self)
    deliver_self(self, NULL);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_default_proc_attr(const vsig_proc_attr_t *attr) {
  API_ENTER();
  int rc = api_default_proc_attr(attr);
  api_leave();
  return rc;
}

int vsig_proc_create(const vsig_proc_attr_t *attr, vsig_pid_t *pid) {
  API_ENTER();
  int rc = api_proc_create(attr, pid);
  api_leave();
  return rc;
}

int vsig_proc_destroy(vsig_pid_t pid) {
  API_ENTER();
  int rc = api_proc_destroy(pid);
  /* Its children's groups may have been orphaned with a stopped member. */
  notes_drain();
  pgrp_hup_drain();
  api_leave();
  return rc;
}

int vsig_proc_status(vsig_pid_t pid, int *term_sig) {
  API_ENTER();
  int rc = api_proc_status(pid, term_sig);
  api_leave();
  return rc;
}

static int api_proc_getattr(vsig_pid_t pid, vsig_proc_attr_t *attr) {
  if (!attr)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  int rc = 0;
  if (p) {
    *attr = p->attr;
  } else if (!default_proc && pid == host_getpid()) {
    /* Not made yet: what it will be made with (asking does not make it). */
    if (default_attr_set)
      *attr = default_attr;
    else
      vsig_proc_attr_init(attr);
  } else {
    rc = ESRCH;
  }
  reg_unlock();
  return rc;
}

int vsig_proc_getattr(vsig_pid_t pid, vsig_proc_attr_t *attr) {
  API_ENTER();
  int rc = api_proc_getattr(pid, attr);
  api_leave();
  return rc;
}

vsig_pid_t vsig_getpid(void) {
  API_ENTER();
  vsig_pid_t rc = api_getpid();
  api_leave();
  return rc;
}
