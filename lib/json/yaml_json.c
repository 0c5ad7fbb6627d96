/* yaml_json: YAML <-> JSON with libyaml (see yaml_json.h). */
#include "json/yaml_json.h"

#include "json/jsonx.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_MAX_DEPTH  64
#define YAML_MAX_VALUES 2000000 /* total values produced, aliases expanded */

static bool equals_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* YAML 1.1 integers as go-yaml resolves them: decimal, 0x hex, 0b binary, 0 octal, '_' ignored. */
static bool parse_int(const char *s, json_int_t *out)
{
    char clean[72];
    size_t n = 0;
    for (; *s && n + 1 < sizeof clean; s++)
        if (*s != '_')
            clean[n++] = *s;
    if (*s)
        return false;
    clean[n] = '\0';
    const char *digits = clean + (clean[0] == '+' || clean[0] == '-');
    int base = 10;
    if (digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B'))
        base = 2, digits += 2;
    else if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        base = 16, digits += 2;
    else if (digits[0] == '0' && digits[1])
        base = 8, digits += 1;
    if (!*digits)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(digits, &end, base);
    if (errno || *end || *digits == '-' || *digits == '+')
        return false;
    *out = clean[0] == '-' ? -v : v;
    return true;
}

static bool is_float_syntax(const char *s)
{
    const char *p = s + (*s == '+' || *s == '-');
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits = true;
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += (*p == '+' || *p == '-');
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

json_t *yaml_resolve_plain(const char *text, size_t len)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"y",  "Y",  "yes",  "Yes",  "YES",  "on",
                                        "On", "ON", "true", "True", "TRUE", NULL};
    static const char *const falses[] = {"n",   "N",   "no",    "No",    "NO",    "off",
                                         "Off", "OFF", "false", "False", "FALSE", NULL};
    json_int_t i;
    if (strlen(text) != len || len > 64)
        return json_stringn(text, len);
    if (equals_any(text, nulls))
        return json_null();
    if (equals_any(text, trues))
        return json_true();
    if (equals_any(text, falses))
        return json_false();
    if (parse_int(text, &i))
        return json_integer(i);
    if (is_float_syntax(text)) {
        double d = strtod(text, NULL);
        /* kubectl serialises whole floats without a fraction, so they arrive as integers */
        if (isfinite(d) && d == floor(d) && fabs(d) < 9.0e18)
            return json_integer((json_int_t)d);
        if (isfinite(d))
            return json_real(d);
    }
    return json_stringn(text, len);
}

/* Reading works on parser events rather than libyaml's document tree: only events tell an
 * untagged plain scalar (to be resolved) from an explicitly tagged one ("!!str 0755"). */

struct anchor {
    char *name;
    json_t *value;
};

struct frame {
    json_t *container; /* object or array being filled */
    char *pending_key; /* objects: key waiting for its value */
    yaml_mark_t key_mark;
    char *anchor; /* anchor of this container, registered when it closes */
};

struct reader {
    yaml_parser_t parser;
    struct frame stack[YAML_MAX_DEPTH + 1];
    int depth;
    struct anchor *anchors;
    size_t n_anchors, cap_anchors;
    size_t produced;
    char *err;
    size_t err_size;
};

static int fail_at(struct reader *r, yaml_mark_t mark, const char *what)
{
    snprintf(r->err, r->err_size, "line %zu column %zu: %s", mark.line + 1, mark.column + 1, what);
    return -1;
}

static size_t value_size(const json_t *v)
{
    size_t n = 1, i;
    const char *k;
    json_t *child;
    if (json_is_object(v))
        json_object_foreach((json_t *)v, k, child) n += value_size(child);
    else if (json_is_array(v))
        json_array_foreach(v, i, child) n += value_size(child);
    return n;
}

static int remember_anchor(struct reader *r, const char *name, json_t *value)
{
    if (r->n_anchors == r->cap_anchors) {
        size_t cap = r->cap_anchors ? r->cap_anchors * 2 : 8;
        struct anchor *grown = realloc(r->anchors, cap * sizeof *grown);
        if (!grown)
            return -1;
        r->anchors = grown;
        r->cap_anchors = cap;
    }
    r->anchors[r->n_anchors].name = strdup(name);
    r->anchors[r->n_anchors].value = json_incref(value);
    r->n_anchors++;
    return 0;
}

static json_t *find_anchor(struct reader *r, const char *name)
{
    for (size_t i = r->n_anchors; i-- > 0;) /* the latest definition wins */
        if (strcmp(r->anchors[i].name, name) == 0)
            return r->anchors[i].value;
    return NULL;
}

