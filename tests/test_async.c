/* SPDX-License-Identifier: MIT */
/*
 * Asynchronous delivery: a thread with it on is interrupted when a handler is
 * due on it, whether it runs its own code or is blocked in a host call, and
 * never while it is inside vsig. Threads are only ever waited for by polling
 * state or flags: nothing here assumes a duration.
 */
/* ctest-labels: concurrency */
#include "conform.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Spin until cond: for conditions another thread makes true. */
#define WAIT_UNTIL(cond)                                                                           \
  do {                                                                                             \
    while (!(cond))                                                                                \
      sched_yield();                                                                               \
  } while (0)

static _Atomic int hits;
static _Atomic pid_t hit_tid;
static void on_sig(int sig) {
  (void)sig;
  atomic_store(&hit_tid, (pid_t)syscall(SYS_gettid));
  atomic_fetch_add(&hits, 1);
}

/* The state of a host thread as the kernel reports it ('R', 'S'...). */
static char kernel_state(pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return '?';
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return '?';
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : '?';
}

static void await_kernel_state(pid_t tid, char want) {
  while (kernel_state(tid) != want)
    sched_yield();
}

/* ---- a thread running its own code ---------------------------------------------- */

struct spinner {
  vsig_thread_t id;
  pid_t tid;
  _Atomic int ready, stop;
  long spins;
};

/* On the spinner: asynchronous delivery on, its ids known, then ready. */
static void spinner_ready(struct spinner *s) {
  CHECK_EQ(vsig_thread_set_async(1), 0);
  s->id = vsig_thread_self();
  s->tid = (pid_t)syscall(SYS_gettid);
  atomic_store(&s->ready, 1);
}

static void *spin(void *arg) {
  struct spinner *s = arg;
  spinner_ready(s);
  while (!atomic_load_explicit(&s->stop, memory_order_relaxed))
    s->spins++; /* no vsig call, no system call */
  return NULL;
}

TEST(handler_interrupts_a_thread_spinning_in_its_own_code) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct spinner s = {0};
  pthread_t h;
  spawn(&h, spin, &s);
  await_at_least(&s.ready, 1);
  CHECK_EQ(vsig_pthread_kill(s.id, VSIG_SIGUSR1), 0);
  await_at_least(&hits, 1);
  CHECK_EQ(atomic_load(&hit_tid), s.tid); /* on the spinner itself */
  atomic_store(&s.stop, 1);
  join(h);
  CHECK_EQ(hits, 1);
}

/* A process-directed signal goes to the one thread that has it unblocked,
 * and interrupts it there. */
TEST(process_directed_signal_interrupts_the_thread_that_takes_it) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct spinner s = {0};
  pthread_t h;
  spawn(&h, spin, &s);
  await_at_least(&s.ready, 1);
  block(SET(VSIG_SIGUSR1)); /* main does not take it */
  CHECK_EQ(vsig_kill(vsig_getpid(), VSIG_SIGUSR1), 0);
  await_at_least(&hits, 1);
  CHECK_EQ(atomic_load(&hit_tid), s.tid);
  atomic_store(&s.stop, 1);
  join(h);
}

/* Off by default: a thread that did not ask is not interrupted; its handler
 * runs at its next safe point. */
static void *spin_then_poll(void *arg) {
  struct spinner *s = arg;
  s->id = vsig_thread_self();
  s->tid = (pid_t)syscall(SYS_gettid);
  atomic_store(&s->ready, 1);
  while (!atomic_load(&s->stop))
    s->spins++;
  CHECK_EQ(hits, 0);
  vsig_poll();
  CHECK_EQ(hits, 1);
  return NULL;
}

TEST(without_async_the_handler_waits_for_a_safe_point) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  struct spinner s = {0};
  pthread_t h;
  spawn(&h, spin_then_poll, &s);
  await_at_least(&s.ready, 1);
  CHECK_EQ(vsig_pthread_kill(s.id, VSIG_SIGUSR1), 0);
  for (int i = 0; i < 200; i++)
    sched_yield();
  atomic_store(&s.stop, 1);
  join(h);
}

/* ---- a thread blocked in a host call ----------------------------------------------- */

struct reader {
  vsig_thread_t id;
  pid_t tid;
  int fd;
  _Atomic int ready;
  ssize_t rc;
  int err;
  char byte;
};

static void *read_pipe(void *arg) {
  struct reader *r = arg;
  CHECK_EQ(vsig_thread_set_async(1), 0);
  r->id = vsig_thread_self();
  r->tid = (pid_t)syscall(SYS_gettid);
  atomic_store(&r->ready, 1);
  errno = 0;
  r->rc = read(r->fd, &r->byte, 1);
  r->err = errno;
  return NULL;
}

static void blocked_read(int flags, bool restarts) {
  set_handler(VSIG_SIGUSR1, on_sig, flags, EMPTY());
  int p[2];
  CHECK_EQ(pipe(p), 0);
  struct reader r = {.fd = p[0]};
  pthread_t h;
  spawn(&h, read_pipe, &r);
  await_at_least(&r.ready, 1);
  await_kernel_state(r.tid, 'S'); /* in read() */
  CHECK_EQ(vsig_pthread_kill(r.id, VSIG_SIGUSR1), 0);
  await_at_least(&hits, 1);
  CHECK_EQ(atomic_load(&hit_tid), r.tid);
  if (restarts) {
    await_kernel_state(r.tid, 'S'); /* back in read() */
    CHECK_EQ(write(p[1], "x", 1), 1);
  }
  join(h);
  if (restarts) {
    CHECK_EQ(r.rc, 1);
    CHECK_EQ(r.byte, 'x');
  } else {
    CHECK_EQ(r.rc, -1);
    CHECK_EQ(r.err, EINTR);
  }
  close(p[0]);
  close(p[1]);
}

