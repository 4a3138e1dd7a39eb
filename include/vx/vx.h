/* vx/vx.h — the whole substrate ABI. Everything above the substrate talks
 * to it only through these headers; docs/substrate.md is their normative
 * specification. */
#ifndef VX_VX_H
#define VX_VX_H

#include <vx/status.h>
#include <vx/types.h>
#include <vx/handle.h>
#include <vx/task.h>
#include <vx/region.h>
#include <vx/ring.h>
#include <vx/signal.h>
#include <vx/clock.h>
#include <vx/entropy.h>
#include <vx/io.h>

#endif
