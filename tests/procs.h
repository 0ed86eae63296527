/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the process-model tests (test_tree.c, test_jobctl.c,
 * test_wait_stress.c): making processes in a tree, and running code as a
 * thread of a given process.
 */
#ifndef PROCS_H
#define PROCS_H

#include "vt.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>
#include <vsig.h>

/* A process whose parent is parent (VSIG_PID_NONE: a root). */
static inline vsig_pid_t mkproc(vsig_pid_t parent) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.parent = parent;
  vsig_pid_t pid = 0;
  CHECK_EQ(vsig_proc_create(&a, &pid), 0);
  return pid;
}

/* Run fn(arg) on a new thread of pid and wait for it. */
static inline void in_proc(vsig_pid_t pid, void *(*fn)(void *), void *arg) {
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, NULL, pid, 0, fn, arg), 0);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* A thread of pid running fn(arg) in the background. */
static inline pthread_t in_proc_async(vsig_pid_t pid, void *(*fn)(void *), void *arg,
                                      vsig_thread_t *id) {
  pthread_t h;
  CHECK_EQ(vsig_thread_create(&h, id, pid, 0, fn, arg), 0);
  return h;
}

static inline void pause_briefly(void) {
  struct timespec ts = {0, 200000};
  nanosleep(&ts, NULL);
}

#define WAIT_FOR(cond)                                                                             \
  do {                                                                                             \
    for (long wf_i = 0; !(cond); wf_i++) {                                                         \
      if (wf_i > 20L * 60 * 1000)                                                                  \
        VT_FAIL("timed out waiting for %s", #cond);                                                \
      pause_briefly();                                                                             \
    }                                                                                              \
  } while (0)

static inline int thread_state(vsig_thread_t t) {
  int s = -1;
  CHECK_EQ(vsig_thread_getstate(t, &s), 0);
  return s;
}

static inline int stopped(vsig_pid_t pid) {
  int s = -1;
  CHECK_EQ(vsig_proc_stopped(pid, &s), 0);
  return s;
}

static inline int term_of(vsig_pid_t pid) {
  int t = -1;
  CHECK_EQ(vsig_proc_status(pid, &t), 0);
  return t;
}

#endif
