/* SPDX-License-Identifier: MIT */
/* Pins down glibc's System V signal calls sighold, sigrelse and sigignore: they
 * change the calling thread's mask and disposition exactly as sigprocmask/sigaction. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

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
static volatile sig_atomic_t usr1_runs;
static void on_usr1(int sig) {
  (void)sig;
  usr1_runs++;
}

static const char *disp(int sig) {
  struct sigaction old;
  if (sigaction(sig, NULL, &old) != 0)
    return errname(errno);
  if (old.sa_handler == SIG_DFL)
    return "SIG_DFL";
  if (old.sa_handler == SIG_IGN)
    return "SIG_IGN";
  return old.sa_handler == on_usr1 ? "on_usr1" : "another handler";
}

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sa.sa_handler = SIG_DFL;
  sigaction(SIGUSR2, &sa, NULL);

  result("sighold(SIGUSR1)", sighold(SIGUSR1));
  say("mask after sighold: %s\n", maskstr());
  raise(SIGUSR1);
  say("handler runs after raise while held: %d\n", (int)usr1_runs);
  say("sigpending after sighold: %s\n", pendstr());
  result("sighold(SIGUSR1) again", sighold(SIGUSR1));
  say("mask: %s\n", maskstr());
  result("sigrelse(SIGUSR1)", sigrelse(SIGUSR1));
  say("handler runs after sigrelse: %d\n", (int)usr1_runs);
  say("mask after sigrelse: %s\n", maskstr());
  say("sigpending after sigrelse: %s\n", pendstr());
  result("sigrelse(SIGUSR1) again", sigrelse(SIGUSR1));

  result("sighold(SIGRTMIN+1)", sighold(SIGRTMIN + 1));
  result("sighold(SIGHUP)", sighold(SIGHUP));
  say("mask: %s\n", maskstr());
  result("sigrelse(SIGRTMIN+1)", sigrelse(SIGRTMIN + 1));
  result("sigrelse(SIGHUP)", sigrelse(SIGHUP));
  say("mask: %s\n", maskstr());

  /* Blocking SIGKILL/SIGSTOP is silently ignored; invalid numbers fail. */
  result("sighold(SIGKILL)", sighold(SIGKILL));
  result("sighold(SIGSTOP)", sighold(SIGSTOP));
  say("mask: %s\n", maskstr());
  result("sighold(0)", sighold(0));
  result("sighold(65)", sighold(65));
  result("sigrelse(-1)", sigrelse(-1));
  result("sigrelse(65)", sigrelse(65));

  /* sigignore: SIG_IGN, which also discards a pending instance. */
  say("SIGUSR2 disposition: %s\n", disp(SIGUSR2));
  sighold(SIGUSR2);
  raise(SIGUSR2);
  say("sigpending with SIGUSR2 held: %s\n", pendstr());
  result("sigignore(SIGUSR2)", sigignore(SIGUSR2));
  say("SIGUSR2 disposition after sigignore: %s\n", disp(SIGUSR2));
  say("sigpending after sigignore: %s\n", pendstr());
  say("mask after sigignore (sigignore does not unblock): %s\n", maskstr());
  sigrelse(SIGUSR2);
  raise(SIGUSR2);
  say("raise(SIGUSR2) while ignored: still alive\n");
  result("sigignore(SIGKILL)", sigignore(SIGKILL));
  result("sigignore(SIGSTOP)", sigignore(SIGSTOP));
  result("sigignore(0)", sigignore(0));
  result("sigignore(65)", sigignore(65));
  say("SIGUSR1 disposition: %s\n", disp(SIGUSR1));
  result("sigignore(SIGUSR1)", sigignore(SIGUSR1));
  say("SIGUSR1 disposition after sigignore: %s\n", disp(SIGUSR1));
  raise(SIGUSR1);
  say("handler runs after raise while ignored: %d\n", (int)usr1_runs);
  return 0;
}
