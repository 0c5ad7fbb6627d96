/* monerod_pod: pod spec of a monerod node (see monerod_pod.h). */
#include "monerod_pod.h"

#include "metrics_pod.h"
#include "monerod_command.h"

#include "k8s/k8s_pod.h"
#include "json/jsonx.h"

#include <stdlib.h>
#include <string.h>

/* Startup: 10 s × 720 = 2 h before liveness takes over. */
static const struct k8s_probe_timing startup_timing = {10, 5, 720, 0};
static const struct k8s_probe_timing liveness_timing = {30, 10, 6, 0};
static const struct k8s_probe_timing readiness_timing = {10, 5, 3, 0};

static void append_all(json_t *to, json_t *from)
{
    if (from)
        json_array_extend(to, from);
    json_decref(from);
}

/* The port of a ZMQ publisher the arguments ask for ("--zmq-pub=tcp://0.0.0.0:18083", or the
 * value as the next argument), or 0. */
static int zmq_pub_port(const json_t *argv)
{
    size_t i;
    json_t *arg;
    json_array_foreach(argv, i, arg)
    {
        const char *a = json_string_value(arg), *value = NULL;
        if (!a)
            continue;
        if (strncmp(a, "--zmq-pub=", 10) == 0)
            value = a + 10;
        else if (strcmp(a, "--zmq-pub") == 0)
            value = json_string_value(json_array_get(argv, i + 1));
        const char *colon = value ? strrchr(value, ':') : NULL;
        if (!colon)
            continue;
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (*end == '\0' && port > 0 && port < 65536)
            return (int)port;
    }
    return 0;
}

static json_t *monerod_container(const struct monerod_pod_params *p)
{
    const struct monerod_spec *s = p->spec;
    int rpc = s->restricted_rpc_port;
    json_t *c = json_object();
    jsonx_set_string(c, "name", "monerod");
    jsonx_set_string(c, "image", s->image);
    if (s->image_pull_policy)
        jsonx_set_string(c, "imagePullPolicy", s->image_pull_policy);
    json_object_set_new(c, "command", json_pack("[s]", "monerod"));
    json_object_set_new(c, "args", p->argv);
    json_t *ports = json_pack("[o,o]", k8s_container_port("p2p", s->network->p2p_port),
                              k8s_container_port("rpc", rpc));
    int zmq = zmq_pub_port(p->argv);
    if (zmq && zmq != s->network->p2p_port && zmq != rpc) /* p2pool and others subscribe here */
        json_array_append_new(ports, k8s_container_port("zmq-pub", zmq));
    json_object_set_new(c, "ports", ports);
    json_object_set(c, "resources", s->resources);
    json_object_set_new(c, "securityContext", k8s_container_security_context(true));
    json_object_set_new(c, "startupProbe", k8s_probe_tcp(rpc, &startup_timing));
    json_object_set_new(c, "livenessProbe",
                        k8s_probe_http_get("/get_height", rpc, &liveness_timing));
    json_object_set_new(c, "readinessProbe",
                        s->metrics.enabled
                            ? metrics_readiness_probe(&s->metrics)
                            : k8s_probe_http_get("/get_height", rpc, &readiness_timing));
    json_t *mounts =
        json_pack("[o,o]", k8s_volume_mount(MONEROD_DATA_VOLUME, MONEROD_DATA_DIR, false),
                  k8s_volume_mount("tmp", "/tmp", false));
    append_all(mounts, p->extra_mounts);
    json_object_set_new(c, "volumeMounts", mounts);
    if (p->extra_env && json_array_size(p->extra_env))
        json_object_set(c, "env", p->extra_env);
    json_decref(p->extra_env);
    return c;
}

json_t *monerod_pod_spec_build(const struct monerod_pod_params *p)
{
    const struct monerod_spec *s = p->spec;
    json_t *pod = json_object();
    json_object_set_new(pod, "securityContext", k8s_pod_security_context(MONEROD_UID, MONEROD_UID));
    jsonx_set_int(pod, "terminationGracePeriodSeconds", s->termination_grace_seconds);
    jsonx_set_bool(pod, "enableServiceLinks", false);
    jsonx_set_bool(pod, "automountServiceAccountToken", false);
    /* The bootstrap sidecar reads monerod's database while monerod writes it. LMDB marks each
     * process using the database with a lock on the byte at its pid in lock.mdb; with a PID
     * namespace per container both are pid 1, the second lock fails and the copy with it
     * ("Resource temporarily unavailable", seen with monerod 0.18 under `unshare --pid`). */
    if (s->from_sibling.enabled)
        jsonx_set_bool(pod, "shareProcessNamespace", true);
    scheduling_apply(&s->scheduling, p->selector_labels, pod);
    if (p->init_containers && json_array_size(p->init_containers))
        json_object_set(pod, "initContainers", p->init_containers);
    json_decref(p->init_containers);
    json_t *containers = json_pack("[o]", monerod_container(p));
    if (s->metrics.enabled)
        json_array_append_new(containers,
                              metrics_monerod_container(&s->metrics, s->network->rpc_port));
    append_all(containers, p->extra_containers);
    json_object_set_new(pod, "containers", containers);
    json_t *volumes = json_pack("[o]", k8s_volume_empty_dir("tmp", "64Mi"));
    append_all(volumes, p->extra_volumes);
    json_object_set_new(pod, "volumes", volumes);
    return pod;
}
