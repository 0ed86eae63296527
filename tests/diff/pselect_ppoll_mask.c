/* SPDX-License-Identifier: MIT */
/* Pins down pselect and ppoll's temporary mask: a pending signal it unblocks ends the call with
 * EINTR and its handler runs under that mask; one it blocks stays pending; a ready fd wins. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
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
static volatile sig_atomic_t runs[65], hup_blocked_inside[65];

static void on_sig(int sig) {
  runs[sig]++;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  hup_blocked_inside[sig] = sigismember(&cur, SIGHUP);
}

static sigset_t outside, temp;
static int pfd[2];

static void after(const char *what, int r, int e) {
  if (r < 0)
    say("%s: -1 %s\n", what, errname(e));
  else
    say("%s: %d\n", what, r);
  say("  handler runs USR1 %d (under the temporary mask: %s), USR2 %d; mask after: %s; pending: "
      "%s\n",
      (int)runs[SIGUSR1], runs[SIGUSR1] ? (hup_blocked_inside[SIGUSR1] ? "yes" : "no") : "-",
      (int)runs[SIGUSR2], maskstr(), pendstr());
  runs[SIGUSR1] = runs[SIGUSR2] = 0;
}

static int do_pselect(int with_fd, int zero_timeout, const sigset_t *mask) {
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(pfd[0], &rd);
  struct timespec zero = {0, 0}, longer = {25, 0};
  return pselect(with_fd ? pfd[0] + 1 : 0, with_fd ? &rd : NULL, NULL, NULL,
                 zero_timeout ? &zero : &longer, mask);
}

static int do_ppoll(int zero_timeout, const sigset_t *mask) {
  struct pollfd p = {.fd = pfd[0], .events = POLLIN};
  struct timespec zero = {0, 0};
  return ppoll(&p, 1, zero_timeout ? &zero : NULL, mask);
}

static void *sender(void *arg) {
  (void)arg;
  /* USR1 is blocked here (inherited), so the process-directed signal waits for a
   * thread that unblocks it: main, inside ppoll. */
  kill(getpid(), SIGUSR1);
  return NULL;
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigemptyset(&outside);
  sigaddset(&outside, SIGUSR1);
  sigaddset(&outside, SIGUSR2);
  sigemptyset(&temp);
  sigaddset(&temp, SIGUSR2);
  sigaddset(&temp, SIGHUP);
  pthread_sigmask(SIG_SETMASK, &outside, NULL);
  if (pipe(pfd))
    return 1;
  say("mask outside: %s; temporary mask: %s\n", maskstr(), setstr(&temp));
  int r;

  raise(SIGUSR1);
  r = do_pselect(0, 0, &temp);
  after("pselect, SIGUSR1 pending, 25 s timeout", r, errno);

  raise(SIGUSR2);
  r = do_pselect(0, 1, &temp);
  after("pselect, SIGUSR2 pending, zero timeout", r, errno);
  r = do_pselect(0, 1, NULL);
  after("pselect, SIGUSR2 pending, NULL mask, zero timeout", r, errno);

  raise(SIGUSR1);
  r = do_pselect(0, 1, NULL);
  after("pselect, SIGUSR1 and SIGUSR2 pending, NULL mask, zero timeout", r, errno);

  if (write(pfd[1], "x", 1) != 1)
    return 1;
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_pselect(1, 0, &temp);
  after("pselect, SIGUSR1 pending and the pipe readable", r, errno);
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_ppoll(0, &temp);
  after("ppoll, SIGUSR1 pending and the pipe readable", r, errno);
  char c;
  if (read(pfd[0], &c, 1) != 1)
    return 1;

  raise(SIGUSR1);
  r = do_ppoll(0, &temp);
  after("ppoll, SIGUSR1 pending, no timeout", r, errno);

  raise(SIGUSR1);
  raise(SIGUSR2);
  sigset_t both = temp;
  sigaddset(&both, SIGUSR1);
  r = do_ppoll(1, &both);
  after("ppoll, SIGUSR1 pending, a temporary mask that blocks it too, zero timeout", r, errno);

  sigset_t none;
  sigemptyset(&none);
  raise(SIGUSR1);
  raise(SIGUSR2);
  r = do_ppoll(1, &none);
  after("ppoll, both pending, empty temporary mask", r, errno);

  /* A signal that arrives while the call waits. */
  pthread_t t;
  pthread_create(&t, NULL, sender, NULL);
  r = do_ppoll(0, &temp);
  after("ppoll, kill(getpid(), SIGUSR1) from a thread", r, errno);
  pthread_join(t, NULL);
  pthread_create(&t, NULL, sender, NULL);
  r = do_pselect(0, 0, &temp);
  after("pselect, kill(getpid(), SIGUSR1) from a thread", r, errno);
  pthread_join(t, NULL);

  /* Errors leave the mask alone and deliver nothing. */
  raise(SIGUSR1);
  struct timespec bad = {0, 1000000000};
  struct pollfd p = {.fd = pfd[0], .events = POLLIN};
  r = ppoll(&p, 1, &bad, &temp);
  after("ppoll, SIGUSR1 pending, timeout {0, 1e9}", r, errno);
  raise(SIGUSR1);
  r = pselect(-1, NULL, NULL, NULL, NULL, &temp);
  after("pselect, SIGUSR1 pending, nfds -1", r, errno);
  raise(SIGUSR1);
  r = pselect(0, NULL, NULL, NULL, &bad, &temp);
  after("pselect, SIGUSR1 pending, timeout {0, 1e9}", r, errno);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  after("after emptying the mask", 0, 0);
  return 0;
}
