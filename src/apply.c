/*
 * apply.c - the transaction of apply.h.
 *
 * MUST: no exit() and no aborting allocation between the first write and
 * the end of the automatic restore. Everything that allocates with
 * xmalloc (diff, snapshot, restore plan) happens in PREPARE, before any
 * write; EXECUTE and RESTORE call only the backend and plain malloc.
 */
#include "apply.h"

#include <stdlib.h>
#include <string.h>

#include "ci_index.h"
#include "platform.h"
#include "snapshot.h"

/* Keys opened for writing during EXECUTE/RESTORE (plain malloc). An entry
 * stays when its key is closed (key NULL), so that the index never loses
 * one: a later op on the same key opens it again into the same entry. */
struct open_key {
	enum reg_view view;
	const char *path; /* borrowed from the op */
	struct reg_key *key;
};

struct executor {
	const struct reg_backend *b;
	struct open_key *keys;
	size_t n, cap;
	struct ci_index index; /* of keys, by (view, path) */
	size_t writes;
};

static void close_all(struct executor *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (x->keys[i].key)
			x->b->ops->close_key(x->b, x->keys[i].key);
	free(x->keys);
	x->keys = NULL;
	x->n = x->cap = 0;
	ci_index_free(&x->index);
}

static struct open_key *find_key(struct executor *x, enum reg_view view, const char *path)
{
	size_t it = 0, pos, h = hash_ci(view, path);

	while ((pos = ci_index_next(&x->index, h, &it)) != SIZE_MAX)
		if (x->keys[pos].view == view && streq_ci(x->keys[pos].path, path))
			return &x->keys[pos];
	return NULL;
}

static void forget_key(struct executor *x, enum reg_view view, const char *path)
{
	struct open_key *k = find_key(x, view, path);

	if (k && k->key) {
		x->b->ops->close_key(x->b, k->key);
		k->key = NULL;
	}
}

/* Opens the op's key for writing, once: creating it (and its parents)
 * when `create`, otherwise SC_NOT_FOUND when it is missing. */
static int key_for(struct executor *x, const struct plan_op *op, bool create, struct reg_key **key,
                   struct sc_err *err)
{
	struct open_key *k = find_key(x, op->view, op->path);
	int rc;

	if (k && k->key) {
		*key = k->key;
		return SC_OK;
	}
	if (!k && x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16;
		struct open_key *grown = realloc(x->keys, cap * sizeof(*grown));

		if (!grown)
			return sc_err_set(err, "out of memory");
		x->keys = grown;
		x->cap = cap;
	}
	if (create)
		rc = x->b->ops->create_key(x->b, op->view, op->path, key, NULL, err);
	else
		rc = x->b->ops->open_key(x->b, op->view, op->path, REG_ACCESS_WRITE, key, err);
	if (rc != SC_OK)
		return rc;
	if (k) {
		k->key = *key;
		return SC_OK;
	}
	if (!ci_index_put(&x->index, hash_ci(op->view, op->path), x->n)) {
		x->b->ops->close_key(x->b, *key);
		return sc_err_set(err, "out of memory");
	}
	x->keys[x->n++] = (struct open_key){op->view, op->path, *key};
	return SC_OK;
}

static int verify_value(struct executor *x, struct reg_key *key, const struct plan_op *op,
                        bool present, const struct reg_value *want, struct sc_err *err)
{
	struct reg_value got = {0};
	int rc = x->b->ops->read_value(x->b, key, op->name, &got, err);
	bool ok;

	if (rc == SC_ERROR)
		return rc;
	ok = present ? rc == SC_OK && regvalue_equal(&got, want) : rc == SC_NOT_FOUND;
	regvalue_free(&got);
	if (!ok)
		return sc_err_set(err, "HKLM\\%s \"%s\": read back %s, not what was written",
		                  op->path, op->name,
		                  rc == SC_OK ? "a different value" : "nothing");
	return SC_OK;
}

