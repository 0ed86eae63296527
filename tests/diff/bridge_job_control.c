/* SPDX-License-Identifier: MIT */
/* Native: SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU stop a child (not in an orphaned group), SIGCONT resumes
 * it; waitpid(WUNTRACED|WCONTINUED) and SIGCHLD (CLD_STOPPED/CONTINUED) report each step. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Unbuffered output: nothing is duplicated by fork or lost by _exit. */
static void say(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1)
    n = (int)sizeof buf - 1;
  if (n > 0 && write(1, buf, (size_t)n) < 0)
    _exit(98);
}

static void on_watchdog(int sig) {
  (void)sig;
  static const char m[] = "watchdog\n";
  if (write(1, m, sizeof m - 1) < 0)
    _exit(98);
  _exit(99);
}

__attribute__((unused)) static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

__attribute__((unused)) static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}

#define LOG_MAX 32
static struct { int code, status; } chld[LOG_MAX];
static volatile sig_atomic_t nchld;
static sigset_t unblocked;
static int ack[2]; /* the child's handlers write here */

static void on_chld(int sig, siginfo_t *si, void *uc) {
  (void)sig;
  (void)uc;
  if (nchld < LOG_MAX) {
    chld[nchld].code = si->si_code;
    chld[nchld].status = si->si_status;
  }
  nchld = nchld + 1;
}

static void child_handler(int sig) {
  char b = sig == SIGCONT ? 'c' : 'h';
  if (write(ack[1], &b, 1) != 1)
    _exit(98);
}

static const char *code_name(int c) {
  switch (c) {
  case CLD_EXITED:
    return "CLD_EXITED";
  case CLD_KILLED:
    return "CLD_KILLED";
  case CLD_STOPPED:
    return "CLD_STOPPED";
  case CLD_CONTINUED:
    return "CLD_CONTINUED";
  default:
    return "other";
  }
}

/* One event: the SIGCHLD it sends, then what waitpid says. The SIGCHLD comes first: a waitpid
 * that reports a stop clears the stop code, which a CLD_STOPPED sent just after would carry as
 * si_status 0 (the kernel reads it after marking the child stopped). Waiting for each SIGCHLD
 * before the next event also keeps two of them from merging. */
static void step(pid_t c) {
  int st, seen = nchld;
  while (nchld == seen)
    sigsuspend(&unblocked);
  if (waitpid(c, &st, WUNTRACED | WCONTINUED) != c)
    die("waitpid");
  if (WIFSTOPPED(st))
    say("  waitpid: stopped, WSTOPSIG %d\n", WSTOPSIG(st));
  else if (WIFCONTINUED(st))
    say("  waitpid: continued\n");
  else if (WIFEXITED(st))
    say("  waitpid: exited %d\n", WEXITSTATUS(st));
  else
    say("  waitpid: killed by signal %d\n", WTERMSIG(st));
  say("  SIGCHLD: %s, si_status %d\n", code_name(chld[seen].code), chld[seen].status);
}

static void expect_ack(const char *what) {
  char b;
  if (read(ack[0], &b, 1) != 1)
    die("read");
  say("  the child's %s handler ran\n", what);
}

enum how { RAISE_STOP, SEND, TSTP_HANDLER, STOP_THEN_KILL };

static void run(const char *what, enum how how, int sig) {
  say("%s:\n", what);
  int ready[2], go[2];
  if (pipe(ready) || pipe(go) || pipe(ack))
    die("pipe");
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    setpgid(0, 0); /* its own group, whose parent is outside it: not orphaned */
    sigprocmask(SIG_SETMASK, &unblocked, NULL);
    signal(SIGCHLD, SIG_DFL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = child_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (how == RAISE_STOP)
      sigaction(SIGCONT, &sa, NULL);
    if (how == TSTP_HANDLER)
      sigaction(SIGTSTP, &sa, NULL);
    if (write(ready[1], "r", 1) != 1)
      _exit(2);
    if (how == RAISE_STOP)
      raise(SIGSTOP);
    char b;
    _exit(read(go[0], &b, 1) == 1 ? 0 : 3);
  }
  setpgid(c, c);
  char b;
  if (read(ready[0], &b, 1) != 1)
    die("read");
  if (how != RAISE_STOP)
    kill(c, sig);
  if (how == TSTP_HANDLER) {
    expect_ack("SIGTSTP");
  } else {
    step(c);
    if (how == STOP_THEN_KILL) {
      kill(c, SIGKILL);
      step(c);
      goto out;
    }
    kill(c, SIGCONT);
    step(c);
    if (how == RAISE_STOP)
      expect_ack("SIGCONT");
  }
  if (write(go[1], "g", 1) != 1)
    die("write");
  step(c);
out:
  close(ready[0]);
  close(ready[1]);
  close(go[0]);
  close(go[1]);
  close(ack[0]);
  close(ack[1]);
}

int main(void) {
  watchdog();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_chld;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGCHLD, &sa, NULL);
  sigset_t chldset;
  sigemptyset(&chldset);
  sigaddset(&chldset, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chldset, &unblocked);

  run("the child raises SIGSTOP (it has a SIGCONT handler)", RAISE_STOP, SIGSTOP);
  run("kill SIGSTOP", SEND, SIGSTOP);
  run("kill SIGTSTP, default action", SEND, SIGTSTP);
  run("kill SIGTTIN, default action", SEND, SIGTTIN);
  run("kill SIGTTOU, default action", SEND, SIGTTOU);
  run("kill SIGSTOP, then SIGKILL while stopped", STOP_THEN_KILL, SIGSTOP);
  run("kill SIGTSTP, the child has a handler", TSTP_HANDLER, SIGTSTP);
  return 0;
}
