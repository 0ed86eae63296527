/* SPDX-License-Identifier: MIT */
/* Pins down kill(0, s), killpg(pgrp, s) and kill(-pgrp, s): each reaches the caller exactly
 * once (before the call returns) and a forked child in the same process group exactly once. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
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
static volatile sig_atomic_t runs[65];
static void on_sig(int sig) { runs[sig]++; }

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  /* Our own process group, so that kill(0, s) reaches nobody outside this test. */
  if (setpgid(0, 0) != 0) {
    say("setpgid failed: %s\n", errname(errno));
    return 1;
  }
  start();
  const int sigs[4] = {SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigset_t set;
  sigemptyset(&set);
  for (int i = 0; i < 4; i++) {
    sigaction(sigs[i], &sa, NULL);
    sigaddset(&set, sigs[i]);
  }
  say("process group is our pid: %s\n", getpgrp() == getpid() ? "yes" : "no");

  sigprocmask(SIG_BLOCK, &set, NULL);
  int ready[2], done[2];
  if (pipe(ready) || pipe(done))
    return 1;
  pid_t child = fork();
  if (child == 0) {
    alarm(30);
    sigset_t none;
    sigemptyset(&none);
    if (write(ready[1], "r", 1) != 1)
      _exit(2);
    while (!runs[SIGUSR1] || !runs[SIGUSR2] || !runs[SIGRTMIN] || !runs[SIGRTMIN + 1])
      sigsuspend(&none);
    /* Everything the parent sent was sent before "done": a second instance would
     * now be pending. */
    char c;
    if (read(done[0], &c, 1) != 1)
      _exit(3);
    say("child: pending before unblocking: %s\n", pendstr());
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    say("child: handler runs: SIGUSR1 %d, SIGUSR2 %d, SIGRTMIN %d, SIGRTMIN+1 %d\n",
        (int)runs[SIGUSR1], (int)runs[SIGUSR2], (int)runs[SIGRTMIN], (int)runs[SIGRTMIN + 1]);
    say("child: same process group as the parent: %s\n", getpgrp() == getppid() ? "yes" : "no");
    _exit(0);
  }
  sigprocmask(SIG_UNBLOCK, &set, NULL);
  char c;
  if (read(ready[0], &c, 1) != 1)
    return 1;

  result("kill(0, 0)", kill(0, 0));
  result("killpg(getpgrp(), 0)", killpg(getpgrp(), 0));
  result("kill(-getpgrp(), 0)", kill(-getpgrp(), 0));

  int r = kill(0, SIGUSR1);
  result("kill(0, SIGUSR1)", r);
  say("  caller's SIGUSR1 handler runs when kill returned: %d\n", (int)runs[SIGUSR1]);
  r = killpg(getpgrp(), SIGUSR2);
  result("killpg(getpgrp(), SIGUSR2)", r);
  say("  caller's SIGUSR2 handler runs when killpg returned: %d\n", (int)runs[SIGUSR2]);
  r = kill(-getpgrp(), SIGRTMIN);
  result("kill(-getpgrp(), SIGRTMIN)", r);
  say("  caller's SIGRTMIN handler runs when kill returned: %d\n", (int)runs[SIGRTMIN]);
  r = killpg(0, SIGRTMIN + 1);
  result("killpg(0, SIGRTMIN+1)", r);
  say("  caller's SIGRTMIN+1 handler runs when killpg returned: %d\n", (int)runs[SIGRTMIN + 1]);
  if (write(done[1], "d", 1) != 1)
    return 1;

  int st;
  waitpid(child, &st, 0);
  say("child exited with %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  say("caller's handler runs at the end: SIGUSR1 %d, SIGUSR2 %d, SIGRTMIN %d, SIGRTMIN+1 %d\n",
      (int)runs[SIGUSR1], (int)runs[SIGUSR2], (int)runs[SIGRTMIN], (int)runs[SIGRTMIN + 1]);
  say("pending at the end: %s\n", pendstr());

  /* Groups that do not exist, and bad arguments. The reaped child's pid names no
   * process and no group now. */
  result("killpg(reaped child's pid, SIGUSR1)", killpg(child, SIGUSR1));
  result("kill(-reaped child's pid, 0)", kill(-child, 0));
  result("killpg(-1, SIGUSR1)", killpg(-1, SIGUSR1));
  result("killpg(getpgrp(), 65)", killpg(getpgrp(), 65));
  result("kill(0, -1)", kill(0, -1));
  say("handler runs after the failed calls: SIGUSR1 %d\n", (int)runs[SIGUSR1]);
  return 0;
}
