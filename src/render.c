/*
 * render: offline `helm template` for Monero resources. Reads one or more custom resources
 * from a YAML file, runs the same hook the server runs as a first sync (nothing observed yet),
 * and prints the children as a YAML stream `kubectl apply -f -` accepts, each resource's
 * status as comments before its children. An invalid spec is an error (exit status 1).
 */
#include "render.h"

#include "commands.h"
#include "image_options.h"
#include "options.h"

#include "hooks/hook.h"
#include "metacontroller/hook_request.h"
#include "metacontroller/hook_response.h"
#include "json/jsonx.h"
#include "json/yaml_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_MAX_INPUT (64UL << 20)

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (*len + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 65536 * 2;
            char *grown = cap > RENDER_MAX_INPUT ? NULL : realloc(buf, cap);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len - 1, f);
        *len += n;
        if (n == 0)
            break;
    }
    if (buf)
        buf[*len] = '\0';
    if (f != stdin)
        fclose(f);
    return buf;
}

/* The request Metacontroller would send on the first sync: every child type, none observed. */
static json_t *first_sync_request(const struct hook_def *hook, json_t *parent)
{
    json_t *children = json_object();
    for (size_t i = 0; hook->child_types[i]; i++)
        json_object_set_new(children, hook->child_types[i], json_object());
    return json_pack("{s:{},s:o,s:o,s:{},s:b}", "controller", "parent", parent, "children",
                     children, "related", "finalizing", 0);
}

static const char *invalid_spec_message(const json_t *status)
{
    size_t i;
    json_t *c;
    json_array_foreach(jsonx_array(status, "conditions"), i, c)
    {
        const char *reason = jsonx_string(c, "reason");
        if (reason && strcmp(reason, "InvalidSpec") == 0)
            return jsonx_string(c, "message");
    }
    return NULL;
}

/* Writes the status as "# " comment lines. */
static void print_status_comment(FILE *out, const char *kind, const char *name,
                                 const json_t *status)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    json_t *docs = json_pack("[O]", status);
    fprintf(out, "# %s %s: status reported by the first sync\n", kind, name);
    if (mem && yaml_stream_write(mem, docs) == 0 && fclose(mem) == 0) {
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
            if (strcmp(line, "---") != 0 && strcmp(line, "...") != 0)
                fprintf(out, "#   %s\n", line);
    } else if (mem) {
        fclose(mem);
    }
    free(text);
    json_decref(docs);
}

static int render_one(const struct render_settings *s, size_t index, json_t *doc, FILE *out)
{
    const char *kind = jsonx_string(doc, "kind");
    const struct hook_def *hook = kind ? hook_find_by_kind(kind) : NULL;
    if (!hook) {
        fprintf(s->err,
                "monero-operator render: document %zu: kind \"%s\" is not one of "
                "MoneroNodeSet, MoneroNetwork, MoneroMiningNodeSet\n",
                index + 1, kind ? kind : "");
        return -1;
    }
    struct hook_request req;
    struct hook_response resp;
    struct hook_error err;
    if (hook_request_adopt(first_sync_request(hook, json_incref(doc)), &req, &err) < 0) {
        fprintf(s->err, "monero-operator render: document %zu: %s\n", index + 1, err.message);
        return -1;
    }
    hook_response_init(&resp);
    if (hook_run(hook, &req, &s->defaults, &resp, &err) < 0) {
        fprintf(s->err, "monero-operator render: document %zu: %s\n", index + 1, err.message);
        hook_response_release(&resp);
        hook_request_release(&req);
        return -1;
    }
    int rc = 0;
    const char *invalid = invalid_spec_message(resp.status);
    if (invalid) {
        fprintf(s->err, "monero-operator render: %s %s: %s\n", kind, req.name, invalid);
        rc = -1;
    } else if (strcmp(s->output, "json") == 0) {
        json_t *r = hook_response_to_json(&resp, false);
        char *text = jsonx_dump_canonical(r);
        fprintf(out, "%s\n", text);
        free(text);
        json_decref(r);
    } else {
        print_status_comment(out, kind, req.name, resp.status);
        rc = yaml_stream_write(out, resp.children);
    }
    hook_response_release(&resp);
    hook_request_release(&req);
    return rc;
}

int render_text(const struct render_settings *s, const char *text, size_t len)
{
    size_t i;
    char err[256];
    json_t *docs = yaml_stream_to_json(text, len, err, sizeof err);
    if (!docs) {
        fprintf(s->err, "monero-operator render: %s: %s\n", s->file, err);
        return 1;
    }
    json_t *doc;
    int failed = 0;
    json_array_foreach(docs, i, doc)
    {
        if (!json_is_object(doc)) {
            fprintf(s->err, "monero-operator render: document %zu is not a mapping\n", i + 1);
            failed = 1;
        } else if (render_one(s, i, doc, s->out) < 0) {
            failed = 1;
        }
    }
    json_decref(docs);
    return failed;
}

static int render_stream(const struct render_settings *s)
{
    size_t len;
    char *text = read_all(s->file, &len);
    if (!text) {
        fprintf(s->err, "monero-operator render: cannot read %s\n", s->file);
        return 1;
    }
    int rc = render_text(s, text, len);
    free(text);
    return rc;
}

int command_render(int argc, char **argv)
{
    struct render_settings s = {NULL, "yaml", hook_builtin_defaults, stdout, stderr};
    struct option_def defs[2 + IMAGE_OPTION_COUNT] = {
        {"file", 'f', NULL, OPT_STRING, &s.file, 0, "FILE",
         "custom resources to render (- for "
         "standard input)"},
        {"output", 'o', NULL, OPT_STRING, &s.output, 0, "FORMAT",
         "yaml (children for kubectl apply, status as comments) or json (one hook response per "
         "resource and line)"},
    };
    image_options(&s.defaults, defs + 2);
    int rc = options_parse("render",
                           "Print the Kubernetes objects the operator would create for the "
                           "custom resources in FILE, as a first sync would, without a cluster.",
                           defs, 2 + IMAGE_OPTION_COUNT, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (!s.file) {
        fprintf(stderr, "monero-operator render: -f FILE is required\n");
        return 2;
    }
    if (strcmp(s.output, "yaml") != 0 && strcmp(s.output, "json") != 0) {
        fprintf(stderr, "monero-operator render: -o must be yaml or json\n");
        return 2;
    }
    return render_stream(&s);
}
