/* SPDX-License-Identifier: MIT */
/* pthread_kill and pthread_sigqueue: thread-directed signals. */
#include "internal.h"

static int api_pthread_kill(vsig_thread_t thread, int sig) {
  return -send_to_thread(thread, sig, VSIG_SI_TKILL, NULL);
}

static int api_pthread_sigqueue(vsig_thread_t thread, int sig, const vsig_sigval_t value) {
  return -send_to_thread(thread, sig, VSIG_SI_QUEUE, &value);
}

static int api_pthread_kill_host(pthread_t host, int sig) {
  if (sig != 0 && !sig_valid(sig))
    return EINVAL;
  vsig_thread_t id;
  int rc = vsig_thread_from_host(host, &id);
  return rc ? rc : vsig_pthread_kill(id, sig);
}

/* Public entry points: vsig__tls_depth marks the thread as inside vsig, so
 * that an asynchronous delivery waits until the call returns. */
int vsig_pthread_kill(vsig_thread_t thread, int sig) {
  API_ENTER();
  int rc = api_pthread_kill(thread, sig);
  api_leave();
  return rc;
}

int vsig_pthread_sigqueue(vsig_thread_t thread, int sig, const vsig_sigval_t value) {
  API_ENTER();
  int rc = api_pthread_sigqueue(thread, sig, value);
  api_leave();
  return rc;
}

int vsig_pthread_kill_host(pthread_t host, int sig) {
  API_ENTER();
  int rc = api_pthread_kill_host(host, sig);
  api_leave();
  return rc;
}
