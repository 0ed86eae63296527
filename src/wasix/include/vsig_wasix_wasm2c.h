/*
 * The import-module instances of wasm2c 1.0.32 (Debian's wabt): generated
 * code calls each import as Z_<module>Z_<name>(struct Z_<module>_instance_t *,
 * ...). vsig-wasix defines those functions (wasm2c_imports.c); each module's
 * instance is the guest itself, so instantiate with vsig_wasix_as_*(g).
 */
#ifndef VSIG_WASIX_WASM2C_H
#define VSIG_WASIX_WASM2C_H

#include "vsig_wasix.h"

struct Z_wasi_snapshot_preview1_instance_t {
  vsig_wasix_guest_t g;
};
struct Z_wasix_32v1_instance_t {
  vsig_wasix_guest_t g;
};
struct Z_vsig_posix_v1_instance_t {
  vsig_wasix_guest_t g;
};

/* A struct may be accessed through a pointer to a struct whose first member
 * it is: these views alias the guest legitimately. */
static inline struct Z_wasi_snapshot_preview1_instance_t *
vsig_wasix_as_wasi(vsig_wasix_guest_t *g) {
  return (struct Z_wasi_snapshot_preview1_instance_t *)(void *)g;
}
static inline struct Z_wasix_32v1_instance_t *vsig_wasix_as_wasix(vsig_wasix_guest_t *g) {
  return (struct Z_wasix_32v1_instance_t *)(void *)g;
}
static inline struct Z_vsig_posix_v1_instance_t *vsig_wasix_as_posix(vsig_wasix_guest_t *g) {
  return (struct Z_vsig_posix_v1_instance_t *)(void *)g;
}

#endif
