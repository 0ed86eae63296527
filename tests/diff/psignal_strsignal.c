/* SPDX-License-Identifier: MIT */
/* Pins down glibc's signal names and texts: strsignal, sigabbrev_np, sigdescr_np (real-time
 * ones relative to SIGRTMIN), psignal, and psiginfo on a sigqueue'd, killed, raised, timer siginfo.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
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
static int err_pipe[2], saved_stderr;

/* stderr into a pipe while F runs; what it wrote goes to stdout, our pid and uid as
 * <pid> and <uid>. */
static void capture_begin(void) {
  fflush(stderr);
  if (pipe(err_pipe))
    _exit(1);
  saved_stderr = dup(2);
  dup2(err_pipe[1], 2);
}

static void capture_end(const char *what) {
  fflush(stderr);
  dup2(saved_stderr, 2);
  close(saved_stderr);
  close(err_pipe[1]);
  char buf[1024], out[2048];
  ssize_t n = read(err_pipe[0], buf, sizeof buf - 1);
  close(err_pipe[0]);
  buf[n > 0 ? n : 0] = 0;
  char pid[32], uid[32];
  snprintf(pid, sizeof pid, "%d", (int)getpid());
  snprintf(uid, sizeof uid, "%d", (int)getuid());
  size_t o = 0;
  for (const char *p = buf; *p && o < sizeof out - 8;) {
    if (strncmp(p, pid, strlen(pid)) == 0 && (p == buf || p[-1] == ' ')) {
      o += (size_t)snprintf(out + o, sizeof out - o, "<pid>");
      p += strlen(pid);
    } else if (strncmp(p, uid, strlen(uid)) == 0 && p[-1] == ' ' &&
               (p[strlen(uid)] == ')' || p[strlen(uid)] == ' ')) {
      o += (size_t)snprintf(out + o, sizeof out - o, "<uid>");
      p += strlen(uid);
    } else {
      out[o++] = *p++;
    }
  }
  out[o] = 0;
  say("%s wrote to stderr: \"", what);
  for (char *line = out; *line;) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = 0;
    say("%s%s", line, nl ? "\\n" : "");
    line = nl ? nl + 1 : line + strlen(line);
  }
  say("\"\n");
}

static void names(int sig, const char *label) {
  char text[128];
  snprintf(text, sizeof text, "%s", strsignal(sig));
  const char *ab = sigabbrev_np(sig), *de = sigdescr_np(sig);
  say("%s: strsignal \"%s\", sigabbrev_np %s%s%s, sigdescr_np %s%s%s\n", label, text,
      ab ? "\"" : "", ab ? ab : "NULL", ab ? "\"" : "", de ? "\"" : "", de ? de : "NULL",
      de ? "\"" : "");
}

static void show_psiginfo(const char *what, int sig, const char *prefix) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  siginfo_t si;
  if (sigwaitinfo(&set, &si) != sig) {
    say("sigwaitinfo failed\n");
    return;
  }
  capture_begin();
  psiginfo(&si, prefix);
  capture_end(what);
}

int main(void) {
  start();
  names(SIGHUP, "SIGHUP");
  names(SIGUSR1, "SIGUSR1");
  names(SIGKILL, "SIGKILL");
  names(SIGSYS, "SIGSYS");
  names(SIGRTMIN, "SIGRTMIN");
  names(SIGRTMIN + 1, "SIGRTMIN+1");
  names(SIGRTMAX, "SIGRTMAX");
  names(0, "0");
  names(65, "65");
  names(-1, "-1");

  capture_begin();
  psignal(SIGUSR1, "psignal prefix");
  psignal(SIGRTMIN + 2, NULL);
  psignal(65, "bad");
  psignal(SIGTERM, "");
  capture_end("psignal x4");

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGUSR2);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 3});
  show_psiginfo("psiginfo, sigqueue", SIGUSR1, "queued");
  kill(getpid(), SIGUSR2);
  show_psiginfo("psiginfo, kill", SIGUSR2, "killed");
  /* (Not raise: the si_code of a tgkill to oneself is SI_TKILL on most kernels, SI_USER on
   * some, so psiginfo's text depends on the kernel.) */

  sigqueue(getpid(), SIGRTMIN, (union sigval){.sival_int = 4});
  show_psiginfo("psiginfo, sigqueue of SIGRTMIN", SIGRTMIN, "rt");
  return 0;
}
