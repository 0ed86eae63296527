/* SPDX-License-Identifier: MIT */
/* kill: process-directed signals by pid. */
#include "internal.h"

#include <limits.h>

struct pick {
  vsig_pid_t after, skip;
  struct vsig_proc *best;
};

static void pick_next(struct vsig_proc *p, void *arg) {
  struct pick *pk = arg;
  if (p->pid > pk->after && p->pid != pk->skip && (!pk->best || p->pid < pk->best->pid))
    pk->best = p;
}

/* kill(-1): every process but the caller's, one at a time in pid order, so
 * that no lock is held while a termination callback runs. */
static int kill_all(int sig, struct vsig_thr *self, const vsig_siginfo_t *info) {
  struct pick pk = {INT_MIN, self->proc->pid, NULL};
  int found = 0;
  for (;;) {
    reg_lock();
    pk.best = NULL;
    reg_each_proc(pick_next, &pk);
    struct vsig_proc *p = pk.best;
    if (!p) {
      reg_unlock();
      break;
    }
    pk.after = p->pid;
    found++;
    struct after a = {0};
    host_lock(&p->lock);
    reg_unlock();
    if (sig)
      proc_send(p, sig, info, false, self, &a);
    host_unlock(&p->lock);
    after_run(self, &a);
  }
  return found ? 0 : -ESRCH;
}

static int do_kill(vsig_pid_t pid, int sig) {
  if (sig != 0 && !sig_valid(sig))
    return -EINVAL;
  struct vsig_thr *self = self_thread();
  if (!self)
    return -ENOMEM;
  vsig_siginfo_t info;
  info_init(&info, sig, VSIG_SI_USER, self);
  if (pid == -1)
    return kill_all(sig, self, &info);
  /* Process groups are not modelled yet: each process is its own group. */
  if (pid == 0)
    pid = self->proc->pid;
  else if (pid < 0)
    pid = pid == INT_MIN ? 0 : -pid;
  return send_to_pid(pid, sig, &info, false, self);
}

int vsig_kill(vsig_pid_t pid, int sig) { return set_errno(do_kill(pid, sig)); }