/* Places a finished value in the enclosing container (or returns it as the document root). */
static int place(struct reader *r, json_t *value, size_t weight, yaml_mark_t mark, json_t **root)
{
    r->produced += weight;
    if (r->produced > YAML_MAX_VALUES) {
        json_decref(value);
        return fail_at(r, mark, "document too large once aliases are expanded");
    }
    if (r->depth == 0) {
        *root = value;
        return 0;
    }
    struct frame *f = &r->stack[r->depth - 1];
    if (json_is_array(f->container))
        return json_array_append_new(f->container, value) == 0 ? 0 : -1;
    if (!f->pending_key) {
        int rc = 0;
        if (!json_is_string(value))
            rc = fail_at(r, mark, "mapping keys must be scalars");
        else if (strcmp(json_string_value(value), "<<") == 0)
            rc = fail_at(r, mark, "merge keys (<<) are not supported");
        else if (json_object_get(f->container, json_string_value(value)))
            rc = fail_at(r, mark, "duplicate mapping key");
        else
            f->pending_key = strdup(json_string_value(value));
        json_decref(value);
        return rc;
    }
    json_object_set_new(f->container, f->pending_key, value);
    free(f->pending_key);
    f->pending_key = NULL;
    return 0;
}

/* Untagged plain scalars are resolved; quoted ones, keys, "!" and "!!str" are strings; other
 * explicit tags ("!!int 3") resolve their text. */
static json_t *scalar_value(const yaml_event_t *ev, bool as_key)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (!as_key && ev->data.scalar.plain_implicit)
        return yaml_resolve_plain(value, len);
    if (as_key || !tag || strcmp(tag, "!") == 0 || strcmp(tag, YAML_STR_TAG) == 0)
        return json_stringn(value, len);
    return yaml_resolve_plain(value, len);
}

static bool expecting_key(const struct reader *r)
{
    const struct frame *f = r->depth ? &r->stack[r->depth - 1] : NULL;
    return f && json_is_object(f->container) && !f->pending_key;
}

static int open_container(struct reader *r, json_t *container, const yaml_char_t *anchor,
                          yaml_mark_t mark)
{
    if (r->depth >= YAML_MAX_DEPTH) {
        json_decref(container);
        return fail_at(r, mark, "nested too deeply");
    }
    if (expecting_key(r)) {
        json_decref(container);
        return fail_at(r, mark, "mapping keys must be scalars");
    }
    struct frame *f = &r->stack[r->depth++];
    f->container = container;
    f->pending_key = NULL;
    f->anchor = anchor ? strdup((const char *)anchor) : NULL;
    return 0;
}

static int close_container(struct reader *r, yaml_mark_t mark, json_t **root)
{
    struct frame *f = &r->stack[--r->depth];
    json_t *value = f->container;
    int rc = f->anchor ? remember_anchor(r, f->anchor, value) : 0;
    free(f->anchor);
    free(f->pending_key);
    return rc < 0 ? -1 : place(r, value, 1, mark, root);
}

static int on_event(struct reader *r, const yaml_event_t *ev, json_t **root)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        json_t *v = scalar_value(ev, expecting_key(r));
        if (ev->data.scalar.anchor && remember_anchor(r, (const char *)ev->data.scalar.anchor, v))
            return -1;
        return place(r, v, 1, ev->start_mark, root);
    }
    case YAML_ALIAS_EVENT: {
        json_t *v = find_anchor(r, (const char *)ev->data.alias.anchor);
        if (!v)
            return fail_at(r, ev->start_mark, "unknown alias");
        size_t weight = value_size(v);
        if (weight > YAML_MAX_VALUES)
            return fail_at(r, ev->start_mark, "document too large once aliases are expanded");
        return place(r, json_deep_copy(v), weight, ev->start_mark, root);
    }
    case YAML_MAPPING_START_EVENT:
        return open_container(r, json_object(), ev->data.mapping_start.anchor, ev->start_mark);
    case YAML_SEQUENCE_START_EVENT:
        return open_container(r, json_array(), ev->data.sequence_start.anchor, ev->start_mark);
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        return close_container(r, ev->start_mark, root);
    default:
        return 0;
    }
}

static void reader_reset(struct reader *r)
{
    while (r->depth > 0) {
        struct frame *f = &r->stack[--r->depth];
        json_decref(f->container);
        free(f->anchor);
        free(f->pending_key);
    }
    for (size_t i = 0; i < r->n_anchors; i++) {
        free(r->anchors[i].name);
        json_decref(r->anchors[i].value);
    }
    r->n_anchors = 0;
    r->produced = 0;
}

static void parser_error(const yaml_parser_t *p, char *err, size_t err_size)
{
    snprintf(err, err_size, "line %zu column %zu: %s%s%s", p->problem_mark.line + 1,
             p->problem_mark.column + 1, p->problem ? p->problem : "invalid YAML",
             p->context ? " " : "", p->context ? p->context : "");
}

/* Runs the event loop; documents are appended to `docs` as they end. */
static int read_events(struct reader *r, json_t *docs)
{
    json_t *root = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&r->parser, &ev)) {
            parser_error(&r->parser, r->err, r->err_size);
            json_decref(root); /* a scalar document cut short by the error */
            return -1;
        }
        int rc = on_event(r, &ev, &root);
        yaml_event_type_t type = ev.type;
        yaml_event_delete(&ev);
        if (rc < 0) {
            json_decref(root);
            return -1;
        }
        if (type == YAML_DOCUMENT_END_EVENT) {
            if (root && !json_is_null(root))
                json_array_append(docs, root);
            json_decref(root);
            root = NULL;
            reader_reset(r); /* anchors do not cross documents */
        }
        if (type == YAML_STREAM_END_EVENT)
            return 0;
    }
}

