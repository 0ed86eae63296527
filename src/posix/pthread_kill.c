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

EXPORT int pthread_kill(pthread_t thread, int sig) {
  if (sig < 0 || sig >= 65)
    return EINVAL;
  vsig_thread_t id;
  if (vsig_thread_from_host(thread, &id) == 0)
    return vsig_pthread_kill(id, sig);
  return REAL(pthread_kill)(thread, sig);
}

EXPORT int pthread_sigqueue(pthread_t thread, int sig, const union sigval value) {
  if (sig < 0 || sig >= 65)
    return EINVAL;
  vsig_thread_t id;
  if (vsig_thread_from_host(thread, &id) == 0)
    return vsig_pthread_sigqueue(id, sig, (vsig_sigval_t){.sival_ptr = value.sival_ptr});
  return REAL(pthread_sigqueue)(thread, sig, value);
}

EXPORT int tgkill(pid_t tgid, pid_t tid, int sig) {
  vsig_thread_t id;
  if (tgid == getpid() && sig >= 0 && sig < 65 && vsig_thread_from_host_tid(tid, &id) == 0) {
    int rc = vsig_pthread_kill(id, sig);
    return rc ? fail(rc) : 0;
  }
  return REAL(tgkill)(tgid, tid, sig);
}
