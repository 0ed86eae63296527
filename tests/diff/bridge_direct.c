/* SPDX-License-Identifier: MIT */
/*
 * Native: a standard signal that another process sends goes to a thread that has it unblocked,
 * and never interrupts one that blocks it: a thread that blocked it itself sleeps in poll and
 * nanosleep to their end while 20 of them reach another thread. On the thread that takes it,
 * SA_RESTART decides whether the read it interrupted restarts, and the handler's sa_mask holds a
 * second signal (which would cut short its nanosleep) until it returns, and a handler that
 * unblocks its own signal gets the next one inside it. A SIGPIPE handler's sa_mask ends with
 * it, and a block the thread makes afterwards keeps a read from being interrupted; so does a
 * fork child's. A child killed at once after fork dies of the signal every time.
 */
/* diff-no-tsan: forked children make threads; under vsig the parent always has vsig-bridge, and
 * TSan does not support a thread made after a multi-threaded fork ("dup thread with used id") */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "diff_common.h"

#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

static pid_t parent;
static int to_sender[2];
static atomic_int usr1_hits, usr2_hits, wrong_thread;
static _Atomic pid_t taker;
static char order[64];
static atomic_int order_len;

static void note(char c) {
  int i = atomic_fetch_add(&order_len, 1);
  if (i < (int)sizeof order - 1)
    order[i] = c;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

/* The sender: for each byte it reads, that signal to the parent (0 ends it). */
static void sender(void) {
  unsigned char sig;
  while (read(to_sender[0], &sig, 1) == 1 && sig != 0)
    if (kill(parent, sig) != 0)
      _exit(3);
  _exit(0);
}

static void send_from_outside(int sig) {
  unsigned char b = (unsigned char)sig;
  if (write(to_sender[1], &b, 1) != 1)
    _exit(4);
}

/* Until thread tid of process pid sleeps in the kernel (a read, a poll, a futex). */
static void until_asleep_in(pid_t pid, pid_t tid) {
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
  for (int i = 0; i < 20000; i++) {
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
    if (fd >= 0)
      close(fd);
    if (n > 0) {
      buf[n] = 0;
      char *p = strrchr(buf, ')');
      if (p && p[1] == ' ' && p[2] == 'S')
        return;
    }
    sleep_ms(1);
  }
}

static void until_asleep(pid_t tid) { until_asleep_in(getpid(), tid); }

/* When thread tid sleeps, SIGUSR1 from outside; until a handler has run (5 s at most). */
static void usr1_to_sleeper(pid_t tid) {
  until_asleep(tid);
  int before = atomic_load(&usr1_hits);
  send_from_outside(SIGUSR1);
  for (int w = 0; w < 5000 && atomic_load(&usr1_hits) == before; w++)
    sleep_ms(1);
}

static void on_usr1(int sig) {
  (void)sig;
  if ((pid_t)syscall(SYS_gettid) != atomic_load(&taker))
    atomic_fetch_add(&wrong_thread, 1);
  atomic_fetch_add(&usr1_hits, 1);
}

static void on_usr1_any(int sig) {
  (void)sig;
  atomic_fetch_add(&usr1_hits, 1);
}

static void set_handler(int sig, void (*fn)(int), int flags, int masked) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  if (masked)
    sigaddset(&sa.sa_mask, masked);
  sigaction(sig, &sa, NULL);
}

/* ---- a thread that blocks SIGUSR1 is never interrupted for it ---------------------------- */

static atomic_int blocker_ready;
static _Atomic pid_t blocker_tid;

static void *blocker(void *arg) {
  (void)arg;
  block(SIG_BLOCK, SIGUSR1); /* it had it unblocked: its own mask changes */
  atomic_store(&blocker_tid, (pid_t)syscall(SYS_gettid));
  atomic_store(&blocker_ready, 1);
  int r = poll(NULL, 0, 400);
  int e = errno;
  say("blocker: poll for 400 ms returned %d%s%s\n", r, r < 0 ? " " : "", r < 0 ? errname(e) : "");
  struct timespec ts = {0, 300000000};
  r = nanosleep(&ts, NULL);
  e = errno;
  say("blocker: nanosleep for 300 ms returned %d%s%s\n", r, r < 0 ? " " : "",
      r < 0 ? errname(e) : "");
  return NULL;
}

