/* platform/mem/mem.h: the in-memory backend's ops. */
#ifndef IKE_PLAT_MEM_H
#define IKE_PLAT_MEM_H

#include "../../core/platform.h"

extern const struct plat_ops plat_mem_ops;

#endif
