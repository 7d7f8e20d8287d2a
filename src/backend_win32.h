/*
 * backend_win32.h - the live registry (Windows builds only).
 */
#ifndef SCHANNELCFG_BACKEND_WIN32_H
#define SCHANNELCFG_BACKEND_WIN32_H

#include "backend.h"

/* The process-wide win32 backend. Static: never freed. */
struct reg_backend *win32_backend_get(void);

#endif
