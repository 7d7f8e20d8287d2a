#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend_mem.h"
#include "profile.h"
#include "regfile.h"

struct reg_backend *t_front_init(struct t_front *f, struct reg_backend *inner)
{
	memset(f, 0, sizeof(*f));
	f->ops = mem_backend_ops;
	f->ops.name = "test-front";
	f->ops.base = &mem_backend_ops;
	f->ops.destroy = NULL;
	f->base.backend.ops = &f->ops;
	f->base.mem = inner;
	return &f->base.backend;
}

struct reg_backend *t_state(const char *reg_text)
{
	struct strbuf sb = STRBUF_INIT;
	struct reg_backend *b;
	struct regfile rf;
	struct sc_err err = {{0}};

	if (!starts_with(reg_text, "Windows Registry Editor"))
		sb_adds(&sb, "Windows Registry Editor Version 5.00\n\n");
	sb_adds(&sb, reg_text);
	if (regfile_parse("t_state", (const uint8_t *)sb_str(&sb), sb.len, &rf, &err) != SC_OK)
		fail_msg("t_state: %s", err.msg);
	b = mem_backend_new();
	if (regfile_apply_records(&rf, b, &err) != SC_OK)
		fail_msg("t_state: %s", err.msg);
	regfile_free(&rf);
	sb_free(&sb);
	return b;
}

char *t_dump(const struct reg_backend *b)
{
	struct strbuf sb = STRBUF_INIT;

	mem_dump(b, &sb);
	return sb_detach(&sb);
}

uint32_t t_dword(const struct reg_backend *b, enum reg_view view, const char *path,
                 const char *name)
{
	struct reg_value v = {0};
	struct sc_err err = {{0}};
	uint32_t d = 0;

	if (reg_read_value_at(b, view, path, name, &v, &err) != SC_OK)
		fail_msg("t_dword: %s\\%s absent (%s)", path, name, err.msg);
	if (!regvalue_get_dword(&v, &d))
		fail_msg("t_dword: %s\\%s is not a REG_DWORD", path, name);
	regvalue_free(&v);
	return d;
}

bool t_has_value(const struct reg_backend *b, enum reg_view view, const char *path,
                 const char *name)
{
	struct reg_value v = {0};
	struct sc_err err = {{0}};
	int rc = reg_read_value_at(b, view, path, name, &v, &err);

	regvalue_free(&v);
	if (rc == SC_ERROR)
		fail_msg("t_has_value: %s", err.msg);
	return rc == SC_OK;
}

const char *t_src(const char *relative)
{
	return relative;
}

char *t_tmpdir(const char *tag)
{
	const char *base = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/schannelcfg-test-%s-XXXXXX", base && *base ? base : "/tmp", tag);

	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

void t_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *child;

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			child = xasprintf("%s/%s", path, e->d_name);
			t_remove_tree(child);
			free(child);
		}
		closedir(d);
		rmdir(path);
		return;
	}
	unlink(path);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The top-level regular files of dir ending in suffix, sorted paths. */
char **t_list_files(const char *dir, const char *suffix, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;

	if (!d)
		fail_msg("cannot open %s (run the tests from the repository root)", dir);
	while ((de = readdir(d)) != NULL) {
		char *path = xasprintf("%s/%s", dir, de->d_name);
		struct stat st;

		if (has_suffix(de->d_name, suffix) && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			xgrow(&names, &cap, n + 1, sizeof(*names));
			names[n++] = path;
		} else {
			free(path);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*count = n;
	return names;
}

void t_write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size)
		fail_msg("%s: cannot write", path);
	fclose(f);
}

bool t_is_baseline(const char *name)
{
	struct profile *p = NULL;
	struct diag d = {0};
	bool yes = profile_load(name, NULL, &p, &d) == SC_OK && p->baseline;

	if (p)
		profile_free(p);
	diag_free(&d);
	return yes;
}

/* ---- golden files ---- */

bool t_updating_golden(void)
{
	const char *v = getenv("SCHANNELCFG_UPDATE_GOLDEN");

	return v && *v && strcmp(v, "0");
}

static const char *nth_line(const char *text, size_t n, size_t *len)
{
	while (n-- && text) {
		text = strchr(text, '\n');
		if (text)
			text++;
	}
	if (!text || !*text)
		return NULL;
	*len = strcspn(text, "\n");
	return text;
}

static void print_line(char mark, const char *line, size_t len)
{
	if (line)
		print_error("%c%.*s\n", mark, (int)len, line);
}

void t_golden_diff(const char *path, const char *want, const char *got, const char *test)
{
	size_t i = 0, la = 0, lb = 0, k;
	const char *a, *b;

	for (;; i++) {
		a = nth_line(want, i, &la);
		b = nth_line(got, i, &lb);
		if (!a || !b || la != lb || memcmp(a, b, la))
			break;
	}
	print_error("golden mismatch: %s\n--- %s (expected)\n+++ plan_format() output\n"
	            "@@ line %zu @@\n",
	            path, path, i + 1);
	for (k = i > 3 ? i - 3 : 0; k < i; k++) {
		a = nth_line(want, k, &la);
		print_line(' ', a, la);
	}
	for (k = i; k < i + 4; k++) {
		a = nth_line(want, k, &la);
		print_line('-', a, la);
	}
	for (k = i; k < i + 4; k++) {
		b = nth_line(got, k, &lb);
		print_line('+', b, lb);
	}
	print_error("if the change is intended: SCHANNELCFG_UPDATE_GOLDEN=1 "
	            "build/host/tests/%s, then review git diff %s\n",
	            test, path);
}

bool t_golden_file(const char *path, const char *got, bool update, const char *test)
{
	struct sc_err err = {{0}};
	size_t size;
	char *want;
	bool ok;

	if (update) {
		if (write_file_atomic(path, got, strlen(got), &err) != SC_OK)
			fail_msg("%s", err.msg);
		print_error("wrote %s\n", path);
		return true;
	}
	if (!(want = read_file(path, 1024 * 1024, &size, &err))) {
		print_error("%s (create it with SCHANNELCFG_UPDATE_GOLDEN=1)\n", err.msg);
		return false;
	}
	ok = size == strlen(got) && !memcmp(want, got, size);
	if (!ok)
		t_golden_diff(path, want, got, test);
	free(want);
	return ok;
}
