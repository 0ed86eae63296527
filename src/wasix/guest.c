/*
 * A guest instance on its host thread: binding, entry frames and unwinding.
 *
 * Guest code (wasm2c-generated C) is entered through vsig_wasix_call, which
 * pushes an entry frame (a jmp_buf). proc_exit, a trap and a fatal default
 * action all end in vsig_wasix_unwind, which jumps to the innermost frame
 * only. A handler's frame is inside vsig's delivery code, so the jump ends in
 * the trampoline, which returns to vsig normally (vsig restores the mask and
 * its bookkeeping); the import or safe point that called vsig then sees the
 * guest stopped and unwinds again, to the next frame out. No jump ever
 * crosses a vsig frame.
 */
#include "guest_memory.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct vsig_wasix_entry {
  jmp_buf jb;
  struct vsig_wasix_entry *prev;
};

static _Thread_local vsig_wasix_guest_t *current;

/* Until bind caches the real word, the check reads this (never set). */
static const _Atomic int never_set;
_Thread_local const _Atomic int *vsig_wasix_poll_word = &never_set;

void vsig_wasix_guest_init(vsig_wasix_guest_t *g) {
  memset(g, 0, sizeof *g);
  g->fd_host[0] = 0;
  g->fd_host[1] = 1;
  g->fd_host[2] = 2;
  g->name = "guest";
  g->wake_fd = -1;
}

int vsig_wasix_guest_bind(vsig_wasix_guest_t *g) {
  const _Atomic int *w = vsig_poll_word();
  if (!w)
    return ENOMEM;
  /* wasm2c's SIGSEGV handler runs on the alternate stack (SA_ONSTACK), which
   * wasm_rt_init set up for its own thread only: without one here a guest
   * stack overflow on this thread would crash the host instead of trapping. */
  size_t sz = SIGSTKSZ < 65536 ? 65536 : SIGSTKSZ;
  void *alt = malloc(sz);
  if (!alt)
    return ENOMEM;
  stack_t ss = {.ss_sp = alt, .ss_size = sz, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) {
    free(alt);
    return errno;
  }
  int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (efd < 0) {
    int e = errno;
    stack_t off = {.ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    free(alt);
    return e;
  }
  g->wake_fd = efd;
  g->altstack = alt;
  g->pid = vsig_getpid();
  g->tid = vsig_thread_self();
  g->state = VSIG_WASIX_RUNNING;
  current = g;
  vsig_wasix_poll_word = w;
  return 0;
}

void vsig_wasix_guest_unbind(vsig_wasix_guest_t *g) {
  if (current == g) {
    current = NULL;
    vsig_wasix_poll_word = &never_set;
  }
  if (g->altstack) {
    stack_t ss = {.ss_flags = SS_DISABLE};
    sigaltstack(&ss, NULL);
    free(g->altstack);
    g->altstack = NULL;
  }
  if (g->wake_fd >= 0) {
    close(g->wake_fd);
    g->wake_fd = -1;
  }
}

vsig_wasix_guest_t *vsig_wasix_current(void) { return current; }

int vsig_wasix_call(vsig_wasix_guest_t *g, void (*fn)(void *), void *arg) {
  struct vsig_wasix_entry e;
  e.prev = g->entry;
  g->entry = &e;
  if (!setjmp(e.jb))
    fn(arg);
  g->entry = e.prev;
  return g->state;
}

_Noreturn void vsig_wasix_unwind(vsig_wasix_guest_t *g) {
  if (!g->entry) {
    /* Guest code ran outside vsig_wasix_call: an embedder bug, and there is
     * nowhere to go. */
    fprintf(stderr, "vsig-wasix: %s stopped outside an entry frame\n", g->name);
    abort();
  }
  longjmp(g->entry->jb, 1);
}

_Noreturn void vsig_wasix_trap(int code) {
  vsig_wasix_guest_t *g = current;
  if (!g) {
    fprintf(stderr, "vsig-wasix: wasm trap %d on a thread without a guest\n", code);
    abort();
  }
  /* A trap from wasm2c's SIGSEGV handler leaves SIGSEGV/SIGBUS blocked: the
   * jump does not restore the mask (setjmp saves none, which keeps entry
   * frames free of system calls), so unblock them here, for the next trap. */
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGSEGV);
  sigaddset(&s, SIGBUS);
  pthread_sigmask(SIG_UNBLOCK, &s, NULL);
  if (g->state == VSIG_WASIX_RUNNING) {
    g->state = VSIG_WASIX_TRAPPED;
    g->trap = code;
  }
  vsig_wasix_unwind(g);
}

uint32_t vsig_wasix_leave(vsig_wasix_guest_t *g, uint32_t rc) {
  int term = vsig_poll();
  if (term && g->state == VSIG_WASIX_RUNNING) {
    g->state = VSIG_WASIX_KILLED;
    g->term_sig = term;
  }
  if (g->state != VSIG_WASIX_RUNNING)
    vsig_wasix_unwind(g);
  return rc;
}

void vsig_wasix_safepoint(void) {
  vsig_wasix_guest_t *g = current;
  if (!g) {
    vsig_poll();
    return;
  }
  vsig_wasix_leave(g, 0);
}
