/* SPDX-License-Identifier: MIT */
/* kill: process-directed signals by pid, by group, or to every process. */
#include "internal.h"

#include <limits.h>

/* kill(-1): every process the caller may signal but its own and the reaper,
 * in one walk of the process list (linear in the number of processes). Ends
 * and stops it causes become notes, run once the lock is dropped. POSIX:
 * EPERM when there were processes but none it may signal. */
static int kill_all(int sig, struct vsig_thr *self, const vsig_siginfo_t *info) {
  struct vsig_proc *own = self ? self->proc : NULL;
  struct after out = {0};
  int found = 0, sent = 0, err = 0;
  reg_lock();
  struct vsig_proc *reaper = tree_reaper(NULL);
  for (struct vsig_proc *p = reg_first_proc(); p; p = reg_next_proc(p)) {
    if (p == own || p == reaper)
      continue;
    found++;
    if (!cred_may_signal(own, p, sig))
      continue;
    int e = 0;
    if (sig) {
      struct after b = {0};
      host_lock(&p->lock);
      e = proc_send(p, sig, info, false, self, &b);
      host_unlock(&p->lock);
      after_defer(p, &b, &out);
    }
    if (e)
      err = e;
    else
      sent++;
  }
  notes_parent_part();
  reg_unlock();
  after_run(self, &out);
  if (sent)
    return 0;
  return !found ? -ESRCH : err ? err : -EPERM;
}

static int kill_prepare(int sig, struct vsig_thr **self, vsig_siginfo_t *info) {
  if (sig != 0 && !sig_valid(sig))
    return -EINVAL;
  *self = self_thread();
  if (!*self && !vsig__tls_outside)
    return -ENOMEM;
  info_init(info, sig, VSIG_SI_USER, *self);
  return 0;
}

static int group_send(vsig_pid_t pgid, int sig, struct vsig_thr *self, const vsig_siginfo_t *info) {
  struct after a = {0};
  reg_lock();
  if (pgid == 0)
    pgid = self && self->proc->pgrp ? pgrp_id(self->proc->pgrp) : 0;
  struct pgrp *g = pgid ? pgrp_find(pgid) : NULL;
  int rc = g ? pgrp_send(g, sig, info, self, &a) : -ESRCH;
  notes_parent_part();
  reg_unlock();
  after_run(self, &a);
  return rc;
}

int kill_group(vsig_pid_t pgid, int sig) {
  struct vsig_thr *self;
  vsig_siginfo_t info;
  int rc = kill_prepare(sig, &self, &info);
  return rc ? rc : group_send(pgid, sig, self, &info);
}

static int do_kill(vsig_pid_t pid, int sig) {
  struct vsig_thr *self;
  vsig_siginfo_t info;
  int rc = kill_prepare(sig, &self, &info);
  if (rc)
    return rc;
  if (pid == -1)
    return kill_all(sig, self, &info);
  if (pid <= 0)
    /* kill(0): the caller's group (from outside any process there is none). */
    return pid == INT_MIN ? -ESRCH : group_send(-pid, sig, self, &info);
  return send_to_pid(pid, sig, &info, false, self);
}

static int api_kill(vsig_pid_t pid, int sig) { return set_errno(do_kill(pid, sig)); }

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_kill(vsig_pid_t pid, int sig) {
  API_ENTER();
  int rc = api_kill(pid, sig);
  api_leave();
  return rc;
}
