/* SPDX-License-Identifier: MIT */
/* Pins down waitid(P_PID, child, &info, ...) filling a siginfo_t (exit, kill, stop, continue,
 * WNOHANG, WNOWAIT, errors) and the SIGCHLD siginfo that sigwaitinfo takes for each event. */
/* diff-asan */
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
static const char *cld(int code) {
  switch (code) {
  case CLD_EXITED:
    return "CLD_EXITED";
  case CLD_KILLED:
    return "CLD_KILLED";
  case CLD_DUMPED:
    return "CLD_DUMPED";
  case CLD_STOPPED:
    return "CLD_STOPPED";
  case CLD_CONTINUED:
    return "CLD_CONTINUED";
  case 0:
    return "0";
  default:
    return "other";
  }
}

static pid_t child;

static void show(const char *what, int r, const siginfo_t *si) {
  if (r != 0) {
    say("%s: %d %s\n", what, r, errname(errno));
    return;
  }
  int is_signal = si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED ||
                  si->si_code == CLD_STOPPED || si->si_code == CLD_CONTINUED;
  char status[32];
  if (is_signal)
    snprintf(status, sizeof status, "%s", signame(si->si_status));
  else
    snprintf(status, sizeof status, "%d", si->si_status);
  say("%s: 0, si_signo %s, si_code %s, si_status %s, si_pid %s, si_uid %s\n", what,
      si->si_signo ? signame(si->si_signo) : "0", cld(si->si_code), status,
      si->si_pid == child ? "the child"
      : si->si_pid == 0   ? "0"
                          : "other",
      si->si_uid == getuid() ? "ours"
      : si->si_uid == 0      ? "0"
                             : "other");
}

static sigset_t chld;

/* The SIGCHLD the event left pending. */
static void take_sigchld(const char *what) {
  siginfo_t si;
  memset(&si, 0x5a, sizeof si);
  int s = sigwaitinfo(&chld, &si);
  say("  %s: sigwaitinfo %s, si_code %s, si_status %d, si_pid %s\n", what, signame(s),
      cld(si.si_code), si.si_status, si.si_pid == child ? "the child" : "other");
}

static pid_t spawn(int how) {
  int p[2];
  if (pipe(p))
    _exit(1);
  pid_t c = fork();
  if (c == 0) {
    alarm(30);
    close(p[0]);
    if (how >= 0) {
      close(p[1]);
      _exit(how);
    }
    if (write(p[1], "r", 1) != 1)
      _exit(2);
    for (;;)
      pause();
  }
  close(p[1]);
  char ch;
  if (how < 0 && read(p[0], &ch, 1) != 1)
    say("the child did not start\n");
  close(p[0]);
  return c;
}

int main(void) {
  start();
  signal(SIGCHLD, SIG_DFL);
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &chld, NULL);
  siginfo_t si;
  int r;

  child = spawn(7);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT);
  show("waitid(WEXITED | WNOWAIT), exit(7)", r, &si);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WEXITED);
  show("waitid(WEXITED) again", r, &si);
  take_sigchld("SIGCHLD");
  r = waitid(P_PID, (id_t)child, &si, WEXITED);
  show("waitid on the reaped child", r, &si);

  child = spawn(-1);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG);
  show("waitid(WEXITED | WNOHANG), child running", r, &si);
  kill(child, SIGSTOP);
  /* The SIGCHLD first: a stop-wait clears the stop code, and the kernel reads that code for
   * CLD_STOPPED's si_status only after marking the child stopped, so a waitid that wins the
   * race leaves si_status 0, natively too. */
  take_sigchld("SIGCHLD");
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WSTOPPED);
  show("waitid(WSTOPPED) after SIGSTOP", r, &si);
  kill(child, SIGCONT);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WCONTINUED);
  show("waitid(WCONTINUED) after SIGCONT", r, &si);
  take_sigchld("SIGCHLD");
  kill(child, SIGTERM);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_PID, (id_t)child, &si, WEXITED);
  show("waitid(WEXITED) after SIGTERM", r, &si);
  take_sigchld("SIGCHLD");

  child = spawn(0);
  memset(&si, 0xa5, sizeof si);
  r = waitid(P_ALL, 0, &si, WEXITED);
  show("waitid(P_ALL), exit(0)", r, &si);
  take_sigchld("SIGCHLD");
  r = waitid(P_ALL, 0, &si, WEXITED);
  show("waitid(P_ALL) with no children", r, &si);
  r = waitid(P_PID, (id_t)getpid(), &si, 0);
  show("waitid(options 0)", r, &si);
  struct timespec zero = {0, 0};
  say("SIGCHLD still pending: %s\n", sigtimedwait(&chld, NULL, &zero) == SIGCHLD ? "yes" : "no");
  return 0;
}