static atomic_int stop_taker;
static int taker_pipe[2];

static void *taker_thread(void *arg) {
  (void)arg;
  atomic_store(&taker, (pid_t)syscall(SYS_gettid));
  block(SIG_UNBLOCK, SIGUSR1); /* made with it blocked: unblocked now */
  char b;
  while (!atomic_load(&stop_taker))
    if (read(taker_pipe[0], &b, 1) < 0 && errno != EINTR)
      break;
  return NULL;
}

static void part_blocked_threads(void) {
  set_handler(SIGUSR1, on_usr1, SA_RESTART, 0);
  if (pipe(taker_pipe))
    _exit(5);
  pthread_t b, t;
  block(SIG_UNBLOCK, SIGUSR1);
  pthread_create(&b, NULL, blocker, NULL); /* starts with SIGUSR1 unblocked */
  while (!atomic_load(&blocker_ready))
    sleep_ms(1);
  block(SIG_BLOCK, SIGUSR1); /* main: the kernel looks at it first */
  pthread_create(&t, NULL, taker_thread, NULL);
  while (!atomic_load(&taker))
    sleep_ms(1);
  until_asleep(atomic_load(&blocker_tid));
  for (int i = 0; i < 20; i++)
    usr1_to_sleeper(atomic_load(&taker));
  say("taker: %d of 20 SIGUSR1 handled, %d on another thread\n", atomic_load(&usr1_hits),
      atomic_load(&wrong_thread));
  pthread_join(b, NULL);
  atomic_store(&stop_taker, 1);
  if (write(taker_pipe[1], "x", 1) != 1)
    _exit(6);
  pthread_join(t, NULL);
}

/* ---- SA_RESTART on the thread that takes it ----------------------------------------------- */

static int rd_pipe[2];
static _Atomic pid_t reader_tid;
static atomic_int read_result[2], read_errno[2], reads_done, reader_usr2;

/* Two reads: the first signal may come through vsig-bridge, the second straight to it. */
static void *reader(void *arg) {
  (void)arg;
  atomic_store(&taker, (pid_t)syscall(SYS_gettid));
  block(SIG_UNBLOCK, SIGUSR1);
  if (atomic_load(&reader_usr2))
    block(SIG_UNBLOCK, SIGUSR2);
  atomic_store(&reader_tid, atomic_load(&taker));
  for (int k = 0; k < 2; k++) {
    char b;
    ssize_t n = read(rd_pipe[0], &b, 1);
    atomic_store(&read_errno[k], n < 0 ? errno : 0);
    atomic_store(&read_result[k], (int)n);
    atomic_fetch_add(&reads_done, 1);
  }
  return NULL;
}

static pthread_t start_reader(void) {
  if (pipe(rd_pipe))
    _exit(7);
  atomic_store(&usr1_hits, 0);
  atomic_store(&reads_done, 0);
  atomic_store(&reader_tid, 0);
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  while (!atomic_load(&reader_tid))
    sleep_ms(1);
  return t;
}

static const char *read_str(int k) {
  static char b[2][48];
  int r = atomic_load(&read_result[k]);
  snprintf(b[k], sizeof b[k], "%d%s%s", r, r < 0 ? " " : "",
           r < 0 ? errname(atomic_load(&read_errno[k])) : "");
  return b[k];
}

static void end_reader(pthread_t t) {
  if (write(rd_pipe[1], "yy", 2) != 2)
    _exit(8);
  pthread_join(t, NULL);
  close(rd_pipe[0]);
  close(rd_pipe[1]);
}

static void part_restart(int flags) {
  set_handler(SIGUSR1, on_usr1, flags, 0);
  pthread_t t = start_reader();
  for (int i = 0; i < 2; i++) {
    usr1_to_sleeper(atomic_load(&reader_tid));
    for (int w = 0; w < 5000 && atomic_load(&reads_done) < i + 1 && !(flags & SA_RESTART); w++)
      sleep_ms(1);
  }
  end_reader(t);
  say("%s: %d SIGUSR1 handled on the reader (%d elsewhere), reads returned %s and %s\n",
      flags & SA_RESTART ? "SA_RESTART" : "no SA_RESTART", atomic_load(&usr1_hits),
      atomic_load(&wrong_thread), read_str(0), read_str(1));
}

