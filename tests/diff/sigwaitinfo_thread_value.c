/* SPDX-License-Identifier: MIT */
/* Pins down sigwaitinfo in a thread taking process-directed sigqueue values from main (si_code
 * SI_QUEUE, si_pid, si_uid), also when sent before it waits; sigtimedwait's timeout and EAGAIN. */
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
static sigset_t set;
static sem_t took_first, sent_two;
static struct { int sig, code, value, pid_ok, uid_ok; } got[3];
static int timed_result, timed_errno;

static void *waiter(void *arg) {
  (void)arg;
  for (int i = 0; i < 3; i++) {
    if (i == 1) { /* main queues two signals before we wait again */
      sem_post(&took_first);
      while (sem_wait(&sent_two) != 0)
        ;
    }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    got[i].sig = sigwaitinfo(&set, &si);
    got[i].code = si.si_code;
    got[i].value = si.si_value.sival_int;
    got[i].pid_ok = si.si_pid == getpid();
    got[i].uid_ok = si.si_uid == getuid();
  }
  /* Nothing more comes: a short timed wait ends with EAGAIN. */
  struct timespec ms20 = {0, 20000000};
  siginfo_t si;
  timed_result = sigtimedwait(&set, &si, &ms20);
  timed_errno = errno;
  return NULL;
}

int main(void) {
  start();
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sem_init(&took_first, 0, 0);
  sem_init(&sent_two, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  /* Before or after the thread waits: the same. */
  int r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 1234});
  say("main: sigqueue(SIGRTMIN, 1234): %d\n", r);
  while (sem_wait(&took_first) != 0)
    ;
  r = sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 5678});
  int r2 = sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42});
  say("main: sigqueue(SIGRTMIN, 5678): %d, sigqueue(SIGUSR1, 42): %d\n", r, r2);
  say("main: pending as main sees it: %s\n", pendstr());
  sem_post(&sent_two);
  pthread_join(t, NULL);
  for (int i = 0; i < 3; i++)
    say("thread: sigwaitinfo %d: %s, si_code %s, value %d, si_pid ours %s, si_uid ours %s\n", i + 1,
        signame(got[i].sig), got[i].code == SI_QUEUE ? "SI_QUEUE" : "other", got[i].value,
        got[i].pid_ok ? "yes" : "no", got[i].uid_ok ? "yes" : "no");
  say("thread: sigtimedwait(20 ms) with nothing sent: %d %s\n", timed_result, errname(timed_errno));
  say("main: pending %s\n", pendstr());
  return 0;
}
