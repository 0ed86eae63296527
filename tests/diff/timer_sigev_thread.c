/* SPDX-License-Identifier: MIT */
/* Pins down SIGEV_THREAD POSIX timers: the notify function runs in a thread other than the
 * caller's with sigev_value, once per expiry of a periodic 10 ms timer (counted by a semaphore). */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
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
#define N 10

static sem_t sem;
static pthread_t main_thread;
static int marker;
static int runs, bad_value, in_main;
static char notify_mask[1024];

static void notify(union sigval v) {
  int n = __atomic_add_fetch(&runs, 1, __ATOMIC_SEQ_CST);
  if (v.sival_ptr != &marker)
    __atomic_store_n(&bad_value, 1, __ATOMIC_SEQ_CST);
  if (pthread_equal(pthread_self(), main_thread))
    __atomic_store_n(&in_main, 1, __ATOMIC_SEQ_CST);
  if (n == 1)
    snprintf(notify_mask, sizeof notify_mask, "%s", maskstr());
  if (n <= N)
    sem_post(&sem);
}

static int once_value;
static void notify_once(union sigval v) {
  once_value = v.sival_int;
  sem_post(&sem);
}

int main(void) {
  start();
  main_thread = pthread_self();
  sem_init(&sem, 0, 0);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  say("creator's mask: %s\n", maskstr());

  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD;
  sev.sigev_notify_function = notify;
  sev.sigev_value.sival_ptr = &marker;
  timer_t t;
  int r = timer_create(CLOCK_MONOTONIC, &sev, &t);
  say("timer_create(CLOCK_MONOTONIC, SIGEV_THREAD): %d\n", r);
  struct itimerspec its = {{0, 10000000}, {0, 10000000}};
  say("timer_settime(10 ms periodic): %d\n", timer_settime(t, 0, &its, NULL));
  for (int i = 0; i < N; i++)
    while (sem_wait(&sem) != 0)
      ;
  timer_delete(t);
  say("after %d posts: notify ran at least %d times: %s; always with sigev_value: %s; "
      "in the main thread: %s\n",
      N, N, __atomic_load_n(&runs, __ATOMIC_SEQ_CST) >= N ? "yes" : "no",
      __atomic_load_n(&bad_value, __ATOMIC_SEQ_CST) ? "no" : "yes",
      __atomic_load_n(&in_main, __ATOMIC_SEQ_CST) ? "yes" : "no");
  say("the notify thread's mask: %s\n", notify_mask);

  /* One shot, CLOCK_REALTIME, an int value. */
  sev.sigev_notify_function = notify_once;
  sev.sigev_value.sival_int = 42;
  r = timer_create(CLOCK_REALTIME, &sev, &t);
  struct itimerspec one = {{0, 0}, {0, 5000000}};
  timer_settime(t, 0, &one, NULL);
  while (sem_wait(&sem) != 0)
    ;
  say("one-shot SIGEV_THREAD timer: notify got %d\n", once_value);
  struct itimerspec left;
  timer_gettime(t, &left);
  say("timer_gettime after it fired: %ld.%09ld, interval %ld.%09ld\n", (long)left.it_value.tv_sec,
      left.it_value.tv_nsec, (long)left.it_interval.tv_sec, left.it_interval.tv_nsec);
  say("timer_delete: %d\n", timer_delete(t));
  say("pending in main: %s\n", pendstr());
  return 0;
}
