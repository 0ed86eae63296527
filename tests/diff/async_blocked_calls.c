/* SPDX-License-Identifier: MIT */
/* Native: pthread_kill to a thread blocked in a call runs the handler on it; read, write, waitpid,
 * accept, sem_wait (an untimed futex) restart under SA_RESTART, else EINTR; select, poll,
 * epoll_wait, nanosleep, sem_timedwait, pause, sigwaitinfo, recv with SO_RCVTIMEO always EINTR;
 * pthread_mutex_lock, pthread_barrier_wait, pthread_join resume. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Unbuffered output: nothing is duplicated by fork or lost by _exit. */
static void say(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1)
    n = (int)sizeof buf - 1;
  if (n > 0 && write(1, buf, (size_t)n) < 0)
    _exit(98);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  if (write(1, m, sizeof m - 1) < 0)
    _exit(98);
  _exit(99);
}

__attribute__((unused)) static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}

/* The state letter of a host thread, from /proc/<pid>/task/<tid>/stat. */
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

/* Polls until the thread is in that state: 'S' once it sleeps in a call. */
static void wait_task_state(pid_t pid, pid_t tid, char want) {
  while (task_state(pid, tid) != want) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
}
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>

enum kind {
  K_READ,
  K_WRITE,
  K_SELECT,
  K_POLL,
  K_EPOLL,
  K_SEM,
  K_SEM_TIMED,
  K_MUTEX,
  K_BARRIER,
  K_JOIN,
  K_NANOSLEEP,
  K_WAITPID,
  K_ACCEPT,
  K_RECV_TIMEO,
  K_PAUSE,
  K_SIGWAITINFO,
  K_SPIN,
  K_COUNT
};
static const char *const names[K_COUNT] = {"read",
                                           "write",
                                           "select",
                                           "poll",
                                           "epoll_wait",
                                           "sem_wait",
                                           "sem_timedwait",
                                           "pthread_mutex_lock",
                                           "pthread_barrier_wait",
                                           "pthread_join",
                                           "nanosleep",
                                           "waitpid",
                                           "accept",
                                           "recv with SO_RCVTIMEO",
                                           "pause",
                                           "sigwaitinfo",
                                           "spinning"};

static struct {
  enum kind kind;
  int p[2], q[2];   /* p: the call's pipe; q: what the joined thread or the child reads */
  int ep, lsock;    /* epoll instance, listening socket */
  int rsock, wsock; /* connected pair for recv */
  sem_t sem;
  pthread_mutex_t mutex;
  pthread_barrier_t barrier;
  pthread_t other;
  pid_t child;
  struct sockaddr_un addr;
  atomic_int entered, release;
  pid_t tid;
  long r;
  int err;
} c;

static atomic_int handler_ran;
static atomic_int handler_tid;
static volatile unsigned long spins;

static void on_usr1(int sig) {
  (void)sig;
  atomic_store(&handler_tid, (int)gettid());
  atomic_store(&handler_ran, 1);
}

static void *other_thread(void *arg) {
  (void)arg;
  char b;
  if (read(c.q[0], &b, 1) < 0)
    return NULL;
  return NULL;
}