/* Writes (present) or deletes one value, then reads it back. A deletion
 * never creates the key: a missing key holds no value (and a restore that
 * created keys only to delete from them would have more to undo). */
static int put_value(struct executor *x, const struct plan_op *op, bool present,
                     const struct reg_value *v, struct sc_err *err)
{
	struct reg_key *key;
	int rc = key_for(x, op, present, &key, err);

	if (rc == SC_NOT_FOUND && !present)
		return SC_OK;
	if (rc != SC_OK)
		return rc;
	x->writes++;
	if (present)
		rc = x->b->ops->write_value(x->b, key, op->name, v, err);
	else
		rc = x->b->ops->delete_value(x->b, key, op->name, err);
	if (rc == SC_NOT_FOUND)
		rc = SC_OK;
	if (rc != SC_OK)
		return rc;
	return verify_value(x, key, op, present, v, err);
}

static int remove_key(struct executor *x, const struct plan_op *op, bool must_delete,
                      struct sc_err *err)
{
	bool deleted = false;
	int rc;

	forget_key(x, op->view, op->path);
	x->writes++;
	rc = x->b->ops->delete_key_if_empty(x->b, op->view, op->path, &deleted, err);
	if (rc == SC_NOT_FOUND)
		return SC_OK;
	if (rc != SC_OK)
		return rc;
	if (!deleted && must_delete)
		return sc_err_set(err, "HKLM\\%s is no longer empty; not removed", op->path);
	return SC_OK;
}

static int make_key(struct executor *x, const struct plan_op *op, struct sc_err *err)
{
	struct reg_key *key;

	x->writes++;
	return key_for(x, op, true, &key, err);
}

/* Executes one changed diff entry. */
static int execute_entry(struct executor *x, const struct diff_entry *e, struct sc_err *err)
{
	switch (e->op->kind) {
	case OP_SET:
	case OP_DELETE_VALUE:
	case OP_LIST_EDIT: return put_value(x, e->op, e->after_present, &e->after, err);
	case OP_DELETE_KEY_IF_EMPTY: return remove_key(x, e->op, true, err);
	case OP_CREATE_KEY: return make_key(x, e->op, err);
	}
	return SC_ERROR;
}

/* Executes a restore plan unconditionally (every op is idempotent). A
 * failure does not stop it: every other value is still put back, so that
 * as little as possible stays changed. Returns the first failure (the
 * state is then uncertain) with its message in err. */
static int execute_restore(struct executor *x, const struct plan *restore, struct sc_err *err)
{
	struct sc_err op_err;
	size_t i;
	int rc, first = SC_OK;

	for (i = 0; i < restore->nops; i++) {
		const struct plan_op *op = &restore->ops[i];

		op_err.msg[0] = '\0';
		switch (op->kind) {
		case OP_SET: rc = put_value(x, op, true, &op->value, &op_err); break;
		case OP_DELETE_VALUE: rc = put_value(x, op, false, NULL, &op_err); break;
		case OP_DELETE_KEY_IF_EMPTY: rc = remove_key(x, op, false, &op_err); break;
		case OP_CREATE_KEY: rc = make_key(x, op, &op_err); break;
		default: rc = sc_err_set(&op_err, "a restore plan has no list edits"); break;
		}
		if (rc != SC_OK && first == SC_OK) {
			first = SC_ERROR;
			*err = op_err;
		}
	}
	return first;
}

/* The keys confirm_before has opened, one per distinct (view, path), so a
 * key holding many changed values costs one open, not one per value. key
 * NULL: the key is gone now (every value in it reads as absent). */
struct confirm_keys {
	const struct reg_backend *b;
	struct confirm_key {
		enum reg_view view;
		const char *path; /* borrowed from the op */
		struct reg_key *key;
	} * keys;
	size_t n, cap;
	struct ci_index index; /* of keys, by (view, path) */
};

