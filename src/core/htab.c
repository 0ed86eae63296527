/* SPDX-License-Identifier: MIT */
/* Intrusive chained hash tables keyed by a 64-bit id, that double as they
 * fill: processes and threads (registry.c), groups and sessions (pgrp.c).
 * The caller's lock guards them. */
#include "internal.h"

#include <stdlib.h>

static size_t slot(const struct htab *h, uint64_t key) {
  key ^= key >> 29;
  key *= UINT64_C(0xbf58476d1ce4e5b9);
  key ^= key >> 32;
  return (size_t)key & (h->nb - 1);
}

struct hnode *htab_find(const struct htab *h, uint64_t key) {
  if (!h->nb)
    return NULL;
  for (struct hnode *n = h->b[slot(h, key)]; n; n = n->next)
    if (n->key == key)
      return n;
  return NULL;
}

int htab_add(struct htab *h, struct hnode *node) {
  if (h->n + 1 > h->nb / 2) {
    size_t nb = h->nb ? h->nb * 2 : 16;
    struct hnode **b = calloc(nb, sizeof *b);
    if (!b)
      return -ENOMEM;
    struct htab nh = {b, nb, h->n};
    for (size_t i = 0; i < h->nb; i++) {
      for (struct hnode *n = h->b[i], *next; n; n = next) {
        next = n->next;
        size_t s = slot(&nh, n->key);
        n->next = b[s];
        b[s] = n;
      }
    }
    free(h->b);
    *h = nh;
  }
  size_t s = slot(h, node->key);
  node->next = h->b[s];
  h->b[s] = node;
  h->n++;
  return 0;
}

void htab_del(struct htab *h, struct hnode *node) {
  for (struct hnode **pp = &h->b[slot(h, node->key)]; *pp; pp = &(*pp)->next) {
    if (*pp == node) {
      *pp = node->next;
      h->n--;
      return;
    }
  }
}

void htab_each(struct htab *h, void (*fn)(struct hnode *, void *), void *arg) {
  for (size_t i = 0; i < h->nb; i++) {
    for (struct hnode *n = h->b[i], *next; n; n = next) {
      next = n->next;
      fn(n, arg);
    }
  }
}

void htab_free(struct htab *h) {
  free(h->b);
  *h = (struct htab){0};
}
