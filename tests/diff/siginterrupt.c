/* SPDX-License-Identifier: MIT */
/* Pins down siginterrupt: flag 1 clears SA_RESTART (a read() the signal interrupts fails
 * with EINTR), flag 0 sets it (the read is restarted); the handler and sa_mask are kept. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include "diff_common.h"
/* ---- a read() on a pipe that a signal from another process interrupts ---------- */
static int ack_fd = -1; /* the handler writes one byte here */
static volatile sig_atomic_t runs;
static char inside[256];

static void on_sig(int sig) {
  (void)sig;
  runs++;
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, NULL, &cur);
  snprintf(inside, sizeof inside, "%s", setstr(&cur));
  ssize_t r = write(ack_fd, "a", 1);
  (void)r;
}

/* The state letter of process PID in /proc/PID/stat, or 0. */
static char proc_state(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return 0;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : 0;
}

/* The parent blocks in read() on an empty pipe. A forked child waits for the parent's
 * "about to read", then until /proc shows the parent asleep (twice, 2 ms apart), sends
 * SIG, waits for the handler's byte, then writes one byte into the pipe. So read()
 * either fails with EINTR or, restarted, returns that byte. Returns read's result. */
static ssize_t read_interrupted(int sig, int *err) {
  int data[2], ready[2], ack[2];
  if (pipe(data) || pipe(ready) || pipe(ack)) {
    say("pipe failed\n");
    _exit(2);
  }
  ack_fd = ack[1];
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    alarm(30);
    char c;
    if (read(ready[0], &c, 1) != 1)
      _exit(3);
    for (int asleep = 0; asleep < 2;) {
      asleep = proc_state(parent) == 'S' ? asleep + 1 : 0;
      usleep(2000);
    }
    kill(parent, sig);
    if (read(ack[0], &c, 1) != 1)
      _exit(4);
    if (write(data[1], "x", 1) != 1)
      _exit(5);
    _exit(0);
  }
  char c = 0;
  if (write(ready[1], "r", 1) != 1)
    _exit(6);
  ssize_t r = read(data[0], &c, 1);
  *err = errno;
  int st;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    say("helper child failed: %#x\n", st);
  close(data[0]);
  close(data[1]);
  close(ready[0]);
  close(ready[1]);
  close(ack[0]);
  close(ack[1]);
  return r;
}

static void report_read(const char *what, int sig) {
  int before = runs, err = 0;
  ssize_t r = read_interrupted(sig, &err);
  if (r < 0)
    say("%s: read returned -1 %s, handler runs %d\n", what, errname(err), (int)runs - before);
  else
    say("%s: read returned %zd (restarted), handler runs %d\n", what, r, (int)runs - before);
}

static const char *hname(void (*h)(int)) {
  if (h == SIG_ERR)
    return "SIG_ERR";
  if (h == SIG_DFL)
    return "SIG_DFL";
  if (h == SIG_IGN)
    return "SIG_IGN";
  return h == on_sig ? "on_sig" : "another handler";
}

static void show(int sig) {
  struct sigaction old;
  sigaction(sig, NULL, &old);
  int known = SA_RESTART | SA_RESETHAND | SA_NODEFER | SA_SIGINFO | SA_ONSTACK;
  say("  %s: disposition %s, flags%s%s%s%s%s, sa_mask %s\n", signame(sig), hname(old.sa_handler),
      old.sa_flags & SA_RESTART ? " SA_RESTART" : "",
      old.sa_flags & SA_RESETHAND ? " SA_RESETHAND" : "",
      old.sa_flags & SA_NODEFER ? " SA_NODEFER" : "",
      old.sa_flags & SA_SIGINFO ? " SA_SIGINFO" : "", (old.sa_flags & known) ? "" : " none",
      setstr(&old.sa_mask));
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
  sa.sa_handler = on_sig;
  sa.sa_flags = SA_RESTART;
  sigaddset(&sa.sa_mask, SIGHUP);
  sigaction(SIGUSR1, &sa, NULL);
  show(SIGUSR1);
  report_read("SA_RESTART", SIGUSR1);
  say("  mask inside the handler: %s\n", inside);

  result("siginterrupt(SIGUSR1, 1)", siginterrupt(SIGUSR1, 1));
  show(SIGUSR1);
  report_read("after siginterrupt(SIGUSR1, 1)", SIGUSR1);
  report_read("again", SIGUSR1);

  result("siginterrupt(SIGUSR1, 0)", siginterrupt(SIGUSR1, 0));
  show(SIGUSR1);
  report_read("after siginterrupt(SIGUSR1, 0)", SIGUSR1);

  /* On a signal with the default action: only the flag changes. */
  signal(SIGUSR2, SIG_DFL);
  result("siginterrupt(SIGUSR2, 1)", siginterrupt(SIGUSR2, 1));
  show(SIGUSR2);
  result("siginterrupt(SIGUSR2, 0)", siginterrupt(SIGUSR2, 0));
  show(SIGUSR2);

  result("siginterrupt(0, 1)", siginterrupt(0, 1));
  result("siginterrupt(65, 0)", siginterrupt(65, 0));
  result("siginterrupt(SIGKILL, 1)", siginterrupt(SIGKILL, 1));
  return 0;
}
