/* SPDX-License-Identifier: MIT */
/*
 * 10,000 processes created by four parents (and some by their children), each
 * stopped, continued and ended by a thread that races the parents' waits;
 * children of ended processes go to a reaper that waits too. Every end must
 * be collected by exactly one wait, and nothing may be left behind.
 *
 * ctest-labels: concurrency
 */
#include "procs.h"

#include <stdlib.h>

enum { NPARENTS = 4, TOTAL = 10000, PER = TOTAL / NPARENTS };

static vsig_pid_t base;                /* pids count up from here */
static _Atomic int reaped[TOTAL + 64]; /* per pid - base */
static _Atomic int stops_seen, conts_seen, total_reaped;
static _Atomic vsig_pid_t made[TOTAL];
static _Atomic int nmade, creators_done;

static int slot_of(vsig_pid_t pid) {
  int i = pid - base;
  CHECK(i >= 0 && i < TOTAL + 64);
  return i;
}

static void publish(vsig_pid_t pid) {
  int n = atomic_fetch_add(&nmade, 1);
  CHECK(n < TOTAL);
  atomic_store(&made[n], pid);
}

/* A parent's creator: its children, and every tenth one a child of its own
 * (whose parent then ends under it). */
static void *creator(void *arg) {
  (void)arg;
  for (int i = 0; i < PER;) {
    vsig_pid_t c;
    CHECK_EQ(vsig_proc_create(NULL, &c), 0);
    publish(c);
    i++;
    if (i % 10 == 0 && i < PER) {
      vsig_proc_attr_t a;
      CHECK_EQ(vsig_proc_attr_init(&a), 0);
      a.parent = c;
      vsig_pid_t g;
      int rc = vsig_proc_create(&a, &g);
      if (rc == ESRCH) /* c has ended already: ours then */
        rc = vsig_proc_create(NULL, &g);
      CHECK_EQ(rc, 0);
      publish(g);
      i++;
    }
  }
  atomic_fetch_add(&creators_done, 1);
  return NULL;
}

static void note(vsig_pid_t pid, int st) {
  if (VSIG_WIFSTOPPED(st)) {
    atomic_fetch_add(&stops_seen, 1);
  } else if (VSIG_WIFCONTINUED(st)) {
    atomic_fetch_add(&conts_seen, 1);
  } else {
    CHECK(VSIG_WIFEXITED(st) || VSIG_WIFSIGNALED(st));
    CHECK_EQ(atomic_fetch_add(&reaped[slot_of(pid)], 1), 0); /* exactly once */
    atomic_fetch_add(&total_reaped, 1);
  }
}

/* A parent's (or the reaper's) waiter: until everything is made and it has no
 * child left (the reaper: until every end is collected). */
static void *waiter(void *arg) {
  bool is_reaper = arg != NULL;
  for (;;) {
    int st = 0;
    errno = 0;
    vsig_pid_t pid = vsig_waitpid(-1, &st, VSIG_WUNTRACED | VSIG_WCONTINUED);
    if (pid > 0) {
      note(pid, st);
      continue;
    }
    CHECK_EQ(errno, ECHILD);
    if (atomic_load(&creators_done) == NPARENTS &&
        (!is_reaper || atomic_load(&total_reaped) == TOTAL))
      return NULL;
    pause_briefly();
  }
}

/* Stops, continues and ends every process made, in the order made. */
static void *chaos(void *arg) {
  (void)arg;
  unsigned seed = 12345;
  for (int i = 0; i < TOTAL; i++) {
    vsig_pid_t pid;
    while ((pid = atomic_load(&made[i])) == 0) /* slot i taken, pid not yet stored */
      pause_briefly();
    int r = rand_r(&seed) % 8;
    if (r < 3) {
      CHECK_EQ(vsig_kill(pid, VSIG_SIGSTOP), 0);
      if (r == 0)
        CHECK_EQ(vsig_kill(pid, VSIG_SIGCONT), 0);
    }
    switch (rand_r(&seed) % 3) {
    case 0:
      CHECK_EQ(vsig_proc_exit(pid, i & 0xff), 0);
      break;
    case 1:
      CHECK_EQ(vsig_kill(pid, VSIG_SIGTERM), 0); /* a stopped one: at its SIGCONT */
      /* Ended (when not stopped) and maybe collected already: gone. */
      if (vsig_kill(pid, VSIG_SIGCONT) != 0)
        CHECK_EQ(errno, ESRCH);
      break;
    default:
      CHECK_EQ(vsig_kill(pid, VSIG_SIGKILL), 0);
      break;
    }
  }
  return NULL;
}

TEST(ten_thousand_processes_each_end_reaped_exactly_once) {
  vsig_pid_t reaper = mkproc(VSIG_PID_NONE);
  CHECK_EQ(vsig_set_reaper(reaper), 0);
  vsig_pid_t parents[NPARENTS];
  for (int k = 0; k < NPARENTS; k++)
    parents[k] = mkproc(VSIG_PID_NONE);
  base = parents[NPARENTS - 1] + 1;
  pthread_t rw = in_proc_async(reaper, waiter, &base, NULL);
  pthread_t ch, cr[NPARENTS], pw[NPARENTS];
  CHECK_EQ(pthread_create(&ch, NULL, chaos, NULL), 0);
  for (int k = 0; k < NPARENTS; k++) {
    pw[k] = in_proc_async(parents[k], waiter, NULL, NULL);
    cr[k] = in_proc_async(parents[k], creator, NULL, NULL);
  }
  for (int k = 0; k < NPARENTS; k++)
    CHECK_EQ(pthread_join(cr[k], NULL), 0);
  CHECK_EQ(pthread_join(ch, NULL), 0);
  for (int k = 0; k < NPARENTS; k++)
    CHECK_EQ(pthread_join(pw[k], NULL), 0);
  CHECK_EQ(pthread_join(rw, NULL), 0);
  CHECK_EQ(atomic_load(&total_reaped), TOTAL);
  for (int i = 0; i < TOTAL; i++) {
    vsig_pid_t pid = atomic_load(&made[i]);
    if (atomic_load(&reaped[slot_of(pid)]) != 1)
      VT_FAIL("process %d (made %d): collected %d times", pid, i, reaped[slot_of(pid)]);
    CHECK_EQ(vsig_proc_destroy(pid), ESRCH); /* collected: gone */
  }
  /* How many stops and continues a wait saw before the end overtook them
   * depends on the timing: counted, not checked. */
  for (int k = 0; k < NPARENTS; k++)
    CHECK_EQ(vsig_proc_destroy(parents[k]), 0);
  CHECK_EQ(vsig_set_reaper(0), 0);
  CHECK_EQ(vsig_proc_destroy(reaper), 0);
}
