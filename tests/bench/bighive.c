/*
 * bighive HIVE N - adds N filler classes (SOFTWARE\Classes\CLSID\GROUP\{...}
 * with an InprocServer32 subkey and three values each, as COM registrations
 * fill a real SOFTWARE hive; in groups of 500, since libhivex rewrites a
 * parent's whole subkey list on each child it adds) to HIVE through libhivex, so
 * scripts/bench-image.sh can time an image of a realistic size. A benchmark fixture, not shipped.
 */
#include <hivex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hive_node_h child(hive_h *h, hive_node_h parent, const char *name)
{
	hive_node_h c = hivex_node_get_child(h, parent, name);

	return c ? c : hivex_node_add_child(h, parent, name);
}

/* A REG_SZ value's UTF-16LE bytes (ASCII text), in buf. */
static size_t utf16(const char *s, char *buf)
{
	size_t i, n = strlen(s);

	for (i = 0; i <= n; i++) {
		buf[2 * i] = s[i];
		buf[2 * i + 1] = 0;
	}
	return 2 * (n + 1);
}

static int add_class(hive_h *h, hive_node_h clsid, unsigned long i)
{
	char name[64], path[128], b1[256], b2[256], b3[64];
	hive_node_h k, server;
	hive_set_value v[3];

	snprintf(name, sizeof(name), "{%08lx-0000-4000-8000-%012lx}", i, i * 7919UL);
	snprintf(path, sizeof(path), "C:\\Windows\\System32\\filler%lu.dll", i);
	if (!(k = hivex_node_add_child(h, clsid, name)) ||
	    !(server = hivex_node_add_child(h, k, "InprocServer32")))
		return -1;
	v[0] = (hive_set_value){"", hive_t_REG_SZ, utf16(path, b1), b1};
	v[1] = (hive_set_value){"ThreadingModel", hive_t_REG_SZ, utf16("Both", b2), b2};
	v[2] = (hive_set_value){"Version", hive_t_REG_SZ, utf16("10.0.20348.1", b3), b3};
	return hivex_node_set_values(h, server, 3, v, 0);
}

int main(int argc, char **argv)
{
	unsigned long n, i;
	hive_node_h clsid, group = 0;
	hive_h *h;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: bighive HIVE N\n");
		return 2;
	}
	if (!(h = hivex_open(argv[1], HIVEX_OPEN_WRITE))) {
		perror(argv[1]);
		return 1;
	}
	clsid = child(h, child(h, hivex_root(h), "Classes"), "CLSID");
	for (i = 0; clsid && i < n; i++) {
		char name[32];

		snprintf(name, sizeof(name), "G%05lu", i / 500);
		if (i % 500 == 0 && !(group = hivex_node_add_child(h, clsid, name)))
			break;
		if (add_class(h, group, i) != 0)
			break;
	}
	if (!clsid || i < n || hivex_commit(h, NULL, 0) != 0) {
		perror("bighive");
		return 1;
	}
	hivex_close(h);
	return 0;
}
