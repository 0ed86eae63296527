/* SPDX-License-Identifier: MIT */
/* Pins down process-directed delivery: kill(getpid(), SIGUSR1) reaches the one thread that
 * has SIGUSR1 unblocked, whether it waits in sigsuspend or runs its own code, exactly once. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void say(const char *fmt, ...) {
  int saved = errno;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof buf)
    n = (int)sizeof buf - 1;
  for (const char *p = buf; n > 0;) {
    ssize_t w = write(1, p, (size_t)n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    p += w;
    n -= (int)w;
  }
  errno = saved;
}

/* "SIGUSR1", "SIGRTMIN+2": real-time signals relative to SIGRTMIN, never a number. */
__attribute__((unused)) static const char *signame(int sig) {
  static char bufs[8][32];
  static unsigned next;
  char *b = bufs[next++ % 8];
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    if (sig == SIGRTMAX)
      snprintf(b, sizeof bufs[0], "SIGRTMAX");
    else if (sig == SIGRTMIN)
      snprintf(b, sizeof bufs[0], "SIGRTMIN");
    else
      snprintf(b, sizeof bufs[0], "SIGRTMIN+%d", sig - SIGRTMIN);
  } else if (sig > 0 && sigabbrev_np(sig)) {
    snprintf(b, sizeof bufs[0], "SIG%s", sigabbrev_np(sig));
  } else {
    snprintf(b, sizeof bufs[0], "signal %d", sig);
  }
  return b;
}

__attribute__((unused)) static const char *errname(int e) {
  const char *s = e ? strerrorname_np(e) : "0";
  return s ? s : "unknown errno";
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  ssize_t r = write(1, m, sizeof m - 1);
  (void)r;
  _exit(99);
}

/* Empty mask, default actions for what the program uses, and a 30 s watchdog. */
__attribute__((unused)) static void start(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigaction(SIGALRM, &sa, NULL);
  alarm(30);
}
/* The members of SET among 1..31 and SIGRTMIN..SIGRTMAX, by name ("none" if empty). */
__attribute__((unused)) static const char *setstr(const sigset_t *set) {
  static char bufs[4][1024];
  static unsigned next;
  char *b = bufs[next++ % 4];
  size_t len = 0;
  b[0] = 0;
  int rt = 0;
  for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
    rt += sigismember(set, s) == 1;
  for (int s = 1; s <= SIGRTMAX; s++) {
    if (s >= 32 && s < SIGRTMIN)
      continue;
    if (s == SIGRTMIN && rt == SIGRTMAX - SIGRTMIN + 1) {
      len +=
          (size_t)snprintf(b + len, sizeof bufs[0] - len, "%sSIGRTMIN..SIGRTMAX", len ? " " : "");
      break;
    }
    if (sigismember(set, s) == 1)
      len += (size_t)snprintf(b + len, sizeof bufs[0] - len, "%s%s", len ? " " : "", signame(s));
  }
  return len ? b : "none";
}

__attribute__((unused)) static const char *maskstr(void) {
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  return setstr(&cur);
}

__attribute__((unused)) static const char *pendstr(void) {
  sigset_t p;
  sigpending(&p);
  return setstr(&p);
}
static pthread_t worker;
static sem_t ready;
static volatile sig_atomic_t runs, in_worker, in_other;

static void on_usr1(int sig) {
  (void)sig;
  runs++;
  if (pthread_equal(pthread_self(), worker))
    in_worker++;
  else
    in_other++;
}

/* Waits in sigsuspend: SIGUSR1 blocked outside it, so nothing is lost. */
static void *suspender(void *arg) {
  (void)arg;
  sigset_t none;
  sigemptyset(&none);
  sem_post(&ready);
  while (!runs)
    sigsuspend(&none);
  return NULL;
}

/* Unblocks SIGUSR1 and spins in its own code, in no call at all. */
static void *spinner(void *arg) {
  (void)arg;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  sem_post(&ready);
  while (!runs)
    __asm__ volatile("" ::: "memory");
  return NULL;
}

/* Unblocks SIGUSR1 and sleeps in read() on a pipe nobody writes: EINTR. */
static int never[2];
static int read_result, read_errno;
static _Atomic pid_t reader_tid; /* written by another thread */
static void *reader(void *arg) {
  (void)arg;
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  reader_tid = gettid();
  sem_post(&ready);
  char c;
  read_result = (int)read(never[0], &c, 1);
  read_errno = errno;
  return NULL;
}

/* The state letter of our thread TID in /proc, or 0. */
static char task_state(pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : 0;
}

static void round_with(const char *what, void *(*fn)(void *)) {
  runs = in_worker = in_other = 0;
  pthread_create(&worker, NULL, fn, NULL);
  while (sem_wait(&ready) != 0)
    ;
  if (fn == reader) /* until the reader is surely asleep in read() */
    for (int asleep = 0; asleep < 2;) {
      asleep = task_state(reader_tid) == 'S' ? asleep + 1 : 0;
      usleep(2000);
    }
  int r = kill(getpid(), SIGUSR1);
  pthread_join(worker, NULL);
  say("%s: kill %d, handler runs %d, in the worker %d, elsewhere %d, main's pending %s\n", what, r,
      (int)runs, (int)in_worker, (int)in_other, pendstr());
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  if (pipe(never))
    return 1;

  round_with("worker in sigsuspend", suspender);
  round_with("worker spinning with SIGUSR1 unblocked", spinner);
  /* No SA_RESTART: read fails with EINTR. */
  round_with("worker in read() with SIGUSR1 unblocked", reader);
  say("  read returned %d %s\n", read_result, errname(read_errno));

  /* The same with sigqueue and a value. */
  runs = in_worker = in_other = 0;
  pthread_create(&worker, NULL, suspender, NULL);
  while (sem_wait(&ready) != 0)
    ;
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 1});
  pthread_join(worker, NULL);
  say("sigqueue to the process: handler runs %d, in the worker %d, elsewhere %d\n", (int)runs,
      (int)in_worker, (int)in_other);
  say("main's mask: %s\n", maskstr());
  return 0;
}
