/* SPDX-License-Identifier: MIT */
/*
 * exec and posix_spawn: a new program inherits the host's signal mask, which
 * under the bridge is not the program's own (the bridge's asynchronous
 * signals are blocked on every thread). Each exec sets the calling thread's
 * host mask to its vsig mask just before, and back if the exec fails; each
 * spawn asks for the caller's vsig mask in the child (POSIX_SPAWN_SETSIGMASK)
 * unless the caller chose one. Dispositions need nothing: the host ignores
 * what vsig ignores, and an exec resets the rest. glibc's own exec calls
 * (execvp's, system's) do not come through here, so each name is wrapped.
 */
#include "posix.h"

#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

#define AROUND_EXEC(call)                                                                          \
  ({                                                                                               \
    vsig_bridge_hostmask(1);                                                                       \
    int r_ = (call);                                                                               \
    int e_ = errno;                                                                                \
    vsig_bridge_hostmask(0);                                                                       \
    errno = e_;                                                                                    \
    r_;                                                                                            \
  })

EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
  return AROUND_EXEC(REAL(execve)(path, argv, envp));
}

EXPORT int execv(const char *path, char *const argv[]) {
  return AROUND_EXEC(REAL(execv)(path, argv));
}

EXPORT int execvp(const char *file, char *const argv[]) {
  return AROUND_EXEC(REAL(execvp)(file, argv));
}

EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
  return AROUND_EXEC(REAL(execvpe)(file, argv, envp));
}

EXPORT int fexecve(int fd, char *const argv[], char *const envp[]) {
  return AROUND_EXEC(REAL(fexecve)(fd, argv, envp));
}

int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags);
EXPORT int execveat(int dirfd, const char *path, char *const argv[], char *const envp[],
                    int flags) {
  return AROUND_EXEC(REAL(execveat)(dirfd, path, argv, envp, flags));
}

/* The execl family: the arguments up to the NULL become an argv array (and,
 * for execle, the pointer after it the environment). */
/* As glibc: arg is argv[0], then the rest up to the NULL. */
static size_t count_args(va_list ap) {
  size_t n = 1;
  while (va_arg(ap, const char *))
    n++;
  return n;
}

#define COLLECT(arg, argv, n, ap)                                                                  \
  do {                                                                                             \
    argv[0] = (char *)(arg);                                                                       \
    for (size_t i_ = 1; i_ < (n); i_++)                                                            \
      argv[i_] = va_arg(ap, char *);                                                               \
    argv[n] = NULL;                                                                                \
  } while (0)

EXPORT int execl(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  size_t n = count_args(ap);
  va_end(ap);
  char *argv[n + 1];
  va_start(ap, arg);
  COLLECT(arg, argv, n, ap);
  va_end(ap);
  return execv(path, argv);
}

EXPORT int execlp(const char *file, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  size_t n = count_args(ap);
  va_end(ap);
  char *argv[n + 1];
  va_start(ap, arg);
  COLLECT(arg, argv, n, ap);
  va_end(ap);
  return execvp(file, argv);
}

EXPORT int execle(const char *path, const char *arg, ...) {
  va_list ap;
  va_start(ap, arg);
  size_t n = count_args(ap);
  va_end(ap);
  char *argv[n + 1];
  va_start(ap, arg);
  COLLECT(arg, argv, n, ap);
  (void)va_arg(ap, char *); /* the NULL */
  char **envp = va_arg(ap, char **);
  va_end(ap);
  return execve(path, argv, envp);
}

/* ---- posix_spawn ----------------------------------------------------------------------- */

typedef int (*spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                        const posix_spawnattr_t *, char *const[], char *const[]);

int posix_spawn_with_mask(spawn_fn real, pid_t *pid, const char *path,
                          const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                          char *const argv[], char *const envp[])
    __attribute__((visibility("hidden")));
int posix_spawn_with_mask(spawn_fn real, pid_t *pid, const char *path,
                          const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                          char *const argv[], char *const envp[]) {
  posix_spawnattr_t a;
  if (attr)
    a = *attr; /* flags, sets and numbers: a plain copy */
  else
    posix_spawnattr_init(&a);
  short flags = 0;
  posix_spawnattr_getflags(&a, &flags);
  if (!(flags & POSIX_SPAWN_SETSIGMASK)) {
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m); /* this library's: the vsig mask */
    posix_spawnattr_setsigmask(&a, &m);
    posix_spawnattr_setflags(&a, flags | POSIX_SPAWN_SETSIGMASK);
  }
  int rc = real(pid, path, fa, &a, argv, envp);
  if (!attr)
    posix_spawnattr_destroy(&a);
  return rc;
}

EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                       const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  return posix_spawn_with_mask(REAL(posix_spawn), pid, path, fa, attr, argv, envp);
}

EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                        const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  return posix_spawn_with_mask(REAL(posix_spawnp), pid, file, fa, attr, argv, envp);
}
