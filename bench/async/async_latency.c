/* SPDX-License-Identifier: MIT */
/*
 * Latency from sending a signal to the first instruction of its handler, with plain POSIX
 * calls only: natively it measures the kernel; under LD_PRELOAD=libvsig-posix.so (run.sh) the
 * same binary measures vsig's host-signal bridge. Prints one line per measurement:
 *   async_latency <name> <median ns>
 * spin:    pthread_kill to a thread spinning in its own code;
 * read:    pthread_kill to a thread blocked in read() on an empty pipe;
 * outside: kill() from another process to a thread blocked in read(). The receiving process
 *          runs on one CPU and the sender on another: where the scheduler would otherwise put
 *          the reader decides the result on a virtual machine, at random for either side (on
 *          a CPU that idles, waking it costs some 14 us more than the whole delivery).
 * The sender reads CLOCK_MONOTONIC just before sending, the handler as its first statement.
 * A second argument (spin, read or outside) runs that measurement alone, for profiling.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

static int64_t median(int64_t *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_i64);
  return v[n / 2];
}

static char task_state(pid_t pid, pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
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

static void wait_state(pid_t pid, pid_t tid, char want) {
  while (task_state(pid, tid) != want)
    sched_yield();
}

/* What the handler saw; shared with the outside sender through a MAP_SHARED page. */
struct shared {
  _Atomic int64_t sent_at, handled_at;
  atomic_int handler_tid, hits;
};
static struct shared *sh;

static void on_usr1(int sig) {
  int64_t t = now_ns(); /* first */
  (void)sig;
  atomic_store(&sh->handled_at, t);
  atomic_store(&sh->handler_tid, (int)gettid());
  atomic_fetch_add(&sh->hits, 1);
}

static void handle_usr1(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigemptyset(&sa.sa_mask);
  CHECK(sigaction(SIGUSR1, &sa, NULL) == 0); /* no SA_RESTART: read fails with EINTR */
}

static atomic_int target_tid, stop;
static int pipe_fd[2];

/* Targets unblock SIGUSR1 (the main thread, which only sends, keeps it blocked). */
static void unblock_usr1(void) {
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  CHECK(pthread_sigmask(SIG_UNBLOCK, &usr1, NULL) == 0);
}

static void *spinner(void *arg) {
  (void)arg;
  unblock_usr1();
  atomic_store(&target_tid, (int)gettid());
  volatile unsigned long n = 0;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    n++;
  return NULL;
}

static void *reader(void *arg) {
  (void)arg;
  unblock_usr1();
  atomic_store(&target_tid, (int)gettid());
  char b;
  while (!atomic_load(&stop))
    CHECK(read(pipe_fd[0], &b, 1) < 0 ? errno == EINTR : 1);
  return NULL;
}

/* pthread_kill to a thread that spins or sleeps in read; n samples. */
static int64_t thread_latency(void *(*fn)(void *), char state, int n) {
  int64_t *lat = malloc(sizeof *lat * (size_t)n);
  CHECK(lat && pipe(pipe_fd) == 0);
  atomic_store(&stop, 0);
  atomic_store(&target_tid, 0);
  pthread_t t;
  CHECK(pthread_create(&t, NULL, fn, NULL) == 0);
  while (atomic_load(&target_tid) == 0)
    sched_yield();
  pid_t tid = atomic_load(&target_tid);
  for (int i = 0; i < n; i++) {
    wait_state(getpid(), tid, state);
    int before = atomic_load(&sh->hits);
    int64_t t0 = now_ns();
    CHECK(pthread_kill(t, SIGUSR1) == 0);
    while (atomic_load(&sh->hits) == before)
      ;
    CHECK(atomic_load(&sh->handler_tid) == tid);
    lat[i] = atomic_load(&sh->handled_at) - t0;
  }
  atomic_store(&stop, 1);
  CHECK(write(pipe_fd[1], "x", 1) == 1);
  pthread_join(t, NULL);
  close(pipe_fd[0]);
  close(pipe_fd[1]);
  int64_t m = median(lat, (size_t)n);
  free(lat);
  return m;
}

/* The calling thread (and the threads it makes) on the index-th CPU it may use; false if it
 * has fewer than two, or cannot. */
static bool pin(const cpu_set_t *allowed, int index) {
  if (CPU_COUNT(allowed) < 2)
    return false;
  for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
    if (CPU_ISSET(cpu, allowed) && seen++ == index) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      return sched_setaffinity(0, sizeof one, &one) == 0;
    }
  }
  return false;
}

/* kill() from a child process to this process, whose only unblocked thread sleeps in read. */
static int64_t outside_latency(int n) {
  int64_t *lat = malloc(sizeof *lat * (size_t)n);
  int go[2];
  CHECK(lat && pipe(pipe_fd) == 0 && pipe(go) == 0);
  atomic_store(&stop, 0);
  atomic_store(&target_tid, 0);
  cpu_set_t allowed;
  bool pinned = sched_getaffinity(0, sizeof allowed, &allowed) == 0 && pin(&allowed, 0);
  pthread_t t;
  CHECK(pthread_create(&t, NULL, reader, NULL) == 0);
  while (atomic_load(&target_tid) == 0)
    sched_yield();
  pid_t tid = atomic_load(&target_tid), me = getpid();
  pid_t c = fork();
  CHECK(c >= 0);
  if (c == 0) {
    char b;
    if (pinned)
      pin(&allowed, 1);
    while (read(go[0], &b, 1) == 1 && b == 'g') {
      wait_state(me, tid, 'S');
      atomic_store(&sh->sent_at, now_ns());
      if (kill(me, SIGUSR1))
        _exit(2);
    }
    _exit(0);
  }
  for (int i = 0; i < n; i++) {
    int before = atomic_load(&sh->hits);
    CHECK(write(go[1], "g", 1) == 1);
    while (atomic_load(&sh->hits) == before)
      sched_yield();
    CHECK(atomic_load(&sh->handler_tid) == tid);
    lat[i] = atomic_load(&sh->handled_at) - atomic_load(&sh->sent_at);
  }
  CHECK(write(go[1], "q", 1) == 1);
  int st;
  CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
  atomic_store(&stop, 1);
  CHECK(write(pipe_fd[1], "x", 1) == 1);
  pthread_join(t, NULL);
  if (pinned)
    sched_setaffinity(0, sizeof allowed, &allowed);
  close(go[0]);
  close(go[1]);
  close(pipe_fd[0]);
  close(pipe_fd[1]);
  int64_t m = median(lat, (size_t)n);
  free(lat);
  return m;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  CHECK(n > 0);
  sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  CHECK(sh != MAP_FAILED);
  handle_usr1();
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  CHECK(pthread_sigmask(SIG_BLOCK, &usr1, NULL) == 0); /* the main thread only sends */
  const char *only = argc > 2 ? argv[2] : NULL;
  if (!only || !strcmp(only, "spin"))
    printf("async_latency spin %lld\n", (long long)thread_latency(spinner, 'R', n));
  if (!only || !strcmp(only, "read"))
    printf("async_latency read %lld\n", (long long)thread_latency(reader, 'S', n));
  if (!only || !strcmp(only, "outside"))
    printf("async_latency outside %lld\n", (long long)outside_latency(n / 4 > 0 ? n / 4 : 1));
  return 0;
}
