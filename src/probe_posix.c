/*
 * probe_posix.c - the native build has no SChannel: `probe` says so
 * (probe.h, PROBE_UNAVAILABLE) instead of pretending with another stack.
 */
#include "probe.h"

int probe_host(const char *host, unsigned port, unsigned timeout_ms, struct probe_report *r,
               struct sc_err *err)
{
	(void)host, (void)port, (void)timeout_ms, (void)r;
	sc_err_set(err, "probe needs Windows (SChannel): this is the native build, which manages "
	                ".reg state files only");
	return PROBE_UNAVAILABLE;
}

int probe_offer(unsigned timeout_ms, struct offer_report *r, struct sc_err *err)
{
	(void)timeout_ms, (void)r;
	sc_err_set(err, "probe needs Windows (SChannel): this is the native build, which manages "
	                ".reg state files only");
	return PROBE_UNAVAILABLE;
}
