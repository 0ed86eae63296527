/*
 * main() of a translated guest: each instance is a vsig process with one
 * host thread running the module. Instances start in order, each once the one
 * before it first waits (or exits): a guest that installs its handlers and
 * then waits is ready for its peers' signals before they start, which is what
 * a parent gets from blocking signals before fork on a real system.
 */
#include "vsig_wasix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_INSTANCES 64
#define MAX_ENV 64
/* How long an instance that never waits holds up the next one. */
#define START_WAIT_NS 10000000000LL

struct instance {
  const vsig_wasix_module_t *m;
  int index;
  vsig_pid_t pid;
  vsig_thread_t tid;
  pthread_t host;
  char **argv;
  int argc;
  char *envp[MAX_ENV + 3];
  char env_index[48];
  _Atomic int done;
  int status;
};

static const char *signame(int sig) {
  static const char *const names[] = {
      "0",         "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS"};
  return sig >= 0 && sig <= VSIG_SIGSYS ? names[sig] : "a real-time signal";
}

struct start_arg {
  const vsig_wasix_module_t *m;
  void *inst;
  vsig_wasix_guest_t *g;
};

/* instantiate runs the module's data and element initialisers, guest-side
 * work that can trap (a segment out of range), so it runs in a frame too. */
static void run_instantiate(void *p) {
  struct start_arg *a = p;
  a->m->instantiate(a->inst, a->g);
  a->m->memory(a->inst, &a->g->mem_data, &a->g->mem_size);
}

static void run_start(void *p) {
  struct start_arg *a = p;
  a->m->start(a->inst);
}

static int status_of(const vsig_wasix_module_t *m, const vsig_wasix_guest_t *g, int state) {
  switch (state) {
  case VSIG_WASIX_RUNNING:
    return 0;
  case VSIG_WASIX_EXITED:
    return g->exit_code;
  case VSIG_WASIX_KILLED:
    fprintf(stderr, "vsig-wasix: %s (pid %d) killed by %s\n", g->name, (int)g->pid,
            signame(g->term_sig));
    return 128 + g->term_sig;
  default: {
    const char *why = g->trap < 0                   ? "no stack left for a signal handler"
                      : m->ops && m->ops->trap_name ? m->ops->trap_name(g->trap)
                                                    : "trap";
    fprintf(stderr, "vsig-wasix: %s (pid %d) wasm trap: %s\n", g->name, (int)g->pid, why);
    return 134;
  }
  }
}

