/* SPDX-License-Identifier: MIT */
/* Native: a signal from another process interrupts read() on an empty pipe: without SA_RESTART
 * read fails with EINTR after the handler; with SA_RESTART it resumes and returns the data. */
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

/* The state letter of a host thread, from /proc/<pid>/task/<tid>/stat. */
static char task_state(pid_t pid, pid_t tid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
  int fd = open(path, O_RDONLY);
  if (fd < 0)
    return '?';
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return '?';
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] == ' ' ? p[2] : '?';
}

/* Polls until the thread is in that state: 'S' once it sleeps in a call. */
static void wait_task_state(pid_t pid, pid_t tid, char want) {
  while (task_state(pid, tid) != want) {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
}

static int ack[2];
static volatile sig_atomic_t ran;

static void on_usr1(int sig) {
  (void)sig;
  ran = ran + 1;
  if (write(ack[1], "a", 1) != 1) /* tells the sender the handler ran */
    _exit(98);
}

static void run(int restart) {
  const char *what = restart ? "SA_RESTART" : "no SA_RESTART";
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = restart ? SA_RESTART : 0;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, NULL);
  int data[2];
  if (pipe(data) || pipe(ack))
    die("pipe");
  ran = 0;
  pid_t c = fork();
  if (c < 0)
    die("fork");
  if (c == 0) {
    /* Once the parent sleeps in read: kill, wait for the handler, then write the data
     * (data that came first would let read return it before seeing the signal). */
    close(data[0]);
    close(ack[1]);
    pid_t pp = getppid();
    wait_task_state(pp, pp, 'S');
    char b;
    if (kill(pp, SIGUSR1) || read(ack[0], &b, 1) != 1)
      _exit(2);
    _exit(write(data[1], "hello", 5) == 5 ? 0 : 3);
  }
  close(data[1]);
  close(ack[0]);
  char buf[16];
  errno = 0;
  ssize_t r = read(data[0], buf, sizeof buf);
  if (r < 0)
    say("read %s: handler ran %d time(s), read returned -1 %s\n", what, (int)ran,
        errno == EINTR ? "EINTR" : strerror(errno));
  else
    say("read %s: handler ran %d time(s), read returned %d (restarted)\n", what, (int)ran, (int)r);
  if (r < 0) {
    r = read(data[0], buf, sizeof buf);
    say("read %s: the next read returned %d\n", what, (int)r);
  }
  int st;
  if (waitpid(c, &st, 0) != c || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    say("the sender failed\n");
  close(data[0]);
  close(ack[1]);
}

int main(void) {
  watchdog();
  run(0);
  run(1);
  return 0;
}