static void confirm_keys_close(struct confirm_keys *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->keys[i].key)
			c->b->ops->close_key(c->b, c->keys[i].key);
	free(c->keys);
	ci_index_free(&c->index);
}

/* The op's key, opened for reading at its first use: SC_OK with *key,
 * SC_NOT_FOUND (*key NULL) when it is missing, SC_ERROR. Before the first
 * write: may allocate with xmalloc. */
static int confirm_key_for(struct confirm_keys *c, const struct plan_op *op, struct reg_key **key,
                           struct sc_err *err)
{
	size_t it = 0, pos, h = hash_ci(op->view, op->path);
	int rc;

	while ((pos = ci_index_next(&c->index, h, &it)) != SIZE_MAX)
		if (c->keys[pos].view == op->view && streq_ci(c->keys[pos].path, op->path)) {
			*key = c->keys[pos].key;
			return *key ? SC_OK : SC_NOT_FOUND;
		}
	*key = NULL;
	rc = c->b->ops->open_key(c->b, op->view, op->path, REG_ACCESS_READ, key, err);
	if (rc != SC_OK && rc != SC_NOT_FOUND)
		return rc;
	xgrow(&c->keys, &c->cap, c->n + 1, sizeof(*c->keys));
	c->keys[c->n] = (struct confirm_key){op->view, op->path, rc == SC_OK ? *key : NULL};
	ci_index_xput(&c->index, h, c->n++);
	return rc;
}

/* Reads one changed value again: SC_OK when it reads as the diff read it,
 * SC_NOT_FOUND when it reads differently, SC_ERROR when a read fails. */
static int confirm_value(struct confirm_keys *c, const struct diff_entry *e, struct sc_err *err)
{
	struct reg_value again = {0};
	struct reg_key *key;
	bool same;
	int rc = confirm_key_for(c, e->op, &key, err);

	if (rc == SC_OK)
		rc = c->b->ops->read_value(c->b, key, e->op->name, &again, err);
	if (rc != SC_OK && rc != SC_NOT_FOUND)
		return rc;
	same = rc == SC_OK ? e->before_present && regvalue_equal(&again, &e->before)
	                   : !e->before_present;
	regvalue_free(&again);
	if (same)
		return SC_OK;
	sc_err_set(err,
	           "HKLM\\%s \"%s\" read differently twice (changed meanwhile, or misread); "
	           "nothing was changed",
	           e->op->path, e->op->name);
	return SC_NOT_FOUND;
}

/* Reads every before-image a second time: SC_OK, SC_NOT_FOUND when a value
 * reads differently, SC_ERROR when a read fails. A value that reads differently
 * (changed since the diff read it, or misread by a disk or driver) would go
 * into the snapshot as the prior state, and into the new value of a list
 * edit; refuse instead, before anything is written. Costs one read per
 * changed value and one open per distinct key of those, none on a
 * compliant re-apply. */
static int confirm_before(const struct reg_backend *b, const struct diff *d, struct sc_err *err)
{
	struct confirm_keys c = {.b = b};
	int rc = SC_OK;
	size_t i;

	for (i = 0; rc == SC_OK && i < d->n; i++) {
		const struct diff_entry *e = &d->entries[i];

		if (e->changed && e->op->name && e->key_existed)
			rc = confirm_value(&c, e, err);
	}
	confirm_keys_close(&c);
	return rc;
}

/* OPEN -> PREPARED: diff, snapshot, restore plan. Returns false when the
 * transaction ends here (nothing to do, or an error; nothing written). */