json_t *yaml_stream_to_json(const char *text, size_t len, char *err, size_t err_size)
{
    struct reader r;
    memset(&r, 0, sizeof r);
    r.err = err;
    r.err_size = err_size;
    json_t *docs = json_array();
    yaml_parser_initialize(&r.parser);
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
    if (read_events(&r, docs) < 0) {
        json_decref(docs);
        docs = NULL;
    }
    reader_reset(&r);
    free(r.anchors);
    yaml_parser_delete(&r.parser);
    return docs;
}

/* --- writing --- */

static int emit_value(yaml_emitter_t *e, const json_t *v);

static int emit_scalar(yaml_emitter_t *e, const char *text, int plain_ok, yaml_scalar_style_t style)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, (yaml_char_t *)YAML_STR_TAG, (yaml_char_t *)text,
                                      (int)strlen(text), plain_ok, 1, style))
        return -1;
    return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

/* A string is written plain only when reading it back plain gives the same string. */
static int emit_string(yaml_emitter_t *e, const json_t *v)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    json_t *back = yaml_resolve_plain(s, len);
    int plain_ok = json_is_string(back) && len > 0;
    json_decref(back);
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
    if (memchr(s, '\n', len))
        style = YAML_LITERAL_SCALAR_STYLE;
    return emit_scalar(e, s, plain_ok, style);
}

static int emit_number_or_literal(yaml_emitter_t *e, const json_t *v)
{
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
    if (!text)
        return -1;
    int rc = emit_scalar(e, text, 1, YAML_PLAIN_SCALAR_STYLE);
    free(text);
    return rc;
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int emit_empty(yaml_emitter_t *e, bool mapping)
{
    yaml_event_t ev;
    if (mapping)
        yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1,
                                            YAML_FLOW_MAPPING_STYLE);
    else
        yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1,
                                             YAML_FLOW_SEQUENCE_STYLE);
    if (!yaml_emitter_emit(e, &ev))
        return -1;
    if (mapping)
        yaml_mapping_end_event_initialize(&ev);
    else
        yaml_sequence_end_event_initialize(&ev);
    return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int emit_mapping(yaml_emitter_t *e, const json_t *obj)
{
    yaml_event_t ev;
    size_t n = json_object_size(obj), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    const char *key;
    json_t *value;
    int rc = 0;
    if (!keys)
        return -1;
    json_object_foreach((json_t *)obj, key, value) keys[i++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    yaml_mapping_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_MAP_TAG, 1,
                                        YAML_BLOCK_MAPPING_STYLE);
    rc = yaml_emitter_emit(e, &ev) ? 0 : -1;
    for (i = 0; rc == 0 && i < n; i++) {
        json_t *k = json_string(keys[i]);
        rc = emit_string(e, k);
        json_decref(k);
        if (rc == 0)
            rc = emit_value(e, json_object_get(obj, keys[i]));
    }
    free(keys);
    yaml_mapping_end_event_initialize(&ev);
    return rc == 0 && yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int emit_sequence(yaml_emitter_t *e, const json_t *arr)
{
    yaml_event_t ev;
    size_t i;
    json_t *item;
    yaml_sequence_start_event_initialize(&ev, NULL, (yaml_char_t *)YAML_SEQ_TAG, 1,
                                         YAML_BLOCK_SEQUENCE_STYLE);
    if (!yaml_emitter_emit(e, &ev))
        return -1;
    json_array_foreach(arr, i, item) if (emit_value(e, item) < 0) return -1;
    yaml_sequence_end_event_initialize(&ev);
    return yaml_emitter_emit(e, &ev) ? 0 : -1;
}

static int emit_value(yaml_emitter_t *e, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return json_object_size(v) ? emit_mapping(e, v) : emit_empty(e, true);
    case JSON_ARRAY:
        return json_array_size(v) ? emit_sequence(e, v) : emit_empty(e, false);
    case JSON_STRING:
        return emit_string(e, v);
    default:
        return emit_number_or_literal(e, v);
    }
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    return fwrite(buffer, 1, size, (FILE *)data) == size;
}

int yaml_stream_write(FILE *out, const json_t *docs)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    size_t i;
    json_t *doc;
    int rc = 0;
    yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, write_handler, out);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, 120);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    rc = yaml_emitter_emit(&e, &ev) ? 0 : -1;
    json_array_foreach(docs, i, doc)
    {
        if (rc < 0)
            break;
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
        rc = yaml_emitter_emit(&e, &ev) ? 0 : -1;
        if (rc == 0)
            rc = emit_value(&e, doc);
        yaml_document_end_event_initialize(&ev, 1);
        if (rc == 0)
            rc = yaml_emitter_emit(&e, &ev) ? 0 : -1;
    }
    yaml_stream_end_event_initialize(&ev);
    if (rc == 0)
        rc = yaml_emitter_emit(&e, &ev) ? 0 : -1;
    yaml_emitter_delete(&e);
    return rc;
}
