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

#include "diff_common.h"
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