/* ---- the handler's sa_mask holds a second signal ------------------------------------------ */

static atomic_int usr1_sleep_result;

static void on_usr1_slow(int sig) {
  (void)sig;
  note('1');
  send_from_outside(SIGUSR2); /* blocked here by sa_mask: it waits for the return */
  struct timespec ts = {0, 100000000};
  atomic_store(&usr1_sleep_result, nanosleep(&ts, NULL));
  note('e');
  atomic_fetch_add(&usr1_hits, 1);
}

static void on_usr2(int sig) {
  (void)sig;
  note('2');
  atomic_fetch_add(&usr2_hits, 1);
}

static void part_sa_mask(void) {
  set_handler(SIGUSR1, on_usr1_slow, SA_RESTART, SIGUSR2);
  set_handler(SIGUSR2, on_usr2, SA_RESTART, 0);
  block(SIG_BLOCK, SIGUSR2); /* main: only the reader takes either */
  atomic_store(&reader_usr2, 1);
  pthread_t t = start_reader();
  until_asleep(atomic_load(&reader_tid));
  send_from_outside(SIGUSR1);
  for (int w = 0; w < 5000 && atomic_load(&usr2_hits) == 0; w++)
    sleep_ms(1);
  end_reader(t);
  order[atomic_load(&order_len)] = 0;
  say("sa_mask: order %s (1 the handler starts, e it ends, 2 the signal it held), its nanosleep "
      "returned %d, reads returned %s and %s\n",
      order, atomic_load(&usr1_sleep_result), read_str(0), read_str(1));
}

/* ---- unblocking a signal that waits in the kernel runs its handler before it returns ---- */

/* SIGUSR1 waits in the process's queue in the kernel (a moment at most). */
static bool usr1_in_kernel(void) {
  char buf[4096];
  int fd = open("/proc/self/status", O_RDONLY);
  ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
  if (fd >= 0)
    close(fd);
  if (n <= 0)
    return false;
  buf[n] = 0;
  const char *p = strstr(buf, "ShdPnd:");
  return p && (strtoull(p + 7, NULL, 16) >> (SIGUSR1 - 1)) & 1;
}

static atomic_int unblocker_step, unblock_ran;

static void *unblocker(void *arg) {
  (void)arg;
  block(SIG_BLOCK, SIGUSR1); /* made with it unblocked: its own block */
  atomic_store(&unblocker_step, 1);
  while (atomic_load(&unblocker_step) != 2)
    sleep_ms(1);
  int before = atomic_load(&usr1_hits);
  block(SIG_UNBLOCK, SIGUSR1);
  atomic_store(&unblock_ran, atomic_load(&usr1_hits) - before);
  return NULL;
}

static void part_unblock_delivers(void) {
  set_handler(SIGUSR1, on_usr1_any, 0, 0);
  block(SIG_UNBLOCK, SIGUSR1);
  pthread_t t;
  pthread_create(&t, NULL, unblocker, NULL);
  while (atomic_load(&unblocker_step) != 1)
    sleep_ms(1);
  block(SIG_BLOCK, SIGUSR1); /* now every thread blocks it */
  send_from_outside(SIGUSR1);
  for (int w = 0; w < 300 && !usr1_in_kernel(); w++)
    sleep_ms(1);
  atomic_store(&unblocker_step, 2);
  pthread_join(t, NULL);
  say("a thread that unblocks SIGUSR1 while it is pending: %d handler(s) before the call "
      "returned\n",
      atomic_load(&unblock_ran));
}

/* ---- on a main thread (which the kernel looks at first), in a child with threads ------------ */

static void spin_until(atomic_int *v, int want) {
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do
    clock_gettime(CLOCK_MONOTONIC, &t);
  while (atomic_load(v) < want && t.tv_sec - t0.tv_sec < 5);
}

static void *nothing(void *arg) { return arg; }

static int ready[2];
static volatile pid_t current_child;

/* In a child: about to read rd_pipe, with everything set up. */
static void child_ready(void) {
  atomic_store(&usr1_hits, 0);
  if (write(ready[1], "r", 1) != 1)
    _exit(18);
}

/* A child whose main thread runs fn, after it made a thread if `thread` (so that, under vsig,
 * vsig-bridge runs in it); once fn reads rd_pipe, the parent sends it SIGUSR1, then a byte. */
