/* SPDX-License-Identifier: MIT */
/* Pins down kill between real processes: SIGTERM ends a child waiting in pause (WTERMSIG),
 * a handled signal ends its pause, sigqueue carries a value, signal 0 probes, ESRCH/EINVAL. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff_common.h"
static volatile sig_atomic_t runs;
static void on_usr1(int sig) {
  (void)sig;
  runs++;
}

static void result(const char *what, int r) {
  if (r == 0)
    say("%s: 0\n", what);
  else
    say("%s: %d %s\n", what, r, errname(errno));
}

static void describe(const char *who, int st) {
  if (WIFEXITED(st))
    say("%s: exited with %d\n", who, WEXITSTATUS(st));
  else if (WIFSIGNALED(st))
    say("%s: killed by %s\n", who, signame(WTERMSIG(st)));
  else if (WIFSTOPPED(st))
    say("%s: stopped by %s\n", who, signame(WSTOPSIG(st)));
  else if (WIFCONTINUED(st))
    say("%s: continued\n", who);
  else
    say("%s: status %#x\n", who, st);
}

/* Fork a child that writes one byte into the returned pipe when it is about to run
 * BODY, and wait for that byte. */
static pid_t spawn(void (*body)(void)) {
  int p[2];
  if (pipe(p))
    _exit(1);
  pid_t c = fork();
  if (c == 0) {
    alarm(30);
    close(p[0]);
    if (write(p[1], "r", 1) != 1)
      _exit(2);
    close(p[1]);
    body();
    _exit(0);
  }
  close(p[1]);
  char ch;
  if (read(p[0], &ch, 1) != 1)
    say("child did not start\n");
  close(p[0]);
  return c;
}

static void pause_forever(void) {
  for (;;)
    pause();
}

static void pause_once(void) {
  /* SIGUSR1 is blocked here (inherited): sigsuspend takes it atomically. */
  sigset_t none;
  sigemptyset(&none);
  int r = sigsuspend(&none);
  _exit(r == -1 && errno == EINTR ? 10 + runs : 1);
}

static void wait_value(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  siginfo_t si;
  int s = sigwaitinfo(&set, &si);
  say("child: sigwaitinfo returned %s, si_code %s, value %d, from the parent: %s\n", signame(s),
      si.si_code == SI_QUEUE ? "SI_QUEUE" : "other", si.si_value.sival_int,
      si.si_pid == getppid() ? "yes" : "no");
  say("child: kill(getppid(), 0): %d\n", kill(getppid(), 0));
}

int main(void) {
  start();
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  signal(SIGTERM, SIG_DFL);
  int st;

  result("kill(getpid(), 0)", kill(getpid(), 0));
  result("kill(getppid(), 0)", kill(getppid(), 0));

  /* SIGTERM's default action ends a child in pause. */
  pid_t c = spawn(pause_forever);
  result("kill(child, 0)", kill(c, 0));
  result("kill(child, SIGTERM)", kill(c, SIGTERM));
  waitpid(c, &st, 0);
  describe("child in pause after SIGTERM", st);
  say("WTERMSIG: %d (SIGTERM is %d)\n", WTERMSIG(st), SIGTERM);

  /* The reaped child's pid names nobody now. */
  result("kill(reaped child, SIGTERM)", kill(c, SIGTERM));
  result("kill(reaped child, 0)", kill(c, 0));
  result("sigqueue(reaped child, SIGUSR1)", sigqueue(c, SIGUSR1, (union sigval){0}));

  /* A handled signal ends the child's sigsuspend once. */
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  c = spawn(pause_once);
  sigprocmask(SIG_UNBLOCK, &usr1, NULL);
  result("kill(child, SIGUSR1)", kill(c, SIGUSR1));
  waitpid(c, &st, 0);
  describe("child in sigsuspend after SIGUSR1 (10 + handler runs)", st);

  /* sigqueue's value reaches a child's sigwaitinfo. */
  sigset_t rt;
  sigemptyset(&rt);
  sigaddset(&rt, SIGRTMIN);
  sigprocmask(SIG_BLOCK, &rt, NULL);
  c = spawn(wait_value);
  int r = sigqueue(c, SIGRTMIN, (union sigval){.sival_int = 42});
  int e = errno;
  waitpid(c, &st, 0); /* the child's line first, whenever it ran */
  errno = e;
  result("sigqueue(child, SIGRTMIN, 42)", r);
  describe("child in sigwaitinfo", st);
  sigprocmask(SIG_UNBLOCK, &rt, NULL);

  /* Stop and continue a child; SIGKILL ends it. */
  c = spawn(pause_forever);
  result("kill(child, SIGSTOP)", kill(c, SIGSTOP));
  waitpid(c, &st, WUNTRACED);
  describe("child after SIGSTOP", st);
  result("kill(child, SIGCONT)", kill(c, SIGCONT));
  waitpid(c, &st, WCONTINUED);
  describe("child after SIGCONT", st);
  result("kill(child, SIGKILL)", kill(c, SIGKILL));
  waitpid(c, &st, 0);
  describe("child after SIGKILL", st);

  /* Bad signal numbers. */
  c = spawn(pause_forever);
  result("kill(child, 65)", kill(c, 65));
  result("kill(child, -1)", kill(c, -1));
  result("sigqueue(child, 65, 0)", sigqueue(c, 65, (union sigval){0}));
  kill(c, SIGKILL);
  waitpid(c, &st, 0);
  describe("child", st);

  /* Permission: as root kill(1, 0) is allowed; otherwise only if we own process 1. */
  struct stat init;
  r = kill(1, 0);
  e = errno;
  int allowed = geteuid() == 0 || (stat("/proc/1", &init) == 0 && init.st_uid == geteuid());
  say("kill(1, 0): %s\n",
      (allowed ? r == 0 : r == -1 && e == EPERM) ? "as the permissions say" : "unexpected");
  return 0;
}
