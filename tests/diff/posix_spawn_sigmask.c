/* SPDX-License-Identifier: MIT */
/* Pins down what a posix_spawn'ed program starts with: the spawner's mask and ignored signals
 * by default, POSIX_SPAWN_SETSIGMASK's mask, POSIX_SPAWN_SETSIGDEF's defaults; /bin/true exits 0.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff_common.h"
extern char **environ;

static const int watched[] = {SIGHUP, SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGPIPE};
#define NWATCHED (int)(sizeof watched / sizeof watched[0])

static void on_sig(int sig) { (void)sig; }

/* The spawned copy of this program: what it started with. */
static int report(const char *label) {
  char dispo[256] = "";
  size_t len = 0;
  for (int i = 0; i < NWATCHED; i++) {
    struct sigaction sa;
    sigaction(watched[i], NULL, &sa);
    len += (size_t)snprintf(dispo + len, sizeof dispo - len, "%s%s %s", i ? ", " : "",
                            signame(watched[i]),
                            sa.sa_handler == SIG_IGN   ? "ignored"
                            : sa.sa_handler == SIG_DFL ? "default"
                                                       : "handled");
  }
  say("  spawned (%s): mask %s; %s; pending %s\n", label, maskstr(), dispo, pendstr());
  return 0;
}

static void spawn_self(const char *label, const posix_spawnattr_t *attr) {
  char *argv[] = {"posix_spawn_sigmask", "report", (char *)label, NULL};
  pid_t pid;
  int r = posix_spawn(&pid, "/proc/self/exe", NULL, attr, argv, environ);
  if (r != 0) {
    say("posix_spawn: %s\n", errname(r));
    return;
  }
  int st;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    say("  the spawned program ended with status %#x\n", st);
}

static void mk(sigset_t *s, int a, int b) {
  sigemptyset(s);
  if (a)
    sigaddset(s, a);
  if (b)
    sigaddset(s, b);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "report") == 0)
    return report(argv[2]);
  start();
  /* The spawner: SIGUSR2 and SIGTERM blocked, SIGHUP and SIGPIPE ignored, SIGUSR1 handled. */
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sig;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigset_t m;
  mk(&m, SIGUSR2, SIGTERM);
  pthread_sigmask(SIG_SETMASK, &m, NULL);
  raise(SIGUSR2);
  say("spawner: mask %s, pending %s\n", maskstr(), pendstr());

  pid_t pid;
  char *targv[] = {"true", NULL};
  int st = -1;
  int r = posix_spawn(&pid, "/bin/true", NULL, NULL, targv, environ);
  if (r == 0)
    waitpid(pid, &st, 0);
  say("posix_spawn(/bin/true): %s, exited %d\n", errname(r), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  r = posix_spawnp(&pid, "true", NULL, NULL, targv, environ);
  if (r == 0)
    waitpid(pid, &st, 0);
  say("posix_spawnp(true): %s, exited %d\n", errname(r), WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  r = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, targv, environ);
  say("posix_spawn(/nonexistent/program): %s\n", errname(r));

  say("no attributes:\n");
  spawn_self("no attributes", NULL);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = -1;
  posix_spawnattr_getflags(&attr, &flags);
  say("fresh attr flags: %d\n", flags);
  mk(&m, SIGUSR1, SIGRTMIN);
  posix_spawnattr_setsigmask(&attr, &m);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  sigset_t got;
  posix_spawnattr_getsigmask(&attr, &got);
  say("POSIX_SPAWN_SETSIGMASK {%s}:\n", setstr(&got));
  spawn_self("SETSIGMASK", &attr);

  mk(&m, SIGHUP, SIGUSR2);
  posix_spawnattr_setsigdefault(&attr, &m);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_getsigdefault(&attr, &got);
  say("POSIX_SPAWN_SETSIGDEF {%s}:\n", setstr(&got));
  spawn_self("SETSIGDEF", &attr);

  mk(&m, 0, 0);
  posix_spawnattr_setsigmask(&attr, &m);
  mk(&m, SIGPIPE, SIGINT);
  posix_spawnattr_setsigdefault(&attr, &m);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  say("both, empty mask, defaults {SIGINT SIGPIPE}:\n");
  spawn_self("both", &attr);
  posix_spawnattr_destroy(&attr);

  say("spawner at the end: mask %s, pending %s\n", maskstr(), pendstr());
  return 0;
}