static void *target(void *arg) {
  (void)arg;
  sigset_t usr;
  sigemptyset(&usr);
  sigaddset(&usr, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr, NULL);
  c.tid = gettid();
  char buf[16];
  long r = 0;
  errno = 0;
  atomic_store(&c.entered, 1);
  switch (c.kind) {
  case K_READ:
    r = read(c.p[0], buf, sizeof buf);
    break;
  case K_WRITE:
    r = write(c.p[1], "x", 1);
    break;
  case K_SELECT: {
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(c.p[0], &rd);
    r = select(c.p[0] + 1, &rd, NULL, NULL, NULL);
    break;
  }
  case K_POLL: {
    struct pollfd pf = {c.p[0], POLLIN, 0};
    r = poll(&pf, 1, -1);
    break;
  }
  case K_EPOLL: {
    struct epoll_event ev;
    r = epoll_wait(c.ep, &ev, 1, -1);
    break;
  }
  case K_SEM:
    r = sem_wait(&c.sem);
    break;
  case K_SEM_TIMED: {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 60;
    r = sem_timedwait(&c.sem, &ts);
    break;
  }
  case K_MUTEX:
    r = pthread_mutex_lock(&c.mutex);
    if (r == 0)
      pthread_mutex_unlock(&c.mutex);
    break;
  case K_BARRIER:
    r = pthread_barrier_wait(&c.barrier);
    if (r == PTHREAD_BARRIER_SERIAL_THREAD)
      r = 0;
    break;
  case K_JOIN:
    r = pthread_join(c.other, NULL);
    break;
  case K_NANOSLEEP: {
    struct timespec ts = {60, 0};
    r = nanosleep(&ts, &ts);
    break;
  }
  case K_WAITPID: {
    int st;
    r = waitpid(c.child, &st, 0);
    if (r == c.child)
      r = WEXITSTATUS(st);
    break;
  }
  case K_ACCEPT:
    r = accept(c.lsock, NULL, NULL);
    if (r >= 0) {
      close((int)r);
      r = 0;
    }
    break;
  case K_RECV_TIMEO:
    r = recv(c.rsock, buf, sizeof buf, 0);
    break;
  case K_PAUSE:
    r = pause();
    break;
  case K_SIGWAITINFO: {
    sigset_t u2;
    sigemptyset(&u2);
    sigaddset(&u2, SIGUSR2);
    r = sigwaitinfo(&u2, NULL);
    break;
  }
  case K_SPIN:
    while (!atomic_load_explicit(&c.release, memory_order_relaxed))
      spins++;
    break;
  case K_COUNT:
    break;
  }
  c.r = r;
  c.err = errno;
  return NULL;
}

static void set_nonblock(int fd, int on) {
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static void setup(enum kind k) {
  memset(&c, 0, sizeof c);
  c.kind = k;
  c.ep = c.lsock = c.rsock = c.wsock = -1;
  c.child = -1;
  if (pipe(c.p) || pipe(c.q))
    die("pipe");
  switch (k) {
  case K_WRITE: { /* fill the pipe so the next write blocks */
    char chunk[4096];
    memset(chunk, 'f', sizeof chunk);
    set_nonblock(c.p[1], 1);
    while (write(c.p[1], chunk, sizeof chunk) > 0)
      ;
    while (write(c.p[1], chunk, 1) > 0)
      ;
    set_nonblock(c.p[1], 0);
    break;
  }
  case K_EPOLL: {
    c.ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN};
    if (c.ep < 0 || epoll_ctl(c.ep, EPOLL_CTL_ADD, c.p[0], &ev))
      die("epoll");
    break;
  }
  case K_SEM:
  case K_SEM_TIMED:
    sem_init(&c.sem, 0, 0);
    break;
  case K_MUTEX:
    pthread_mutex_init(&c.mutex, NULL);
    pthread_mutex_lock(&c.mutex);
    break;
  case K_BARRIER:
    pthread_barrier_init(&c.barrier, NULL, 2);
    break;
  case K_JOIN:
    if (pthread_create(&c.other, NULL, other_thread, NULL))
      die("pthread_create");
    break;
  case K_WAITPID:
    c.child = fork();
    if (c.child < 0)
      die("fork");
    if (c.child == 0) {
      char b;
      _exit(read(c.q[0], &b, 1) == 1 ? 7 : 2);
    }
    break;
  case K_ACCEPT:
    c.lsock = socket(AF_UNIX, SOCK_STREAM, 0);
    c.addr.sun_family = AF_UNIX;
    /* an abstract address: nothing on disk */
    snprintf(c.addr.sun_path + 1, sizeof c.addr.sun_path - 1, "async_blocked_calls.%d",
             (int)getpid());
    if (c.lsock < 0 || bind(c.lsock, (struct sockaddr *)&c.addr, sizeof c.addr) ||
        listen(c.lsock, 1))
      die("listen");
    break;
  case K_RECV_TIMEO: {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
      die("socketpair");
    c.rsock = sv[0];
    c.wsock = sv[1];
    struct timeval tv = {60, 0};
    setsockopt(c.rsock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    break;
  }
  default:
    break;
  }
}

/* Lets the call finish if the signal did not end it. */
static void release(void) {
  switch (c.kind) {
  case K_READ:
  case K_SELECT:
  case K_POLL:
  case K_EPOLL:
    if (write(c.p[1], "hello", 5) != 5)
      die("write");
    break;
  case K_WRITE: {
    char buf[4096];
    set_nonblock(c.p[0], 1);
    while (read(c.p[0], buf, sizeof buf) > 0)
      ;
    break;
  }
  case K_SEM:
  case K_SEM_TIMED:
    sem_post(&c.sem);
    break;
  case K_MUTEX:
    pthread_mutex_unlock(&c.mutex);
    break;
  case K_BARRIER:
    pthread_barrier_wait(&c.barrier);
    break;
  case K_JOIN:
  case K_WAITPID:
    if (write(c.q[1], "g", 1) != 1)
      die("write");
    break;
  case K_ACCEPT: {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&c.addr, sizeof c.addr))
      die("connect");
    close(s);
    break;
  }
  case K_RECV_TIMEO:
    if (write(c.wsock, "hello", 5) != 5)
      die("write");
    break;
  case K_SPIN:
    atomic_store(&c.release, 1);
    break;
  default: /* nanosleep, pause, sigwaitinfo: nothing ends them but a signal */
    break;
  }
}

