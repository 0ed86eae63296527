/* SPDX-License-Identifier: MIT */
/* Native: signals from another process carry si_pid = the sender and si_code SI_USER (kill),
 * SI_QUEUE with si_value (sigqueue, real-time ones in order), SI_TKILL (tgkill, on that thread). */
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
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#define LOG_MAX 16
static struct {
  int signo, code, value;
  pid_t pid, tid;
} log_[LOG_MAX];
static atomic_int logged;

static void on_sig(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  int i = atomic_load(&logged);
  if (i < LOG_MAX) {
    log_[i].signo = sig;
    log_[i].code = si->si_code;
    log_[i].value = si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
    log_[i].pid = si->si_pid;
    log_[i].tid = gettid();
  }
  atomic_store(&logged, i + 1);
}

static const char *code_name(int c) {
  switch (c) {
  case SI_USER:
    return "SI_USER";
  case SI_QUEUE:
    return "SI_QUEUE";
  case SI_TKILL:
    return "SI_TKILL";
  default:
    return "other";
  }
}

static const char *sig_name(int s) {
  if (s == SIGUSR1)
    return "SIGUSR1";
  if (s == SIGUSR2)
    return "SIGUSR2";
  if (s == SIGRTMIN + 1)
    return "SIGRTMIN+1";
  return "other";
}

static sigset_t none;
static int go[2];

/* The outside: a child that waits for a line "what [tid]" and sends. */
static pid_t sender(void) {
  if (pipe(go))
    die("pipe");
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    close(go[1]);
    char cmd[64];
    ssize_t n = read(go[0], cmd, sizeof cmd - 1);
    if (n <= 0)
      _exit(2);
    cmd[n] = 0;
    pid_t pp = getppid();
    int rc = 0;
    if (strncmp(cmd, "kill1", 5) == 0) {
      rc = kill(pp, SIGUSR1);
    } else if (strncmp(cmd, "kill2", 5) == 0) {
      rc = kill(pp, SIGUSR2);
    } else if (strncmp(cmd, "queue", 5) == 0) {
      union sigval v = {.sival_int = 42};
      rc = sigqueue(pp, SIGUSR2, v);
      for (int i = 1; i <= 3 && rc == 0; i++) {
        v.sival_int = i;
        rc = sigqueue(pp, SIGRTMIN + 1, v);
      }
    } else if (strncmp(cmd, "tgkill ", 7) == 0) {
      rc = (int)syscall(SYS_tgkill, pp, atoi(cmd + 7), SIGUSR1);
    }
    _exit(rc ? 3 : 0);
  }
  close(go[0]);
  return c;
}

static void tell(const char *cmd) {
  if (write(go[1], cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
    die("write");
  close(go[1]);
}

static void reap(pid_t c) {
  int st;
  if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    say("the sender failed\n");
}

static void report(int i, pid_t from) {
  say("%s: %s", sig_name(log_[i].signo), code_name(log_[i].code));
  if (log_[i].code == SI_QUEUE)
    say(", si_value %d", log_[i].value);
  say(", si_pid %s\n", log_[i].pid == from ? "is the sender" : "is not the sender");
}

static atomic_int thread_tid;

/* Waits for one signal in sigsuspend with everything unblocked. */
static void *waiter(void *arg) {
  (void)arg;
  atomic_store(&thread_tid, (int)gettid());
  while (atomic_load(&logged) == 0)
    sigsuspend(&none);
  return NULL;
}

int main(void) {
  watchdog();
  sigemptyset(&none);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sig;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigaction(SIGRTMIN + 1, &sa, NULL);
  sigset_t all, old;
  sigemptyset(&all);
  sigaddset(&all, SIGUSR1);
  sigaddset(&all, SIGUSR2);
  sigaddset(&all, SIGRTMIN + 1);
  sigprocmask(SIG_BLOCK, &all, &old);

  say("-- kill from another process\n");
  pid_t c = sender();
  tell("kill1");
  while (atomic_load(&logged) < 1)
    sigsuspend(&old);
  report(0, c);
  reap(c);

  say("-- sigqueue from another process: SIGUSR2 with 42, then SIGRTMIN+1 with 1, 2, 3\n");
  atomic_store(&logged, 0);
  c = sender();
  tell("queue");
  reap(c); /* All four are pending: SIGUSR2's frame is set up first, the real-time
            * ones are stacked on top of it, so their handlers run first, in order. */
  while (atomic_load(&logged) < 4)
    sigsuspend(&old);
  for (int i = 0; i < 4; i++)
    report(i, c);

  pthread_t t;
  say("-- kill from another process; only the second thread has SIGUSR2 unblocked\n");
  atomic_store(&logged, 0);
  atomic_store(&thread_tid, 0);
  if (pthread_create(&t, NULL, waiter, NULL))
    die("pthread_create");
  while (atomic_load(&thread_tid) == 0)
    sched_yield();
  c = sender();
  tell("kill2");
  reap(c);
  pthread_join(t, NULL);
  report(0, c);
  say("the handler ran on the second thread: %s\n",
      log_[0].tid == atomic_load(&thread_tid) ? "yes" : "no");
  say("-- tgkill from another process to the second thread\n");
  atomic_store(&logged, 0);
  atomic_store(&thread_tid, 0);
  if (pthread_create(&t, NULL, waiter, NULL))
    die("pthread_create");
  while (atomic_load(&thread_tid) == 0)
    sched_yield();
  sigprocmask(SIG_UNBLOCK, &all, NULL); /* the main thread could take it too, if misrouted */
  c = sender();
  char cmd[32];
  snprintf(cmd, sizeof cmd, "tgkill %d", atomic_load(&thread_tid));
  tell(cmd);
  reap(c);
  pthread_join(t, NULL);
  sigprocmask(SIG_BLOCK, &all, NULL);
  report(0, c);
  say("the handler ran on the target thread: %s\n",
      log_[0].tid == atomic_load(&thread_tid) ? "yes" : "no");

  return 0;
}
