/* SPDX-License-Identifier: MIT */
/*
 * Thread-directed signals. Every thread the program creates is a vsig thread
 * (pthread_create), and so is the main thread (init.c). A thread vsig does
 * not know (made before this library started, or already gone) is the
 * host's: pthread_kill then answers as glibc does (0 for a thread that has
 * exited but is not yet joined).
 */
#include "posix.h"

#include <unistd.h>

/* A thread vsig does not know goes to glibc, which answers 0 for one that
 * has exited but is not joined before it even looks at the signal number. */
EXPORT int pthread_kill(pthread_t thread, int sig) {
  EARLY(pthread_kill, thread, sig);
  vsig_thread_t id;
  if (vsig_thread_from_host(thread, &id) != 0)
    return REAL(pthread_kill)(thread, sig);
  if (sig < 0 || sig >= 65)
    return EINVAL;
  return vsig_pthread_kill(id, sig);
}

EXPORT int pthread_sigqueue(pthread_t thread, int sig, const union sigval value) {
  EARLY(pthread_sigqueue, thread, sig, value);
  vsig_thread_t id;
  if (vsig_thread_from_host(thread, &id) != 0)
    return REAL(pthread_sigqueue)(thread, sig, value);
  if (sig < 0 || sig >= 65)
    return EINVAL;
  return vsig_pthread_sigqueue(id, sig, (vsig_sigval_t){.sival_ptr = value.sival_ptr});
}

EXPORT int tgkill(pid_t tgid, pid_t tid, int sig) {
  EARLY(tgkill, tgid, tid, sig);
  vsig_thread_t id;
  if (tgid == posix_getpid() && sig >= 0 && sig < 65 && vsig_thread_from_host_tid(tid, &id) == 0) {
    int rc = vsig_pthread_kill(id, sig);
    return rc ? fail(rc) : 0;
  }
  return REAL(tgkill)(tgid, tid, sig);
}
