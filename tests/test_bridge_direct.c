/* SPDX-License-Identifier: MIT */
/* The bridge's direct signals through the library API: on a thread of the
 * default process with asynchronous delivery on, the host mask lets a direct
 * signal through where the vsig mask does (blocking reaches it at once,
 * unblocking when a host handler next returns); with asynchronous delivery
 * off, the host mask blocks them and a host signal waits for a safe point. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "vt.h"
#include <vsig.h>

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_int hits;
static void on_usr1(int sig) {
  if (sig == VSIG_SIGUSR1)
    atomic_fetch_add(&hits, 1);
}

/* The calling thread's host mask blocks sig. */
static bool host_blocks(int sig) {
  sigset_t cur;
  CHECK_EQ(pthread_sigmask(SIG_BLOCK, NULL, &cur), 0);
  return sigismember(&cur, sig) == 1;
}

static void handle_usr1_and_bridge(void) {
  CHECK(vsig_thread_self() != 0);
  vsig_sigaction_t sa = {.sa_handler = on_usr1};
  CHECK_EQ(vsig_sigaction(VSIG_SIGUSR1, &sa, NULL), 0);
  vsig_sigset_t set;
  vsig_sigemptyset(&set);
  vsig_sigaddset(&set, VSIG_SIGUSR1);
  CHECK_EQ(vsig_bridge_enable(&set), 0);
}

static void vsig_mask_usr1(int how) {
  vsig_sigset_t s;
  vsig_sigemptyset(&s);
  vsig_sigaddset(&s, VSIG_SIGUSR1);
  CHECK_EQ(vsig_pthread_sigmask(how, &s, NULL), 0);
}

/* The kernel's kill of this process, as another process would send it. */
static void host_kill_self(int sig) { CHECK_EQ(syscall(SYS_kill, getpid(), sig), 0); }

static void spin_ms(long ms) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do
    clock_gettime(CLOCK_MONOTONIC, &t);
  while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

/* Until the handler ran (a guard against a hang, not a timing check). */
static void await_hits(int n, bool poll) {
  for (long i = 0; atomic_load(&hits) < n; i++) {
    if (i > 60L * 1000 * 1000)
      VT_FAIL("the host signal never reached its vsig handler");
    if (poll)
      vsig_poll();
    sched_yield();
  }
}

TEST(a_thread_that_delivers_asynchronously_lets_direct_signals_through_where_its_mask_does) {
  CHECK_EQ(vsig_thread_set_async(1), 0);
  handle_usr1_and_bridge();
  CHECK(!host_blocks(SIGUSR1));
  /* Blocking reaches the host mask before the call returns. */
  vsig_mask_usr1(VSIG_SIG_BLOCK);
  CHECK(host_blocks(SIGUSR1));
  /* Unblocking does not: the signal then comes through vsig-bridge and an
   * interrupt, whose return lets it through again. */
  vsig_mask_usr1(VSIG_SIG_UNBLOCK);
  CHECK(host_blocks(SIGUSR1));
  host_kill_self(SIGUSR1);
  await_hits(1, false);
  CHECK(!host_blocks(SIGUSR1));
  /* Now straight to this thread, interrupting its own code. */
  host_kill_self(SIGUSR1);
  await_hits(2, false);
  CHECK(!host_blocks(SIGUSR1));
}

TEST(asynchronous_delivery_off_blocks_direct_signals_in_the_host_mask) {
  CHECK_EQ(vsig_thread_set_async(1), 0);
  handle_usr1_and_bridge();
  CHECK(!host_blocks(SIGUSR1));
  CHECK_EQ(vsig_thread_set_async(0), 0);
  CHECK(host_blocks(SIGUSR1));
  /* A host signal waits for this thread's next safe point. */
  host_kill_self(SIGUSR1);
  spin_ms(200);
  CHECK_EQ(atomic_load(&hits), 0);
  await_hits(1, true);
  CHECK(host_blocks(SIGUSR1));
  /* On again: through at once where the mask lets it. */
  CHECK_EQ(vsig_thread_set_async(1), 0);
  CHECK(!host_blocks(SIGUSR1));
}

TEST(a_thread_that_joins_with_asynchronous_delivery_off_never_lets_them_through) {
  CHECK_EQ(vsig_set_async_default(0), 0);
  handle_usr1_and_bridge();
  CHECK(host_blocks(SIGUSR1));
  host_kill_self(SIGUSR1);
  spin_ms(200);
  CHECK_EQ(atomic_load(&hits), 0);
  await_hits(1, true);
}

/* vsig-bridge's voluntary context switches so far (its wake-ups). */
static long bridge_wakeups(void) {
  DIR *d = opendir("/proc/self/task");
  CHECK(d != NULL);
  long n = -1;
  for (struct dirent *e; (e = readdir(d));) {
    char path[300], buf[4096];
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f)
      continue;
    bool bridge = fgets(buf, sizeof buf, f) && !strncmp(buf, "vsig-bridge", 11);
    fclose(f);
    if (!bridge)
      continue;
    snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
    f = fopen(path, "r");
    CHECK(f != NULL);
    while (fgets(buf, sizeof buf, f))
      if (!strncmp(buf, "voluntary_ctxt_switches:", 24))
        n = atol(buf + 24);
    fclose(f);
  }
  closedir(d);
  CHECK(n >= 0);
  return n;
}

TEST(a_direct_signal_wakes_no_vsig_bridge) {
  CHECK_EQ(vsig_thread_set_async(1), 0);
  handle_usr1_and_bridge();
  /* The first may come through vsig-bridge; then 200 straight to this thread. */
  host_kill_self(SIGUSR1);
  await_hits(1, false);
  long before = bridge_wakeups();
  for (int i = 2; i <= 201; i++) {
    host_kill_self(SIGUSR1);
    await_hits(i, false);
  }
  /* A direct delivery tells vsig-bridge nothing: a few wake-ups at most (its
   * once-a-second look), not one per signal. */
  CHECK(bridge_wakeups() - before < 50);
}

TEST(taking_what_the_kernel_has_pending_leaves_the_interrupt_signals_alone) {
  CHECK_EQ(vsig_thread_set_async(1), 0);
  handle_usr1_and_bridge();
  int intr, intr_restart;
  vsig_async_get_signals(&intr, &intr_restart);
  vsig_mask_usr1(VSIG_SIG_BLOCK);
  CHECK_EQ(vsig_async_hold(1), 0);
  pid_t pid = getpid(), tid = (pid_t)syscall(SYS_gettid);
  CHECK_EQ(syscall(SYS_tgkill, pid, tid, intr_restart), 0); /* an interrupt, held back */
  CHECK_EQ(syscall(SYS_tgkill, pid, tid, SIGUSR1), 0);      /* a bridged signal, blocked */
  vsig_sigset_t p;
  CHECK_EQ(vsig_sigpending(&p), 0);
  CHECK_EQ(vsig_sigismember(&p, VSIG_SIGUSR1), 1);
  CHECK_EQ(vsig_sigismember(&p, intr), 0);
  CHECK_EQ(vsig_sigismember(&p, intr_restart), 0);
  /* Released, the interrupt does its work (nothing due) and the process lives. */
  CHECK_EQ(vsig_async_hold(0), 0);
  vsig_poll();
  vsig_mask_usr1(VSIG_SIG_UNBLOCK);
  CHECK_EQ(atomic_load(&hits), 1);
}
