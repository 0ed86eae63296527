/* SPDX-License-Identifier: MIT */
/*
 * Inspection: another thread's or process's signal state, read under the
 * lock it changes under (the registry's to find it, then its process's), so
 * that each answer is one snapshot. Nothing is made: the default process
 * not made yet reads as it will start.
 */
#include "internal.h"

#include <string.h>

/* A thread's word, read under its process's lock. */
enum thread_word { TW_MASK, TW_PENDING };

static int read_thread(vsig_thread_t thread, vsig_sigset_t *set, enum thread_word w) {
  if (!set)
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_thr *t = reg_find_thread(thread);
  if (t) {
    host_lock(&t->proc->lock);
    set->bits = w == TW_MASK ? atomic_load(&t->mask) : atomic_load(&t->tpending.set);
    host_unlock(&t->proc->lock);
  }
  reg_unlock();
  return t ? 0 : ESRCH;
}

static int api_proc_sigpending(vsig_pid_t pid, vsig_sigset_t *set) {
  if (!set)
    return EINVAL;
  vsig__init();
  /* As sigpending: host signals sent before are pending in vsig too. */
  if (pid == host_getpid())
    host_signals_in();
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  int rc = 0;
  if (p) {
    host_lock(&p->lock);
    set->bits = atomic_load(&p->pending.set);
    host_unlock(&p->lock);
  } else if (proc_default_unborn(pid)) {
    set->bits = 0;
  } else {
    rc = ESRCH;
  }
  reg_unlock();
  return rc;
}

static int api_proc_sigaction(vsig_pid_t pid, int sig, vsig_sigaction_t *act) {
  if (!act || !sig_valid(sig))
    return EINVAL;
  vsig__init();
  reg_lock();
  struct vsig_proc *p = reg_find_proc(pid);
  int rc = 0;
  if (p) {
    host_lock(&p->lock);
    action_read(p, sig, act);
    host_unlock(&p->lock);
  } else if (proc_default_unborn(pid)) {
    memset(act, 0, sizeof *act);
    act->sa_handler = VSIG_SIG_DFL;
  } else {
    rc = ESRCH;
  }
  reg_unlock();
  return rc;
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_thread_sigmask(vsig_thread_t thread, vsig_sigset_t *set) {
  API_ENTER();
  int rc = read_thread(thread, set, TW_MASK);
  api_leave();
  return rc;
}

int vsig_thread_sigpending(vsig_thread_t thread, vsig_sigset_t *set) {
  API_ENTER();
  int rc = read_thread(thread, set, TW_PENDING);
  api_leave();
  return rc;
}

int vsig_proc_sigpending(vsig_pid_t pid, vsig_sigset_t *set) {
  API_ENTER();
  int rc = api_proc_sigpending(pid, set);
  api_leave();
  return rc;
}

int vsig_proc_sigaction(vsig_pid_t pid, int sig, vsig_sigaction_t *act) {
  API_ENTER();
  int rc = api_proc_sigaction(pid, sig, act);
  api_leave();
  return rc;
}