TEST(blocked_read_fails_with_eintr_without_sa_restart) { blocked_read(0, false); }
TEST(blocked_read_restarts_with_sa_restart) { blocked_read(VSIG_SA_RESTART, true); }

/* ---- never inside vsig ------------------------------------------------------------ */

struct inside {
  vsig_pid_t victim;
  vsig_thread_t id;
  _Atomic int in_callback, sent;
  int hits_in_callback, hits_after_call;
};
static struct inside g_in;

static void slow_callback(vsig_pid_t pid, int sig, void *arg) {
  (void)pid;
  (void)sig;
  (void)arg;
  atomic_store(&g_in.in_callback, 1);
  WAIT_UNTIL(atomic_load(&g_in.sent));
  for (int i = 0; i < 1000; i++)
    sched_yield(); /* every chance for an interrupt to arrive */
  g_in.hits_in_callback = atomic_load(&hits);
}

static void *kill_victim(void *arg) {
  (void)arg;
  CHECK_EQ(vsig_thread_set_async(1), 0);
  g_in.id = vsig_thread_self();
  CHECK_EQ(vsig_kill(g_in.victim, VSIG_SIGTERM), 0); /* the callback runs in here */
  g_in.hits_after_call = atomic_load(&hits);
  return NULL;
}

/* A terminate callback runs inside the vsig call that found the fatal action:
 * a handler due on that thread meanwhile runs when the call returns. */
TEST(handler_due_inside_a_vsig_call_runs_as_it_returns) {
  set_handler(VSIG_SIGUSR1, on_sig, 0, EMPTY());
  CHECK_EQ(vsig_proc_create(NULL, &g_in.victim), 0);
  vsig_set_terminate_callback(slow_callback, NULL);
  pthread_t h;
  spawn(&h, kill_victim, NULL);
  await_at_least(&g_in.in_callback, 1);
  CHECK_EQ(vsig_pthread_kill(g_in.id, VSIG_SIGUSR1), 0);
  atomic_store(&g_in.sent, 1);
  join(h);
  CHECK_EQ(g_in.hits_in_callback, 0);
  CHECK_EQ(g_in.hits_after_call, 1);
}

/* ---- nesting ----------------------------------------------------------------------- */

static _Atomic int outer_running, inner_ran_inside;
static void inner(int sig) {
  (void)sig;
  if (atomic_load(&outer_running))
    atomic_store(&inner_ran_inside, 1);
}
static void outer(int sig) {
  (void)sig;
  atomic_store(&outer_running, 1);
  /* Spin (no vsig call) until the second signal has interrupted us. */
  while (!atomic_load(&inner_ran_inside))
    ;
  atomic_store(&outer_running, 0);
}

/* A handler that its mask lets a second signal through is interrupted by it,
 * as native handlers nest. */
TEST(a_running_handler_is_interrupted_by_a_signal_its_mask_allows) {
  set_handler(VSIG_SIGUSR1, outer, 0, EMPTY());
  set_handler(VSIG_SIGUSR2, inner, 0, EMPTY());
  struct spinner s = {0};
  pthread_t h;
  spawn(&h, spin, &s);
  await_at_least(&s.ready, 1);
  CHECK_EQ(vsig_pthread_kill(s.id, VSIG_SIGUSR1), 0);
  await_at_least(&outer_running, 1);
  CHECK_EQ(vsig_pthread_kill(s.id, VSIG_SIGUSR2), 0);
  WAIT_UNTIL(atomic_load(&inner_ran_inside) && !atomic_load(&outer_running));
  atomic_store(&s.stop, 1);
  join(h);
}

/* ---- a thread busy in atomic operations ------------------------------------------ */

/* The handler updates the counter the interrupted thread updates. Under
 * ThreadSanitizer such a loop runs mostly inside TSan's runtime, which a
 * handler must not interrupt (src/host/linux/tsan.c): one that did could wait
 * forever for a runtime lock the interrupted update holds. */
static _Atomic long shared_count;
static atomic_int rmw_hits;
static void on_rmw(int sig) {
  (void)sig;
  atomic_fetch_add(&shared_count, 1);
  atomic_fetch_add(&rmw_hits, 1);
}

static void *spin_rmw(void *arg) {
  struct spinner *s = arg;
  spinner_ready(s);
  while (!atomic_load(&s->stop)) {
    atomic_fetch_add(&shared_count, 1);
    s->spins++;
  }
  return NULL;
}

TEST(many_interrupts_of_a_thread_in_atomic_operations) {
  set_handler(VSIG_SIGUSR1, on_rmw, 0, EMPTY());
  struct spinner s = {0};
  pthread_t h;
  spawn(&h, spin_rmw, &s);
  await_at_least(&s.ready, 1);
  enum { ROUNDS = 300 };
  for (int i = 1; i <= ROUNDS; i++) {
    CHECK_EQ(vsig_pthread_kill(s.id, VSIG_SIGUSR1), 0);
    await_at_least(&rmw_hits, i);
  }
  atomic_store(&s.stop, 1);
  join(h);
  CHECK_EQ(atomic_load(&rmw_hits), ROUNDS);
  CHECK_EQ(atomic_load(&shared_count), s.spins + ROUNDS);
}
