/* SPDX-License-Identifier: MIT */
/* Native: exec keeps an ignored SIGINT ignored and the blocked mask, resets a handled signal to
 * SIG_DFL; a kill -INT then reaches a newly installed handler, or is dropped while ignored. */
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

static void watchdog(void) {
  signal(SIGALRM, on_watchdog);
  alarm(30);
}

static void die(const char *what) {
  say("FAIL %s: %s\n", what, strerror(errno));
  _exit(97);
}

static volatile sig_atomic_t got_int, got_usr1;
static void on_int(int sig) { got_int = sig; }
static void on_usr1(int sig) { got_usr1 = sig; }
static void on_usr2(int sig) { (void)sig; }

static const char *disp(int sig) {
  struct sigaction old;
  if (sigaction(sig, NULL, &old))
    return "error";
  if (old.sa_handler == SIG_IGN)
    return "SIG_IGN";
  if (old.sa_handler == SIG_DFL)
    return "SIG_DFL";
  return "a handler";
}

static void catch (int sig, void (*fn)(int)) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

/* The exec'd program: argv[1] is the mode, argv[2] the fd that says "ready". */
static int job(const char *mode, int ready) {
  sigset_t cur;
  sigprocmask(SIG_SETMASK, NULL, &cur);
  say("%s: started with SIGINT at %s, SIGUSR1 at %s, SIGUSR2 %s\n", mode, disp(SIGINT),
      disp(SIGUSR1), sigismember(&cur, SIGUSR2) ? "blocked" : "unblocked");
  if (strcmp(mode, "report") == 0)
    return 0;
  sigset_t wait_mask = cur, block;
  sigemptyset(&block);
  sigaddset(&block, SIGUSR1);
  catch (SIGUSR1, on_usr1);
  if (strcmp(mode, "handler") == 0) {
    sigaddset(&block, SIGINT);
    catch (SIGINT, on_int);
    say("%s: SIGINT handler installed\n", mode);
  } /* else SIGINT stays ignored and unblocked, as the shell handed it over */
  sigprocmask(SIG_BLOCK, &block, NULL);
  sigdelset(&wait_mask, SIGINT);
  sigdelset(&wait_mask, SIGUSR1);
  if (write(ready, "r", 1) != 1)
    die("write");
  while (!got_usr1)
    sigsuspend(&wait_mask);
  sigset_t pend;
  sigpending(&pend);
  say("%s: SIGINT handler ran: %s; SIGINT pending: %s; SIGUSR1 handler ran\n", mode,
      got_int ? "yes" : "no", sigismember(&pend, SIGINT) ? "yes" : "no");
  return 0;
}

/* The "shell": runs this binary again as a background job would be run. */
static void run_job(const char *mode) {
  int p[2];
  if (pipe(p))
    die("pipe");
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    close(p[0]);
    char fd[16];
    snprintf(fd, sizeof fd, "%d", p[1]);
    execl("/proc/self/exe", "bridge_sigint_inherited", mode, fd, (char *)0);
    _exit(127);
  }
  close(p[1]);
  if (strcmp(mode, "report") != 0) {
    char b;
    if (read(p[0], &b, 1) != 1)
      die("read");
    kill(c, SIGINT); /* sent first, so it is handled (or dropped) before SIGUSR1 */
    kill(c, SIGUSR1);
  }
  close(p[0]);
  int st;
  if (waitpid(c, &st, 0) != c)
    die("waitpid");
  if (WIFEXITED(st))
    say("shell: %s job exited %d\n", mode, WEXITSTATUS(st));
  else
    say("shell: %s job killed by signal %d\n", mode, WTERMSIG(st));
}

int main(int argc, char **argv) {
  if (argc == 3)
    return job(argv[1], atoi(argv[2]));
  watchdog();
  signal(SIGINT, SIG_IGN);
  signal(SIGUSR1, on_usr1); /* exec resets a handled signal to SIG_DFL */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  signal(SIGUSR2, on_usr2);
  sigprocmask(SIG_BLOCK, &usr2, NULL); /* exec keeps the mask */
  run_job("report");
  run_job("handler");
  run_job("ignore");
  return 0;
}
