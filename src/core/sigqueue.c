/* SPDX-License-Identifier: MIT */
/* sigqueue: a process-directed signal carrying a value; real-time signals
 * are queued within the target's limits or fail with EAGAIN. */
#include "internal.h"

static int api_sigqueue(vsig_pid_t pid, int sig, const vsig_sigval_t value) {
  if (sig != 0 && !sig_valid(sig))
    return set_errno(-EINVAL);
  if (pid <= 0)
    return set_errno(-ESRCH);
  struct vsig_thr *self = self_thread();
  if (!self && !vsig__tls_outside)
    return set_errno(-ENOMEM); /* from outside any process, si_pid is 0 */
  vsig_siginfo_t info;
  info_init(&info, sig, VSIG_SI_QUEUE, self);
  info.si_value = value;
  return set_errno(send_to_pid(pid, sig, &info, true, self));
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_sigqueue(vsig_pid_t pid, int sig, const vsig_sigval_t value) {
  API_ENTER();
  int rc = api_sigqueue(pid, sig, value);
  api_leave();
  return rc;
}