static void in_child(void (*fn)(void), bool thread) {
  if (pipe(rd_pipe) || pipe(ready))
    _exit(12);
  pid_t c = fork();
  current_child = c;
  if (c == 0) {
    if (thread) {
      pthread_t t;
      pthread_create(&t, NULL, nothing, NULL);
      pthread_join(t, NULL);
    }
    fn();
    _exit(0);
  }
  char r;
  if (read(ready[0], &r, 1) != 1)
    _exit(19);
  until_asleep_in(c, c);
  kill(c, SIGUSR1);
  sleep_ms(100);
  if (write(rd_pipe[1], "c", 1) != 1)
    _exit(13);
  int st;
  waitpid(c, &st, 0);
  close(rd_pipe[0]);
  close(rd_pipe[1]);
  close(ready[0]);
  close(ready[1]);
}

static atomic_int nest_hits, nested;

/* The first SIGUSR1's handler unblocks SIGUSR1, asks for a second and spins (no call that
 * waits) until it came: natively at once, inside the first. */
static void on_usr1_nest(int sig) {
  (void)sig;
  if (atomic_fetch_add(&nest_hits, 1) == 0) {
    block(SIG_UNBLOCK, SIGUSR1);
    kill(getppid(), SIGUSR2);
    spin_until(&nest_hits, 2);
    nested = atomic_load(&nest_hits) == 2;
  }
}

static void nested_child(void) {
  set_handler(SIGUSR1, on_usr1_nest, SA_RESTART, 0);
  block(SIG_UNBLOCK, SIGUSR1);
  child_ready();
  char b;
  (void)read(rd_pipe[0], &b, 1);
  say("child: a handler that unblocks SIGUSR1 got the next one inside it: %s (%d handlers)\n",
      nested ? "yes" : "no", atomic_load(&nest_hits));
}

static void on_usr2_forward(int sig) {
  (void)sig;
  kill(current_child, SIGUSR1);
}

static void part_nested(void) {
  set_handler(SIGUSR2, on_usr2_forward, SA_RESTART, 0);
  block(SIG_UNBLOCK, SIGUSR2);
  in_child(nested_child, true);
  block(SIG_BLOCK, SIGUSR2);
  signal(SIGUSR2, SIG_DFL);
}

static atomic_int pipe_hits;
static void on_pipe(int sig) {
  (void)sig;
  atomic_fetch_add(&pipe_hits, 1);
}

/* A SIGPIPE handler whose sa_mask holds SIGUSR1 runs; the thread then blocks SIGUSR1 itself
 * and reads: the SIGUSR1 that comes meanwhile waits for its unblocking. */
static void sync_mask_child(void) {
  set_handler(SIGUSR1, on_usr1_any, 0, 0);
  set_handler(SIGPIPE, on_pipe, 0, SIGUSR1);
  block(SIG_UNBLOCK, SIGUSR1);
  int p[2];
  if (pipe(p))
    _exit(14);
  close(p[0]);
  if (write(p[1], "x", 1) >= 0)
    _exit(15);
  block(SIG_BLOCK, SIGUSR1);
  child_ready();
  char b;
  int n = (int)read(rd_pipe[0], &b, 1);
  int e = errno;
  int before = atomic_load(&usr1_hits);
  block(SIG_UNBLOCK, SIGUSR1);
  say("child: after a SIGPIPE handler that blocked SIGUSR1 (%d), a read with SIGUSR1 blocked "
      "returned %d%s%s; SIGUSR1 handled %d then, %d once unblocked\n",
      atomic_load(&pipe_hits), n, n < 0 ? " " : "", n < 0 ? errname(e) : "", before,
      atomic_load(&usr1_hits));
}

/* One host handler, two frames: SIGUSR1's handler (sa_mask SIGUSR2) raises SIGUSR2, whose
 * handler runs once the first returns and sends SIGUSR1 through the kernel: natively it
 * interrupts the second handler at once. */
static atomic_int two_n1;
static volatile int two_nested = -1;

static void on_usr1_two(int sig) {
  (void)sig;
  if (atomic_fetch_add(&two_n1, 1) == 0)
    raise(SIGUSR2);
}