static void *instance_main(void *p) {
  struct instance *in = p;
  const vsig_wasix_module_t *m = in->m;
  vsig_wasix_guest_t g;
  vsig_wasix_guest_init(&g);
  char name[64];
  snprintf(name, sizeof name, "%s[%d]", m->name, in->index);
  g.name = name;
  g.argc = in->argc;
  g.argv = in->argv;
  g.envp = in->envp;
  g.ops = m->ops;
  g.inst = calloc(1, m->instance_size);
  int rc = g.inst ? vsig_wasix_guest_bind(&g) : ENOMEM;
  if (rc) {
    fprintf(stderr, "vsig-wasix: %s: cannot start: %s\n", name, strerror(rc));
    free(g.inst);
    in->status = 70;
    in->done = 1;
    return NULL;
  }
  struct start_arg sa = {m, g.inst, &g};
  int state = vsig_wasix_call(&g, run_instantiate, &sa);
  if (state == VSIG_WASIX_RUNNING)
    state = vsig_wasix_call(&g, run_start, &sa);
  in->status = status_of(m, &g, state);
  vsig_wasix_guest_unbind(&g);
  m->free_instance(g.inst);
  free(g.inst);
  in->done = 1;
  return NULL;
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Until instance in first waits (or ends), or START_WAIT_NS pass. */
static void await_first_wait(struct instance *in) {
  int64_t limit = now_ns() + START_WAIT_NS;
  while (!in->done && now_ns() < limit) {
    int st;
    if (vsig_thread_getstate(in->tid, &st) != 0 || st != VSIG_THREAD_READY)
      return;
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
  }
}

static void usage(const char *prog) {
  fprintf(stderr,
          "usage: %s [-n INSTANCES] [--env NAME=VALUE]... [--bridge] [--] [guest args...]\n", prog);
}

int vsig_wasix_main(const vsig_wasix_module_t *m, int argc, char **argv) {
  int n = 1, nenv = 0, i = 1, bridge = 0;
  char *env[MAX_ENV];
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--")) {
      i++;
      break;
    } else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
      n = atoi(argv[++i]);
      if (n < 1 || n > MAX_INSTANCES) {
        usage(argv[0]);
        return 64;
      }
    } else if (!strcmp(argv[i], "--env") && i + 1 < argc && nenv < MAX_ENV) {
      env[nenv++] = argv[++i];
    } else if (!strcmp(argv[i], "--bridge")) {
      bridge = 1;
    } else {
      break;
    }
  }
  /* Guest argv: the module's name, then the rest. */
  int gargc = argc - i + 1;
  char **gargv = calloc((size_t)gargc + 1, sizeof *gargv);
  struct instance *ins = calloc((size_t)n, sizeof *ins);
  if (!gargv || !ins) {
    fprintf(stderr, "vsig-wasix: out of memory\n");
    return 70;
  }
  /* The bridge first (it must see every thread made after it), then the
   * fault handler, over both the bridge's and the runtime's. */
  if (bridge) {
    vsig_sigset_t set = {0};
    for (int sig = 1; sig <= VSIG_SIGSYS; sig++)
      if (sig != VSIG_SIGKILL && sig != VSIG_SIGSTOP)
        vsig_sigaddset(&set, sig);
    int rc = vsig_bridge_enable(&set);
    if (rc) {
      fprintf(stderr, "vsig-wasix: vsig_bridge_enable: %s\n", strerror(rc));
      return 70;
    }
  }
  int frc = vsig_wasix_fault_install(m->trap_oob, m->trap_exhaustion);
  if (frc) {
    fprintf(stderr, "vsig-wasix: cannot install the fault handler: %s\n", strerror(frc));
    return 70;
  }
  gargv[0] = (char *)m->name;
  for (int k = 1; k < gargc; k++)
    gargv[k] = argv[i + k - 1];
  m->init_module();
  for (int k = 0; k < n; k++) {
    /* Each instance is a program of its own: its own session and group. */
    vsig_proc_attr_t attr;
    vsig_proc_attr_init(&attr);
    attr.parent = VSIG_PID_NONE;
    int rc = vsig_proc_create(&attr, &ins[k].pid);
    if (rc) {
      fprintf(stderr, "vsig-wasix: vsig_proc_create: %s\n", strerror(rc));
      return 70;
    }
  }
  char *pidenv = malloc(16 + (size_t)n * 12);
  if (!pidenv)
    return 70;
  size_t off = (size_t)sprintf(pidenv, "VSIG_WASIX_PIDS=");
  for (int k = 0; k < n; k++)
    off += (size_t)sprintf(pidenv + off, k ? ",%d" : "%d", (int)ins[k].pid);
  for (int k = 0; k < n; k++) {
    struct instance *in = &ins[k];
    in->m = m;
    in->index = k;
    in->argc = gargc;
    in->argv = gargv;
    snprintf(in->env_index, sizeof in->env_index, "VSIG_WASIX_INSTANCE=%d", k);
    int e = 0;
    in->envp[e++] = in->env_index;
    in->envp[e++] = pidenv;
    for (int v = 0; v < nenv; v++)
      in->envp[e++] = env[v];
    in->envp[e] = NULL;
  }
  for (int k = 0; k < n; k++) {
    int rc = vsig_thread_create(&ins[k].host, &ins[k].tid, ins[k].pid, 0, instance_main, &ins[k]);
    if (rc) {
      fprintf(stderr, "vsig-wasix: vsig_thread_create: %s\n", strerror(rc));
      return 70;
    }
    if (k + 1 < n)
      await_first_wait(&ins[k]);
  }
  int status = 0;
  for (int k = 0; k < n; k++) {
    pthread_join(ins[k].host, NULL);
    if (k == 0)
      status = ins[k].status;
    else if (ins[k].status && !status)
      status = ins[k].status;
  }
  for (int k = 0; k < n; k++)
    vsig_proc_destroy(ins[k].pid);
  free(pidenv);
  free(ins);
  free(gargv);
  return status;
}
