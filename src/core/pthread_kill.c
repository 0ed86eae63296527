/* SPDX-License-Identifier: MIT */
/* pthread_kill and pthread_sigqueue: thread-directed signals. */
#include "internal.h"

int vsig_pthread_kill(vsig_thread_t thread, int sig) {
  return -send_to_thread(thread, sig, VSIG_SI_TKILL, NULL);
}

int vsig_pthread_sigqueue(vsig_thread_t thread, int sig, const vsig_sigval_t value) {
  return -send_to_thread(thread, sig, VSIG_SI_QUEUE, &value);
}

int vsig_pthread_kill_host(pthread_t host, int sig) {
  if (sig != 0 && !sig_valid(sig))
    return EINVAL;
  vsig_thread_t id;
  int rc = vsig_thread_from_host(host, &id);
  return rc ? rc : vsig_pthread_kill(id, sig);
}