static void on_usr2_two(int sig) {
  (void)sig;
  syscall(SYS_kill, getpid(), SIGUSR1);
  spin_until(&two_n1, 2);
  two_nested = atomic_load(&two_n1) == 2;
}

static void two_frames_child(void) {
  set_handler(SIGUSR1, on_usr1_two, SA_RESTART, SIGUSR2);
  set_handler(SIGUSR2, on_usr2_two, SA_RESTART, 0);
  block(SIG_UNBLOCK, SIGUSR1);
  block(SIG_UNBLOCK, SIGUSR2);
  child_ready();
  char b;
  (void)read(rd_pipe[0], &b, 1);
  say("child: a second handler in the same delivery got a SIGUSR1 sent meanwhile: %s\n",
      two_nested == 1 ? "yes" : "no");
}

/* A fork child's one thread, SIGUSR1 unblocked with a handler without SA_RESTART: the read
 * fails with EINTR. */
static void norestart_child(void) {
  set_handler(SIGUSR1, on_usr1_any, 0, 0);
  block(SIG_UNBLOCK, SIGUSR1);
  child_ready();
  char b;
  int n = (int)read(rd_pipe[0], &b, 1);
  int e = errno;
  say("child, handler without SA_RESTART: read returned %d%s%s, %d handled\n", n, n < 0 ? " " : "",
      n < 0 ? errname(e) : "", atomic_load(&usr1_hits));
}

/* A fork child's one thread with SIGCHLD at its default: its own child's exit does not cut its
 * nanosleep short (a poll there would fail with EINTR: see the README). */
static void sigchld_default_child(void) {
  signal(SIGCHLD, SIG_DFL);
  block(SIG_UNBLOCK, SIGCHLD);
  pid_t g = fork();
  if (g == 0)
    _exit(0);
  struct timespec ts = {0, 300000000};
  int r = nanosleep(&ts, NULL);
  int e = errno;
  waitpid(g, NULL, 0);
  say("child, SIGCHLD at its default, its child exits: nanosleep returned %d%s%s\n", r,
      r < 0 ? " " : "", r < 0 ? errname(e) : "");
}

/* The same with no thread made: a fork child's one thread. */
static void blocked_child(void) {
  set_handler(SIGUSR1, on_usr1_any, 0, 0);
  block(SIG_BLOCK, SIGUSR1);
  child_ready();
  char b;
  int n = (int)read(rd_pipe[0], &b, 1);
  int e = errno;
  say("child with SIGUSR1 blocked: read returned %d%s%s\n", n, n < 0 ? " " : "",
      n < 0 ? errname(e) : "");
}

/* ---- a child killed at once after fork ---------------------------------------------------- */

static void part_fork_kill(void) {
  int killed = 0;
  for (int i = 0; i < 100; i++) {
    pid_t c = fork();
    if (c < 0)
      _exit(11);
    if (c == 0) {
      for (;;)
        pause();
    }
    kill(c, SIGTERM);
    int st;
    if (waitpid(c, &st, 0) == c && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM)
      killed++;
  }
  say("fork then kill(SIGTERM) at once: %d of 100 children died of it\n", killed);
}

int main(void) {
  start();
  parent = getpid();
  if (pipe(to_sender))
    return 1;
  pid_t s = fork();
  if (s == 0) {
    close(to_sender[1]);
    sender();
  }
  close(to_sender[0]);

  part_blocked_threads();
  /* From here only the thread under test has SIGUSR1 unblocked; SIGUSR2 too, in part 3. */
  part_restart(0);
  part_restart(SA_RESTART);
  part_sa_mask();
  part_unblock_delivers();
  part_nested();
  in_child(sync_mask_child, true);
  in_child(two_frames_child, true);
  in_child(blocked_child, false);
  in_child(norestart_child, false);
  {
    pid_t c = fork();
    if (c == 0) {
      sigchld_default_child();
      _exit(0);
    }
    waitpid(c, NULL, 0);
  }
  block(SIG_UNBLOCK, SIGUSR1);
  set_handler(SIGUSR1, SIG_DFL, 0, 0);
  part_fork_kill();

  unsigned char end = 0;
  if (write(to_sender[1], &end, 1) != 1)
    return 1;
  int st;
  waitpid(s, &st, 0);
  say("sender: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "done" : "failed");
  return 0;
}
