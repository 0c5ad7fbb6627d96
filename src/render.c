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

#include "hooks/hook_call.h"
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
    for (const struct hook_child_type *t = hook->child_types; t->key; t++)
        json_object_set_new(children, t->key, json_object());
    return json_pack("{s:{},s:o,s:o,s:{},s:b}", "controller", "parent", parent, "children",
                     children, "related", "finalizing", 0);
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

/* Prints one answer: canonical JSON as the server sends it, or YAML with the status as comments. */
static int print_answer(const struct render_settings *s, const char *kind, const char *name,
                        const struct hook_answer *answer, FILE *out)
{
    if (strcmp(s->output, "json") == 0) {
        fprintf(out, "%.*s\n", (int)answer->body_len, answer->body);
        return 0;
    }
    json_t *response = json_loadb(answer->body, answer->body_len, 0, NULL);
    if (!response) {
        fprintf(s->err, "monero-operator render: %s %s: out of memory\n", kind, name);
        return -1;
    }
    print_status_comment(out, kind, name, json_object_get(response, "status"));
    int rc = yaml_stream_write(out, json_object_get(response, "children"));
    json_decref(response);
    return rc;
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
    json_t *request = first_sync_request(hook, json_incref(doc));
    char *body = request ? json_dumps(request, JSON_COMPACT) : NULL;
    json_decref(request);
    if (!body) {
        fprintf(s->err, "monero-operator render: document %zu: out of memory\n", index + 1);
        return -1;
    }
    struct hook_answer answer;
    hook_call(hook, HOOK_CALL_SYNC, &s->defaults, body, strlen(body), &answer);
    free(body);
    int rc = -1;
    if (answer.http_status != 200)
        fprintf(s->err, "monero-operator render: document %zu: %.*s\n", index + 1,
                (int)answer.body_len, answer.body ? answer.body : "");
    else if (answer.invalid_spec)
        fprintf(s->err, "monero-operator render: %s %s: %s\n", kind, answer.name,
                answer.invalid_spec_message);
    else
        rc = print_answer(s, kind, answer.name, &answer, out);
    hook_answer_release(&answer);
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
