/* SPDX-License-Identifier: MIT */
/*
 * system, popen and pclose, written as POSIX describes them on this
 * library's own calls: glibc's spawn a shell with the host's mask (the
 * bridge's, not the program's) and change dispositions behind vsig's back.
 */
#include "posix.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* system: SIGINT and SIGQUIT ignored and SIGCHLD blocked in the caller while
 * the shell runs; the shell gets the caller's mask and, for the two ignored
 * here, the dispositions they had. */
EXPORT int system(const char *command) {
  if (!command)
    return access("/bin/sh", X_OK) == 0;
  struct sigaction ign, intr, quit;
  memset(&ign, 0, sizeof ign);
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  sigaction(SIGINT, &ign, &intr);
  sigaction(SIGQUIT, &ign, &quit);
  sigset_t chld, omask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &omask);

  posix_spawnattr_t a;
  posix_spawnattr_init(&a);
  sigset_t def;
  sigemptyset(&def);
  if (intr.sa_handler != SIG_IGN)
    sigaddset(&def, SIGINT);
  if (quit.sa_handler != SIG_IGN)
    sigaddset(&def, SIGQUIT);
  posix_spawnattr_setsigdefault(&a, &def);
  posix_spawnattr_setsigmask(&a, &omask);
  posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char *argv[] = {"sh", "-c", (char *)command, NULL};
  pid_t pid;
  int status;
  int rc = REAL(posix_spawn)(&pid, "/bin/sh", NULL, &a, argv, environ);
  posix_spawnattr_destroy(&a);
  if (rc == 0) {
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        status = -1;
        break;
      }
    }
  } else {
    status = 127 << 8;
  }
  int err = errno;
  sigaction(SIGINT, &intr, NULL);
  sigaction(SIGQUIT, &quit, NULL);
  sigprocmask(SIG_SETMASK, &omask, NULL);
  errno = err;
  return status;
}

/* ---- popen ------------------------------------------------------------------------------ */

struct child {
  FILE *f;
  pid_t pid;
  struct child *next;
};
static struct child *children;

int posix_spawn_with_mask(int (*real)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                                      const posix_spawnattr_t *, char *const[], char *const[]),
                          pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                          const posix_spawnattr_t *attr, char *const argv[], char *const envp[]);

EXPORT FILE *popen(const char *command, const char *mode) {
  bool reading = mode && mode[0] == 'r', writing = mode && mode[0] == 'w';
  bool cloexec = mode && strchr(mode, 'e');
  if (!reading && !writing) {
    errno = EINVAL;
    return NULL;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return NULL;
  int ours = reading ? fds[0] : fds[1], theirs = reading ? fds[1] : fds[0];
  struct child *c = malloc(sizeof *c);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, theirs, reading ? 1 : 0);
  pthread_mutex_lock(&lock);
  /* POSIX: streams of earlier popen calls are closed in the new child. */
  for (struct child *k = children; k; k = k->next)
    posix_spawn_file_actions_addclose(&fa, fileno(k->f));
  char *argv[] = {"sh", "-c", (char *)command, NULL};
  pid_t pid;
  int rc = c ? posix_spawn_with_mask(REAL(posix_spawn), &pid, "/bin/sh", &fa, NULL, argv, environ)
             : ENOMEM;
  posix_spawn_file_actions_destroy(&fa);
  close(theirs);
  FILE *f = NULL;
  if (rc == 0) {
    if (!cloexec)
      fcntl(ours, F_SETFD, 0);
    f = fdopen(ours, reading ? "r" : "w");
  }
  if (f) {
    *c = (struct child){f, pid, children};
    children = c;
  }
  pthread_mutex_unlock(&lock);
  if (!f) {
    close(ours);
    free(c);
    if (rc)
      errno = rc;
    if (rc == 0)
      waitpid(pid, NULL, 0);
  }
  return f;
}

EXPORT int pclose(FILE *f) {
  pthread_mutex_lock(&lock);
  struct child **pp = &children, *c = NULL;
  for (; *pp; pp = &(*pp)->next)
    if ((*pp)->f == f) {
      c = *pp;
      *pp = c->next;
      break;
    }
  pthread_mutex_unlock(&lock);
  if (!c)
    return REAL(pclose)(f);
  fclose(f);
  int status;
  pid_t r;
  while ((r = waitpid(c->pid, &status, 0)) < 0 && errno == EINTR)
    ;
  free(c);
  return r < 0 ? -1 : status;
}
