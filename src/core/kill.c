/* SPDX-License-Identifier: MIT */
/* kill: process-directed signals by pid. */
#include "internal.h"

#include <limits.h>

/* kill(-1): every process but the caller's, in one walk of the process list
 * (linear in the number of processes). When a signal ends a process, the walk
 * pins its place, drops the registry lock for the terminate callback (which
 * may create and destroy processes, the next one included) and resumes. */
static int kill_all(int sig, struct vsig_thr *self, const vsig_siginfo_t *info) {
  struct vsig_proc *skip = self ? self->proc : NULL;
  int found = 0;
  reg_lock();
  for (struct vsig_proc *p = reg_first_proc(); p;) {
    if (p == skip) {
      p = reg_next_proc(p);
      continue;
    }
    found++;
    struct after a = {0};
    if (sig) {
      host_lock(&p->lock);
      proc_send(p, sig, info, false, self, &a);
      host_unlock(&p->lock);
    }
    if (!a.dead_sig) {
      p = reg_next_proc(p);
      continue;
    }
    reg_pin(p);
    reg_unlock();
    after_run(NULL, &a);
    reg_lock();
    struct vsig_proc *next = reg_next_proc(p);
    if (reg_unpin(p))
      proc_free(p);
    p = next;
  }
  reg_unlock();
  return found ? 0 : -ESRCH;
}

static int do_kill(vsig_pid_t pid, int sig) {
  if (sig != 0 && !sig_valid(sig))
    return -EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self && !vsig__tls_outside)
    return -ENOMEM;
  vsig_siginfo_t info;
  info_init(&info, sig, VSIG_SI_USER, self);
  if (pid == -1)
    return kill_all(sig, self, &info);
  /* Process groups are not modelled yet: each process is its own group. From
   * outside any process there is no group of the caller's. */
  if (pid == 0) {
    if (!self)
      return -ESRCH;
    pid = self->proc->pid;
  } else if (pid < 0)
    pid = pid == INT_MIN ? 0 : -pid;
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