static void teardown(void) {
  if (c.kind == K_JOIN && c.r != 0)
    pthread_join(c.other, NULL);
  if (c.kind == K_WAITPID && c.r != 7)
    waitpid(c.child, NULL, 0);
  if (c.kind == K_SEM || c.kind == K_SEM_TIMED)
    sem_destroy(&c.sem);
  if (c.kind == K_MUTEX)
    pthread_mutex_destroy(&c.mutex);
  if (c.kind == K_BARRIER)
    pthread_barrier_destroy(&c.barrier);
  int fds[] = {c.p[0], c.p[1], c.q[0], c.q[1], c.ep, c.lsock, c.rsock, c.wsock};
  for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
    if (fds[i] >= 0)
      close(fds[i]);
}

static const char *err_name(int e) {
  switch (e) {
  case EINTR:
    return "EINTR";
  case EAGAIN:
    return "EAGAIN";
  default:
    return strerror(e);
  }
}

static void run(enum kind k, int restart) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = restart ? SA_RESTART : 0;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  setup(k);
  atomic_store(&handler_ran, 0);
  atomic_store(&handler_tid, 0);
  pthread_t t;
  if (pthread_create(&t, NULL, target, NULL))
    die("pthread_create");
  while (!atomic_load(&c.entered))
    sched_yield();
  wait_task_state(getpid(), c.tid, k == K_SPIN ? 'R' : 'S');
  pthread_kill(t, SIGUSR1);
  while (!atomic_load(&handler_ran)) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  release();
  pthread_join(t, NULL);
  say("%s %s: handler ran on the thread: %s; ", names[k], restart ? "SA_RESTART" : "no SA_RESTART",
      atomic_load(&handler_tid) == (int)c.tid ? "yes" : "no");
  if (k == K_SPIN)
    say("it went on spinning until released\n");
  else if (c.r == -1)
    say("%s returned -1 %s\n", names[k], err_name(c.err));
  else if (k == K_MUTEX || k == K_BARRIER || k == K_JOIN)
    say("%s returned %ld once released (resumed)\n", names[k], c.r);
  else
    say("%s returned %ld once released (restarted)\n", names[k], c.r);
  teardown();
}

int main(void) {
  watchdog();
  sigset_t usr;
  sigemptyset(&usr);
  sigaddset(&usr, SIGUSR1);
  sigaddset(&usr, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr, NULL); /* only the target takes SIGUSR1 */
  for (int k = 0; k < K_COUNT; k++)
    for (int restart = 0; restart <= 1; restart++)
      run((enum kind)k, restart);
  return 0;
}
