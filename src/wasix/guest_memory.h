/*
 * Guest memory access for the imports: every guest pointer and length is
 * checked against the memory's current size before the host touches it, so a
 * bad guest pointer is an error code, never a host crash. Fields are copied
 * with memcpy: wasm does not require alignment, and neither does vsig-wasix.
 */
#ifndef VSIG_WASIX_GUEST_MEMORY_H
#define VSIG_WASIX_GUEST_MEMORY_H

#include "vsig_wasix.h"

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vsig-wasix copies guest (little-endian) fields as host values"
#endif

/* Why a range was refused. */
enum { GM_OK = 0, GM_OOB, GM_OVERFLOW };

/* The host address of guest range [ptr, ptr + len), or NULL with *why set. A
 * range that wraps past 4 GiB is GM_OVERFLOW; one beyond the memory GM_OOB. */
static inline uint8_t *gm_range(const vsig_wasix_guest_t *g, uint32_t ptr, uint64_t len, int *why) {
  if ((uint64_t)ptr + len > UINT64_C(0x100000000)) {
    *why = GM_OVERFLOW;
    return NULL;
  }
  if ((uint64_t)ptr + len > *g->mem_size) {
    *why = GM_OOB;
    return NULL;
  }
  *why = GM_OK;
  return *g->mem_data + ptr;
}

/* count elements of size bytes: GM_OVERFLOW when the product passes 4 GiB. */
static inline uint8_t *gm_array(const vsig_wasix_guest_t *g, uint32_t ptr, uint64_t count,
                                uint64_t size, int *why) {
  if (count > UINT64_C(0x100000000) / (size ? size : 1)) {
    *why = GM_OVERFLOW;
    return NULL;
  }
  return gm_range(g, ptr, count * size, why);
}

/* The WASIX way of reporting a refused range (wasmer's mem_error_to_wasi). */
static inline uint32_t gm_wasix_errno(int why) {
  return why == GM_OVERFLOW ? VSIG_WASI_EOVERFLOW : VSIG_WASI_EMEMVIOLATION;
}

static inline uint32_t gm_load_u32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline uint64_t gm_load_u64(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, sizeof v);
  return v;
}
static inline void gm_store_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, sizeof v); }
static inline void gm_store_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, sizeof v); }

/* A host errno value from vsig as a WASI errno. */
uint32_t wasi_errno_of(int host_errno);

#endif
