/* SPDX-License-Identifier: MIT */
/* The lookup half of sending: from a pid or thread id to a locked target. */
#include "internal.h"

int send_to_pid(vsig_pid_t pid, int sig, const vsig_siginfo_t *info, bool queued,
                struct vsig_thr *self) {
  struct after a = {0};
  struct vsig_proc *p;
  if (self && self->proc->pid == pid) {
    p = self->proc; /* our own process lives as long as we are attached */
    host_lock(&p->lock);
  } else {
    reg_lock();
    p = proc_lookup(pid);
    if (!p) {
      reg_unlock();
      return -ESRCH;
    }
    if (!cred_may_signal(self ? self->proc : NULL, p, sig)) {
      reg_unlock();
      return -EPERM;
    }
    host_lock(&p->lock);
    reg_unlock();
  }
  int rc = sig ? proc_send(p, sig, info, queued, self, &a) : 0;
  host_unlock(&p->lock);
  after_run(self, &a);
  return rc;
}

int send_to_thread(vsig_thread_t id, int sig, int code, const vsig_sigval_t *value) {
  if (sig != 0 && !sig_valid(sig))
    return -EINVAL;
  struct vsig_thr *self = self_thread();
  struct vsig_thr *t;
  if (self && self->node.key == id) {
    t = self;
    host_lock(&t->proc->lock);
  } else {
    reg_lock();
    t = reg_find_thread(id);
    if (!t) {
      reg_unlock();
      return -ESRCH;
    }
    if (self && !cred_may_signal(self->proc, t->proc, sig)) {
      reg_unlock();
      return -EPERM;
    }
    host_lock(&t->proc->lock);
    reg_unlock();
  }
  struct vsig_proc *p = t->proc;
  int rc = 0;
  struct after a = {0};
  if (sig) {
    vsig_siginfo_t info;
    info_init(&info, sig, code, self);
    if (value)
      info.si_value = *value;
    rc = thread_send(t, sig, &info, code == VSIG_SI_QUEUE, self, &a);
  }
  host_unlock(&p->lock);
  after_run(self, &a);
  return rc;
}
