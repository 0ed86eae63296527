/* SPDX-License-Identifier: MIT */
/*
 * setjmp and longjmp around handlers. Natively siglongjmp out of a handler
 * restores the mask sigsetjmp(env, 1) saved (so the signal is unblocked and
 * its handler runs again next time), and the handler's frame is simply gone.
 * Here the mask is vsig's, and vsig counts the handlers a thread is inside:
 * the setjmp family records vsig's mask and that count in the jmp_buf, and the
 * longjmp family restores them (vsig_handler_unwind) before jumping.
 *
 * The record goes where glibc keeps the mask it saves (__saved_mask), which
 * it leaves alone when asked not to save one: so the real __sigsetjmp is
 * always called with savemask 0, and the host's mask is never touched. The
 * setjmp entry points are small assembly stubs (a C wrapper would return
 * before the jump comes back): they record, then jump to libc's __sigsetjmp
 * as if called from the program.
 */
#include "posix.h"

#include <setjmp.h>

#define MAGIC UINT64_C(0x7673696a6d700000) /* "vsijmp" */

struct record {
  uint64_t tag; /* MAGIC | savemask */
  uint64_t mask;
  uint64_t depth;
};

/* Called by the stubs: record, and return libc's __sigsetjmp to jump to. */
void *posix_jmp_record(struct __jmp_buf_tag *env, int savemask)
    __attribute__((visibility("hidden")));
void *posix_jmp_record(struct __jmp_buf_tag *env, int savemask) {
  struct record r = {MAGIC | (savemask != 0), 0, vsig_handler_depth()};
  if (savemask) {
    vsig_sigset_t m;
    vsig_pthread_sigmask(VSIG_SIG_BLOCK, NULL, &m);
    r.mask = m.bits;
  }
  _Static_assert(sizeof(struct record) <= sizeof env->__saved_mask, "room for the record");
  memcpy(&env->__saved_mask, &r, sizeof r);
  static void *real;
  if (!real)
    real = dlsym(RTLD_NEXT, "__sigsetjmp");
  return real;
}

#if defined(__x86_64__)
/* rdi = env, esi = savemask; the stack is the caller's, so libc saves the
 * caller's frame. posix_jmp_record keeps the callee-saved registers. */
#define STUB(name, savemask_insn)                                                                  \
  ".globl " #name "\n"                                                                             \
  ".type " #name ",@function\n" #name ":\n"                                                        \
  "  .cfi_startproc\n" savemask_insn "  push %rdi\n"                                               \
  "  .cfi_adjust_cfa_offset 8\n"                                                                   \
  "  push %rsi\n"                                                                                  \
  "  .cfi_adjust_cfa_offset 8\n"                                                                   \
  "  sub $8, %rsp\n"                                                                               \
  "  .cfi_adjust_cfa_offset 8\n"                                                                   \
  "  call posix_jmp_record\n"                                                                      \
  "  add $8, %rsp\n"                                                                               \
  "  .cfi_adjust_cfa_offset -8\n"                                                                  \
  "  pop %rsi\n"                                                                                   \
  "  .cfi_adjust_cfa_offset -8\n"                                                                  \
  "  pop %rdi\n"                                                                                   \
  "  .cfi_adjust_cfa_offset -8\n"                                                                  \
  "  xor %esi, %esi\n"                                                                             \
  "  jmp *%rax\n"                                                                                  \
  "  .cfi_endproc\n"                                                                               \
  ".size " #name ",.-" #name "\n"
__asm__(".text\n"
        ".align 16\n" STUB(__sigsetjmp, "") ".align 16\n" STUB(
            _setjmp, "  xor %esi, %esi\n") ".align 16\n" STUB(setjmp, "  mov $1, %esi\n"));
#define HAVE_STUBS 1
#endif

/* Before a jump: the handler frames it leaves are forgotten, and the mask
 * comes back if it was saved. Jumping out of a host signal handler (a fault's)
 * also leaves the host mask as the kernel set it for that handler: put back
 * the one the bridge wants. */
static void unwind(struct __jmp_buf_tag *env) {
  struct record r;
  memcpy(&r, &env->__saved_mask, sizeof r);
  if ((r.tag & ~UINT64_C(1)) != MAGIC)
    return;
  bool leaving_handlers = vsig_handler_depth() > r.depth;
  vsig_sigset_t m = {r.mask};
  vsig_handler_unwind((unsigned)r.depth, (r.tag & 1) ? &m : NULL);
  if (leaving_handlers)
    vsig_bridge_hostmask(0);
}

EXPORT void siglongjmp(sigjmp_buf env, int val) {
  unwind(env);
  REAL(siglongjmp)(env, val);
  __builtin_unreachable();
}

EXPORT void longjmp(jmp_buf env, int val) {
  unwind(env);
  REAL(longjmp)(env, val);
  __builtin_unreachable();
}

EXPORT void _longjmp(jmp_buf env, int val) {
  unwind(env);
  REAL(_longjmp)(env, val);
  __builtin_unreachable();
}

void __longjmp_chk(struct __jmp_buf_tag env[1], int val);
EXPORT void __longjmp_chk(struct __jmp_buf_tag env[1], int val) {
  unwind(env);
  REAL(__longjmp_chk)(env, val);
  __builtin_unreachable();
}
