/* SPDX-License-Identifier: MIT */
/* Pins down the sizes of glibc's signal-related types (x86_64/glibc here), which a
 * compatibility library must take and give unchanged; and a siginfo_t filled whole. */
/* diff-asan */
#include <aio.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
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
int main(void) {
  start();
  say("sizeof(siginfo_t) %zu\n", sizeof(siginfo_t));
  say("sizeof(sigset_t) %zu\n", sizeof(sigset_t));
  say("sizeof(posix_spawnattr_t) %zu\n", sizeof(posix_spawnattr_t));
  say("sizeof(struct aiocb) %zu\n", sizeof(struct aiocb));
  say("sizeof(struct sigevent) %zu\n", sizeof(struct sigevent));
  say("sizeof(struct sigaction) %zu\n", sizeof(struct sigaction));
  say("sizeof(stack_t) %zu\n", sizeof(stack_t));
  say("sizeof(union sigval) %zu\n", sizeof(union sigval));
  say("sizeof(struct itimerspec) %zu, sizeof(struct itimerval) %zu\n", sizeof(struct itimerspec),
      sizeof(struct itimerval));
  say("sizeof(timer_t) %zu, sizeof(pthread_t) %zu\n", sizeof(timer_t), sizeof(pthread_t));
  say("NSIG %d, _NSIG %d\n", NSIG, _NSIG);

  /* Every byte of a siginfo_t from sigwaitinfo is written or left as it was: fill it
   * with a pattern, take a queued signal, and look at the fields. */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 0x1234});
  siginfo_t si;
  memset(&si, 0xa5, sizeof si);
  int s = sigwaitinfo(&set, &si);
  say("sigwaitinfo: %s, si_signo %s, si_errno %d, si_code %s, value %#x, si_pid ours %s\n",
      signame(s), signame(si.si_signo), si.si_errno, si.si_code == SI_QUEUE ? "SI_QUEUE" : "other",
      si.si_value.sival_int, si.si_pid == getpid() ? "yes" : "no");
  /* The kernel zeroes the rest of the structure. */
  size_t tail = (size_t)((char *)&si.si_value - (char *)&si) + sizeof si.si_value, nonzero = 0;
  for (size_t i = tail; i < sizeof si; i++)
    nonzero += ((unsigned char *)&si)[i] != 0;
  say("bytes after si_value that are not zero: %zu\n", nonzero);
  return 0;
}