static bool prepare(const struct plan *plan, const struct apply_options *o, struct apply_result *r,
                    struct snapshot *snap, struct plan *restore)
{
	if (diff_compute(plan, o->backend, &r->diff, &r->err) != SC_OK) {
		r->status = r->diff.read_failed ? APPLY_READ_FAILED : APPLY_INPUT_ERROR;
		return false;
	}
	if (!r->diff.nchanged) {
		r->status = APPLY_NOTHING;
		return false;
	}
	switch (confirm_before(o->backend, &r->diff, &r->err)) {
	case SC_OK: break;
	case SC_NOT_FOUND: r->status = APPLY_REFUSED; return false;
	default: r->status = APPLY_READ_FAILED; return false;
	}
	if (!o->snapshot_dir) {
		sc_err_set(&r->err, "no snapshot folder to write the rollback snapshot to; nothing "
		                    "was changed");
		r->status = APPLY_REFUSED;
		return false;
	}
	if (o->before_snapshot &&
	    o->before_snapshot(o->before_snapshot_ctx, &r->diff, &r->err) != SC_OK) {
		r->status = APPLY_REFUSED;
		return false;
	}
	snapshot_from_diff(&r->diff, &o->label, snap);
	if (snapshot_write_auth(snap, o->snapshot_dir, o->snapshot_auth, &r->snapshot_path,
	                        &r->err) != SC_OK) {
		sc_err_prefix(&r->err, "cannot write the rollback snapshot; nothing was changed");
		r->status = APPLY_REFUSED;
		return false;
	}
	r->snapshot_id = xstrdup(snap->id);
	snapshot_restore_plan(snap, r->snapshot_path, restore);
	return true;
}

/* An interruption stops the transaction like a failed write: what was
 * done is restored before the process may end. */
static int check_interrupted(const struct apply_options *o, struct sc_err *err)
{
	const char *why = o->guard_signals ? platform_interrupted() : NULL;

	if (why)
		return sc_err_set(err, "interrupted by %s; stopped before the next change", why);
	return SC_OK;
}

/* PREPARED -> COMMITTED, or ABORTED with the restore executed. */
static void execute(const struct apply_options *o, struct apply_result *r,
                    const struct plan *restore)
{
	struct executor x = {.b = o->backend};
	int rc = SC_OK;
	size_t i;

	if (o->guard_signals)
		platform_guard_begin();
	for (i = 0; rc == SC_OK && i < r->diff.n; i++) {
		if (!r->diff.entries[i].changed)
			continue;
		rc = check_interrupted(o, &r->err);
		if (rc != SC_OK)
			break;
		rc = execute_entry(&x, &r->diff.entries[i], &r->err);
		r->executed++;
	}
	if (rc == SC_OK)
		rc = check_interrupted(o, &r->err);
	if (rc == SC_OK)
		rc = reg_backend_commit(o->backend, &r->err);
	if (rc == SC_OK) {
		r->status = APPLY_DONE;
		r->reboot = r->diff.reboot;
	} else {
		close_all(&x);
		x.b = o->backend;
		rc = execute_restore(&x, restore, &r->restore_err);
		/* A commit that replaced some of its files before failing: the
		 * restore must reach them too. */
		if (rc == SC_OK && reg_backend_commit_left_partial(o->backend)) {
			close_all(&x);
			rc = reg_backend_commit(o->backend, &r->restore_err);
		}
		r->status = rc == SC_OK ? APPLY_ROLLED_BACK : APPLY_ROLLBACK_FAILED;
	}
	close_all(&x);
	r->writes = x.writes;
	if (o->guard_signals)
		platform_guard_end();
}

enum apply_status apply_plan(const struct plan *plan, const struct apply_options *o,
                             struct apply_result *r)
{
	struct snapshot snap = {0};
	struct plan restore = {0};

	memset(r, 0, sizeof(*r));
	if (prepare(plan, o, r, &snap, &restore))
		execute(o, r, &restore);
	snapshot_free(&snap);
	if (restore.profile)
		plan_free(&restore);
	return r->status;
}

void apply_result_free(struct apply_result *r)
{
	diff_free(&r->diff);
	free(r->snapshot_path);
	free(r->snapshot_id);
	memset(r, 0, sizeof(*r));
}
