/* hook_request: parsing and validation of Metacontroller hook requests (see hook_request.h). */
#include "metacontroller/hook_request.h"

#include "k8s/k8s_names.h"
#include "json/json_fast.h"
#include "json/jsonx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void hook_error_set(struct hook_error *err, int http_status, const char *fmt, ...)
{
    va_list ap;
    err->http_status = http_status;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++) /* keep it one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int hook_request_parse(const char *data, size_t len, struct hook_request *req,
                       struct hook_error *err)
{
    json_error_t jerr;
    json_t *body = json_fast_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr); /* = json_loadb */
    if (!body) {
        hook_error_set(err, 400, "invalid JSON at line %d column %d: %s", jerr.line, jerr.column,
                       jerr.text);
        memset(req, 0, sizeof *req);
        return -1;
    }
    return hook_request_adopt(body, req, err);
}

/* Every child group must be an object of objects, each a Kubernetes object with a name. */
static int check_children(const json_t *children, const char *what, struct hook_error *err)
{
    const char *type_key;
    json_t *group;
    json_object_foreach((json_t *)children, type_key, group)
    {
        if (!json_is_object(group)) {
            hook_error_set(err, 400, "%s[\"%s\"] must be an object", what, type_key);
            return -1;
        }
        const char *key;
        json_t *child;
        json_object_foreach(group, key, child)
        {
            if (!json_is_object(child) || !jsonx_string(jsonx_object(child, "metadata"), "name")) {
                hook_error_set(err, 400, "%s[\"%s\"][\"%s\"] must be an object with metadata.name",
                               what, type_key, key);
                return -1;
            }
        }
    }
    return 0;
}

/* body[key] as an object; an absent or null map is replaced by {} inside the body we own. */
static const json_t *map_or_empty(json_t *body, const char *key, struct hook_error *err)
{
    json_t *v = json_object_get(body, key);
    if (!v || json_is_null(v)) {
        v = json_object();
        json_object_set_new(body, key, v);
        return v;
    }
    if (!json_is_object(v)) {
        hook_error_set(err, 400, "\"%s\" must be an object", key);
        return NULL;
    }
    return v;
}

static int check_parent(struct hook_request *req, struct hook_error *err)
{
    const json_t *meta = jsonx_object(req->parent, "metadata");
    json_t *spec = json_object_get(req->parent, "spec");
    req->name = jsonx_string(meta, "name");
    if (!req->name || !*req->name) {
        hook_error_set(err, 400, "parent.metadata.name must be a non-empty string");
        return -1;
    }
    json_t *ns = json_object_get(meta, "namespace");
    if (ns && !json_is_string(ns)) {
        hook_error_set(err, 400, "parent.metadata.namespace must be a string");
        return -1;
    }
    req->namespace = ns ? json_string_value(ns) : "";
    if (*req->namespace && !k8s_is_dns1123_label(req->namespace)) {
        hook_error_set(err, 400, "parent.metadata.namespace is not a namespace name");
        return -1;
    }
    json_t *gen = json_object_get(meta, "generation");
    if (gen && !json_is_integer(gen)) {
        hook_error_set(err, 400, "parent.metadata.generation must be an integer");
        return -1;
    }
    req->generation = gen ? json_integer_value(gen) : 0;
    if (spec && !json_is_object(spec) && !json_is_null(spec)) {
        hook_error_set(err, 400, "parent.spec must be an object");
        return -1;
    }
    return 0;
}

int hook_request_adopt(json_t *body, struct hook_request *req, struct hook_error *err)
{
    memset(req, 0, sizeof *req);
    req->body = body;
    if (!json_is_object(body)) {
        hook_error_set(err, 400, "request body must be a JSON object");
        goto fail;
    }
    req->parent = jsonx_object(body, "parent");
    if (!req->parent) {
        hook_error_set(err, 400, "\"parent\" is missing or not an object");
        goto fail;
    }
    if (check_parent(req, err) < 0)
        goto fail;
    if (!(req->children = map_or_empty(body, "children", err)) ||
        !(req->related = map_or_empty(body, "related", err)) ||
        !(req->controller = map_or_empty(body, "controller", err)))
        goto fail;
    json_t *fin = json_object_get(body, "finalizing");
    if (fin && !json_is_boolean(fin) && !json_is_null(fin)) {
        hook_error_set(err, 400, "\"finalizing\" must be a boolean");
        goto fail;
    }
    req->finalizing = json_is_true(fin);
    if (check_children(req->children, "children", err) < 0 ||
        check_children(req->related, "related", err) < 0)
        goto fail;
    return 0;
fail:
    hook_request_release(req);
    return -1;
}

void hook_request_release(struct hook_request *req)
{
    json_decref(req->body);
    memset(req, 0, sizeof *req);
}

const json_t *hook_request_child_group(const struct hook_request *req, const char *type_key)
{
    return jsonx_object(req->children, type_key);
}

const json_t *hook_request_related_group(const struct hook_request *req, const char *type_key)
{
    return jsonx_object(req->related, type_key);
}

const json_t *hook_request_child(const struct hook_request *req, const char *type_key,
                                 const char *name)
{
    const json_t *group = hook_request_child_group(req, type_key);
    const char *key;
    json_t *child;
    json_object_foreach((json_t *)group, key, child)
    {
        const json_t *meta = jsonx_object(child, "metadata");
        const char *child_name = jsonx_string(meta, "name");
        const char *child_ns = jsonx_string(meta, "namespace");
        if (child_name && strcmp(child_name, name) == 0 &&
            (!child_ns || !*req->namespace || strcmp(child_ns, req->namespace) == 0))
            return child;
    }
    return NULL;
}

bool hook_type_key_split(const char *type_key, char *kind, size_t kind_size, char *api_version,
                         size_t api_version_size)
{
    const char *dot = strchr(type_key, '.');
    if (!dot || dot == type_key || !dot[1])
        return false;
    size_t kind_len = (size_t)(dot - type_key);
    if (kind_len >= kind_size || strlen(dot + 1) >= api_version_size)
        return false;
    memcpy(kind, type_key, kind_len);
    kind[kind_len] = '\0';
    strcpy(api_version, dot + 1);
    return true;
}
