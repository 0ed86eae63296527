/* SPDX-License-Identifier: MIT */
/*
 * Sending by pid. The host process is its own default virtual process, so
 * kill(getpid()) stays in vsig; a pid of another process (a real child, the
 * parent) goes to the host with the host's answer (EPERM, ESRCH). A process
 * group that includes this process (kill(0), kill(-pgrp), killpg) is
 * signalled through the host for its other members, and this process gets
 * exactly one instance, from vsig, before the call returns as POSIX asks.
 */
#include "posix.h"

#include <unistd.h>

static bool bad_sig(int sig) { return sig < 0 || sig >= 65; }

EXPORT int kill(pid_t pid, int sig) {
  EARLY(kill, pid, sig);
  if (bad_sig(sig))
    return fail(EINVAL);
  if (pid == posix_getpid() || is_virtual_pid(pid))
    return vsig_kill(pid, sig);
  if (pid == 0 || (pid < -1 && -pid == getpgrp())) {
    if (sig)
      vsig_bridge_expect_self(sig, 1);
    if (REAL(kill)(pid, sig) < 0) {
      int err = errno;
      if (sig)
        vsig_bridge_expect_self(sig, 0);
      return fail(err);
    }
    return sig ? vsig_kill(posix_getpid(), sig) : 0;
  }
  if (pid == -1) {
    /* Every process the caller may signal but itself: the host's, and the
     * other virtual ones. */
    int host = REAL(kill)(-1, sig);
    int err = errno;
    int virt = vsig_kill(-1, sig);
    if (host == 0 || virt == 0)
      return 0;
    return fail(err);
  }
  return REAL(kill)(pid, sig);
}

EXPORT int killpg(pid_t pgrp, int sig) {
  if (pgrp < 0)
    return fail(EINVAL);
  return kill(-pgrp, sig);
}

EXPORT int sigqueue(pid_t pid, int sig, const union sigval value) {
  EARLY(sigqueue, pid, sig, value);
  if (bad_sig(sig))
    return fail(EINVAL);
  if (pid == posix_getpid() || is_virtual_pid(pid))
    return vsig_sigqueue(pid, sig, (vsig_sigval_t){.sival_ptr = value.sival_ptr});
  return REAL(sigqueue)(pid, sig, value);
}

EXPORT int raise(int sig) {
  EARLY(raise, sig);
  if (bad_sig(sig))
    return fail(EINVAL);
  return vsig_raise(sig);
}
