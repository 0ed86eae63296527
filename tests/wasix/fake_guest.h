/*
 * A fake guest for host-side tests: 64 KiB of "guest memory" and module ops
 * that record every call into the guest instead of running wasm. The calling
 * thread is attached to a fresh vsig process and bound as its guest.
 */
#ifndef FAKE_GUEST_H
#define FAKE_GUEST_H

#include "vsig_wasix.h"
#include "vt.h"

#include <stdatomic.h>
#include <string.h>

#define MEM_SIZE 65536u
#define IDX_PLAIN 5u   /* table entry: (i32) -> () */
#define IDX_SIGINFO 7u /* table entry: (i32, i32, i32) -> () */

struct fake {
  uint8_t *data;
  uint32_t size;
  uint32_t sp;
  int calls;
  int route[64];
  uint32_t arg0[64], arg1[64];
  vsig_wasm_siginfo_t info[64];
  uint32_t sp_seen[64];
  void (*during)(vsig_wasix_guest_t *g); /* run inside the next guest call */
};

static struct fake F;
static vsig_wasix_guest_t G;

static int cb_marker; /* the address stands for the "cb" export */

static void *fake_find_export(void *inst, const char *name, size_t len) {
  (void)inst;
  return len == 2 && !memcmp(name, "cb", 2) ? (void *)&cb_marker : NULL;
}

static void record(int route, uint32_t a0, uint32_t a1) {
  if (F.calls < 64) {
    F.route[F.calls] = route;
    F.arg0[F.calls] = a0;
    F.arg1[F.calls] = a1;
    F.sp_seen[F.calls] = F.sp;
    if (route == VSIG_WASIX_ROUTE_SIGINFO && a1 && a1 + sizeof(vsig_wasm_siginfo_t) <= F.size)
      memcpy(&F.info[F.calls], F.data + a1, sizeof(vsig_wasm_siginfo_t));
  }
  F.calls++;
  if (F.during) {
    void (*d)(vsig_wasix_guest_t *) = F.during;
    F.during = NULL;
    d(&G);
  }
}

static void fake_call_export(void *inst, void *fn, uint32_t arg) {
  (void)inst;
  CHECK(fn == &cb_marker);
  record(VSIG_WASIX_ROUTE_CALLBACK, arg, 0);
}

static int fake_table_fn_ok(void *inst, uint32_t idx, int nparams) {
  (void)inst;
  return (idx == IDX_PLAIN && nparams == 1) || (idx == IDX_SIGINFO && nparams == 3);
}

static void fake_call_table(void *inst, uint32_t idx, int nparams, const uint32_t *a) {
  (void)inst;
  CHECK(fake_table_fn_ok(NULL, idx, nparams));
  record(nparams == 3 ? VSIG_WASIX_ROUTE_SIGINFO : VSIG_WASIX_ROUTE_HANDLER, a[0],
         nparams == 3 ? a[1] : 0);
}

static uint32_t *fake_stack_pointer(void *inst) {
  (void)inst;
  return &F.sp;
}

static const vsig_wasix_module_ops_t fake_ops = {
    fake_find_export, fake_call_export, fake_table_fn_ok, fake_call_table, fake_stack_pointer, NULL,
};

/* A fresh process, the calling thread in it, G bound to it. */
static void fake_setup(void) {
  memset(&F, 0, sizeof F);
  F.size = MEM_SIZE;
  F.data = calloc(1, MEM_SIZE);
  F.sp = 60000;
  CHECK(F.data);
  vsig_pid_t pid;
  CHECK_EQ(vsig_proc_create(NULL, &pid), 0);
  CHECK_EQ(vsig_thread_attach(pid, 0), 0);
  vsig_wasix_guest_init(&G);
  G.ops = &fake_ops;
  G.mem_data = &F.data;
  G.mem_size = &F.size;
  G.name = "fake";
  CHECK_EQ(vsig_wasix_guest_bind(&G), 0);
  CHECK_EQ(G.pid, pid);
}

/* Guest memory at offset off, as a host pointer. */
#define AT(off) (F.data + (off))

static inline uint32_t load32(uint32_t off) {
  uint32_t v;
  memcpy(&v, AT(off), 4);
  return v;
}

static inline void put_name(uint32_t off, const char *s) { memcpy(AT(off), s, strlen(s)); }

#endif
