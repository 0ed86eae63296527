/* SPDX-License-Identifier: MIT */
/* Pins down pthread_kill edge cases: (self, 0) as the very first signal call, signal 0 and
 * bad numbers, and a thread that has exited but is not joined yet (glibc 2.34+: 0). */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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
static volatile sig_atomic_t runs;
static volatile pthread_t handler_thread;
static void on_usr1(int sig) {
  (void)sig;
  runs++;
  handler_thread = pthread_self();
}

static _Atomic pid_t exited_tid; /* written by another thread */
static void *exits_at_once(void *arg) {
  (void)arg;
  exited_tid = gettid();
  return (void *)7;
}

static void result(const char *what, int r) { say("%s: %s\n", what, r == 0 ? "0" : errname(r)); }

int main(void) {
  /* Before anything else touches signals. */
  int first = pthread_kill(pthread_self(), 0);
  start();
  result("pthread_kill(pthread_self(), 0) as the first call", first);

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);

  result("pthread_kill(self, 0)", pthread_kill(pthread_self(), 0));
  result("pthread_kill(self, 65)", pthread_kill(pthread_self(), 65));
  result("pthread_kill(self, -1)", pthread_kill(pthread_self(), -1));
  result("pthread_kill(self, 1000)", pthread_kill(pthread_self(), 1000));
  say("handler runs: %d\n", (int)runs);
  result("pthread_kill(self, SIGUSR1)", pthread_kill(pthread_self(), SIGUSR1));
  say("handler runs when pthread_kill returned: %d, in this thread: %s\n", (int)runs,
      pthread_equal(handler_thread, pthread_self()) ? "yes" : "no");

  /* Blocked: stays pending on this thread. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  result("pthread_kill(self, SIGUSR1) while blocked", pthread_kill(pthread_self(), SIGUSR1));
  say("pending: %s, handler runs %d\n", pendstr(), (int)runs);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  say("after unblocking: pending %s, handler runs %d\n", pendstr(), (int)runs);

  /* A thread that has exited (its kernel task is gone) but is not joined. */
  pthread_t t;
  pthread_create(&t, NULL, exits_at_once, NULL);
  char path[64];
  while (!exited_tid)
    usleep(1000);
  snprintf(path, sizeof path, "/proc/self/task/%d", (int)exited_tid);
  struct stat stt;
  while (stat(path, &stt) == 0)
    usleep(1000);
  say("the thread's task is gone: yes\n");
  result("pthread_kill(exited thread, 0)", pthread_kill(t, 0));
  result("pthread_kill(exited thread, SIGUSR1)", pthread_kill(t, SIGUSR1));
  result("pthread_kill(exited thread, 65)", pthread_kill(t, 65));
  result("pthread_sigqueue(exited thread, SIGUSR1, 1)",
         pthread_sigqueue(t, SIGUSR1, (union sigval){.sival_int = 1}));
  void *ret = NULL;
  result("pthread_join(exited thread)", pthread_join(t, &ret));
  say("it returned %d\n", (int)(long)ret);
  say("handler runs: %d, pending: %s\n", (int)runs, pendstr());
  return 0;
}
