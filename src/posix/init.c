/* SPDX-License-Identifier: MIT */
/*
 * Start-up: before main, the program's host process becomes vsig's default
 * process, with every host signal bridged into it and asynchronous delivery
 * on for every thread, so handlers interrupt running and blocked threads as
 * natively. Handlers are called through the invoker below, which hands them
 * the host's siginfo_t and runs SA_ONSTACK ones on the alternate stack.
 */
#include "posix.h"

#include <fcntl.h>
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

_Atomic int posix_started;

static _Atomic pid_t my_pid;
static void forget_pid(void) { atomic_store(&my_pid, 0); }

pid_t posix_getpid(void) {
  pid_t pid = atomic_load_explicit(&my_pid, memory_order_relaxed);
  if (!pid) {
    pid = getpid();
    atomic_store_explicit(&my_pid, pid, memory_order_relaxed);
  }
  return pid;
}

typedef void (*plain_fn)(int);
typedef void (*info_fn)(int, siginfo_t *, void *);

struct call {
  int sig;
  const vsig_sigaction_t *act;
  siginfo_t *info;
  void *ucontext;
};

static void call(void *arg) {
  struct call *c = arg;
  if (c->act->sa_flags & SA_SIGINFO)
    ((info_fn)(void (*)(void))c->act->sa_handler)(c->sig, c->info, c->ucontext);
  else
    ((plain_fn)c->act->sa_handler)(c->sig);
}

/* Run fn(arg) with the stack pointer at top (16-byte aligned), then come back. */
void posix_call_on_stack(void *top, void (*fn)(void *), void *arg);
#if defined(__x86_64__)
__asm__(".text\n"
        ".align 16\n"
        ".globl posix_call_on_stack\n"
        ".hidden posix_call_on_stack\n"
        ".type posix_call_on_stack,@function\n"
        "posix_call_on_stack:\n"
        "  .cfi_startproc\n"
        "  push %rbp\n"
        "  .cfi_def_cfa_offset 16\n"
        "  .cfi_offset %rbp, -16\n"
        "  mov %rsp, %rbp\n"
        "  .cfi_def_cfa_register %rbp\n"
        "  and $-16, %rdi\n"
        "  mov %rdi, %rsp\n"
        "  mov %rdx, %rdi\n"
        "  call *%rsi\n"
        "  mov %rbp, %rsp\n"
        "  pop %rbp\n"
        "  .cfi_def_cfa %rsp, 8\n"
        "  ret\n"
        "  .cfi_endproc\n"
        ".size posix_call_on_stack,.-posix_call_on_stack\n");
#define HAVE_STACK_SWITCH 1
#elif defined(__aarch64__)
__asm__(".text\n"
        ".align 4\n"
        ".globl posix_call_on_stack\n"
        ".hidden posix_call_on_stack\n"
        ".type posix_call_on_stack,%function\n"
        "posix_call_on_stack:\n"
        "  stp x29, x30, [sp, #-16]!\n"
        "  mov x29, sp\n"
        "  and x0, x0, #-16\n"
        "  mov sp, x0\n"
        "  mov x0, x2\n"
        "  blr x1\n"
        "  mov sp, x29\n"
        "  ldp x29, x30, [sp], #16\n"
        "  ret\n"
        ".size posix_call_on_stack,.-posix_call_on_stack\n");
#define HAVE_STACK_SWITCH 1
#endif

/* A handler that asked for the alternate stack runs on it when the thread has
 * one and is not on it already (a fault handler is: the kernel switched). The
 * kernel reports SS_ONSTACK from the stack pointer, so sigaltstack inside the
 * handler says so, as natively. */
static void invoke(int sig, const vsig_sigaction_t *act, vsig_siginfo_t *vinfo, void *ucontext) {
  siginfo_t info;
  ucontext_t here;
  if (act->sa_flags & SA_SIGINFO) {
    posix_siginfo(vinfo, &info);
    /* A signal delivered at a vsig call (raise, kill of the caller) has no
     * interrupted context: natively the handler still gets one, so it gets
     * a blank one rather than NULL. */
    if (!ucontext) {
      memset(&here, 0, sizeof here);
      ucontext = &here;
    }
  }
  struct call c = {sig, act, &info, ucontext};
#ifdef HAVE_STACK_SWITCH
  if (act->sa_flags & SA_ONSTACK) {
    stack_t ss;
    if (REAL(sigaltstack)(NULL, &ss) == 0 && !(ss.ss_flags & (SS_DISABLE | SS_ONSTACK))) {
      posix_call_on_stack((char *)ss.ss_sp + ss.ss_size, call, &c);
      return;
    }
  }
#endif
  call(&c);
}

__attribute__((constructor(101))) static void posix_init(void) {
  pthread_atfork(NULL, NULL, forget_pid);
  vsig_set_invoker(invoke);
  vsig_set_async_default(1);
  /* The main thread joins the default process now, with asynchronous delivery,
   * before any other thread exists: they inherit the host mask the bridge
   * sets on it. */
  (void)vsig_thread_self();
  vsig_thread_set_async(1);
  /* The mask the program started with (inherited through exec, as POSIX
   * says) is its vsig mask: the host's becomes the bridge's. */
  sigset_t start;
  if (REAL(pthread_sigmask)(SIG_BLOCK, NULL, &start) == 0) {
    vsig_sigset_t v = {set_bits(&start) & ~LIBC_RESERVED};
    vsig_pthread_sigmask(VSIG_SIG_SETMASK, &v, NULL);
  }
  vsig_sigset_t all;
  vsig_sigfillset(&all);
  vsig_bridge_enable(&all);
  atomic_store_explicit(&posix_started, 1, memory_order_release);
  /* The differential tests check that a run really is on vsig. */
  const char *active = getenv("VSIG_POSIX_ACTIVE_FILE");
  if (active && *active) {
    int fd = open(active, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0)
      close(fd);
  }
}
