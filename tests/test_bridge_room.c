/* SPDX-License-Identifier: MIT */
/*
 * vsig-bridge and room in the default process's queue: a host real-time
 * signal it took from the kernel when no memory could be had for its cell, or
 * at the queue limit, reaches the process once there is room again, without
 * waiting for an unrelated event.
 *
 * test-hooks: internal (the cells' failure switch)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt.h"
#include <vsig.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

extern _Atomic int vsig__cells_fail;

#define HOST_SIG 40 /* a real-time signal neither glibc nor vsig's interrupts use */

static vsig_sigset_t one(int sig) {
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, sig);
  return s;
}

static _Atomic int got_value = -1;
static _Atomic vsig_thread_t waiter_id;

static void *waiter(void *arg) {
  (void)arg;
  vsig_sigset_t s = one(HOST_SIG);
  atomic_store(&waiter_id, vsig_thread_self());
  vsig_siginfo_t si;
  if (vsig_sigwaitinfo(&s, &si) == HOST_SIG)
    atomic_store(&got_value, si.si_value.sival_int);
  return NULL;
}

/* The kernel's state of the host thread named name ('S' sleeping...). */
static char state_of(const char *name) {
  DIR *d = opendir("/proc/self/task");
  CHECK(d != NULL);
  char st = '?';
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char path[300], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f)
      continue;
    bool match = fgets(buf, sizeof buf, f) && strncmp(buf, name, strlen(name)) == 0;
    fclose(f);
    if (!match)
      continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
    f = fopen(path, "r");
    if (f && fgets(buf, sizeof buf, f)) {
      char *p = strrchr(buf, ')');
      if (p && p[1] == ' ')
        st = p[2];
    }
    if (f)
      fclose(f);
  }
  closedir(d);
  return st;
}

static bool host_pending(int sig) {
  sigset_t s;
  CHECK_EQ(sigpending(&s), 0);
  return sigismember(&s, sig) == 1;
}

static void pause_ms(int ms) {
  struct timespec ts = {0, ms * 1000000L};
  nanosleep(&ts, NULL);
}

TEST(a_host_rt_signal_refused_for_want_of_memory_arrives_once_memory_is_back) {
  vsig_sigset_t s = one(HOST_SIG);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  CHECK_EQ(vsig_bridge_enable(&s), 0);
  pthread_t h;
  CHECK_EQ(vsig_pthread_create(&h, NULL, waiter, NULL), 0);
  int st = -1;
  while (!atomic_load(&waiter_id) || vsig_thread_getstate(atomic_load(&waiter_id), &st) != 0 ||
         st != VSIG_THREAD_SIGWAIT)
    sched_yield();
  atomic_store(&vsig__cells_fail, 1);
  CHECK_EQ(sigqueue(getpid(), HOST_SIG, (union sigval){.sival_int = 7}), 0);
  /* vsig-bridge takes it from the kernel, fails to generate it (EAGAIN: no
   * cell) and goes back to sleep. */
  for (long i = 0; host_pending(HOST_SIG); i++) {
    if (i > 60L * 1000)
      VT_FAIL("vsig-bridge never took the signal");
    pause_ms(1);
  }
  for (long i = 0; state_of("vsig-bridge") != 'S'; i++) {
    if (i > 60L * 1000)
      VT_FAIL("vsig-bridge never went back to sleep");
    pause_ms(1);
  }
  CHECK_EQ(atomic_load(&got_value), -1);
  atomic_store(&vsig__cells_fail, 0);
  /* Memory is back. Nothing else happens in the process: no host signal, no
   * vsig wait beginning (each of which would look at what vsig-bridge holds). */
  for (long i = 0; atomic_load(&got_value) == -1; i++) {
    if (i > 10L * 1000)
      VT_FAIL("the held host signal never reached the waiting thread");
    pause_ms(1);
  }
  CHECK_EQ(atomic_load(&got_value), 7);
  CHECK_EQ(pthread_join(h, NULL), 0);
}

/* The same at the default process's own queue limit (the loop predates the
 * rewrite): the signal vsig-bridge holds when the queue is full, the last of
 * its burst, comes in once the queue has room again. Only zero-timeout polls
 * take signals here: they do not ask the host (sigwait.c), so nothing but
 * vsig-bridge brings the held one in. */
TEST(a_host_rt_signal_held_at_the_queue_limit_arrives_once_there_is_room) {
  vsig_proc_attr_t a;
  CHECK_EQ(vsig_proc_attr_init(&a), 0);
  a.queue_max = VSIG_POSIX_SIGQUEUE_MAX;
  CHECK_EQ(vsig_default_proc_attr(&a), 0);
  vsig_sigset_t s = one(HOST_SIG);
  CHECK_EQ(vsig_pthread_sigmask(VSIG_SIG_BLOCK, &s, NULL), 0);
  CHECK_EQ(vsig_bridge_enable(&s), 0);
  const int n = VSIG_POSIX_SIGQUEUE_MAX + 1;
  for (int i = 0; i < n; i++)
    CHECK_EQ(sigqueue(getpid(), HOST_SIG, (union sigval){.sival_int = i}), 0);
  for (long i = 0; host_pending(HOST_SIG) || state_of("vsig-bridge") != 'S'; i++) {
    if (i > 60L * 1000)
      VT_FAIL("vsig-bridge never took the burst");
    pause_ms(1);
  }
  struct timespec zero = {0, 0};
  vsig_siginfo_t si;
  for (int i = 0; i < n; i++) {
    int got;
    for (long w = 0; (got = vsig_sigtimedwait(&s, &si, &zero)) != HOST_SIG; w++) {
      CHECK_EQ(errno, EAGAIN);
      if (w > 10L * 1000)
        VT_FAIL("instance %d of %d never came in", i, n);
      pause_ms(1);
    }
    CHECK_EQ(si.si_value.sival_int, i);
  }
}
