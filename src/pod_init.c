/*
 * pod-init: the init step of a monerod pod with Tor or I2P. Copies this pod's own keys from the
 * mounted identities Secret into place (tor's HiddenServiceDir 0700 with 0600 files, owned by
 * the user running this, who is also tor's user; i2pd's keys file), computes the pod's
 * addresses from those keys, and writes monerod's configuration file: the pod's peers (in a
 * network) and `anonymous-inbound` with its own addresses. So monerod always announces the
 * address of the key its sidecars serve.
 */
#include "commands.h"
#include "options.h"
#include "pod_state.h"

#include "identity/i2p_keys.h"
#include "identity/onion.h"
#include "k8s/k8s_names.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (1 << 20)

struct pod_init {
    const char *pod, *identities, *state_dir, *tor_dir, *tor_inbound, *i2p_keys, *i2p_inbound,
        *peers, *monerod_config;
    char onion[ONION_ADDRESS_LEN + 1], b32[I2P_ADDRESS_LEN + 1];
};

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "monero-operator pod-init: %s %s: %s\n", what, path,
            errno ? strerror(errno) : "invalid");
    return -1;
}

static long read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, cap, f);
    int more = fgetc(f) != EOF;
    fclose(f);
    return more ? -1 : (long)n;
}

/* Writes via a temporary file and rename, so a reader never sees half a file. */
static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return fail("cannot create", tmp);
    ssize_t w = write(fd, data, len);
    if (w != (ssize_t)len || fchmod(fd, mode) < 0 || close(fd) < 0)
        return fail("cannot write", tmp);
    return rename(tmp, path) == 0 ? 0 : fail("cannot rename to", path);
}

static int identity_file(const struct pod_init *p, const char *suffix, uint8_t *buf, size_t cap,
                         long *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", p->identities, p->pod, suffix);
    errno = 0;
    *len = read_file(path, buf, cap);
    return *len < 0 ? fail("cannot read", path) : 0;
}

static int install_tor(struct pod_init *p)
{
    uint8_t secret[ONION_SECRET_FILE_LEN + 1], public[ONION_PUBLIC_FILE_LEN + 1];
    long sl, pl;
    char path[4096];
    if (identity_file(p, "tor.secret", secret, sizeof secret, &sl) < 0 ||
        identity_file(p, "tor.public", public, sizeof public, &pl) < 0)
        return -1;
    errno = 0;
    if (!onion_files_valid(secret, (size_t)sl, public, (size_t)pl))
        return fail("not tor key files:", p->pod);
    if (pod_state_parent(p->tor_dir) < 0)
        return -1;
    if ((mkdir(p->tor_dir, 0700) < 0 && errno != EEXIST) || chmod(p->tor_dir, 0700) < 0)
        return fail("cannot create", p->tor_dir);
    snprintf(path, sizeof path, "%s/hs_ed25519_secret_key", p->tor_dir);
    if (write_file(path, secret, (size_t)sl, 0600) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/hs_ed25519_public_key", p->tor_dir);
    if (write_file(path, public, (size_t)pl, 0600) < 0)
        return -1;
    onion_address(public + 32, p->onion);
    return 0;
}

static int install_i2p(struct pod_init *p)
{
    uint8_t keys[I2P_KEYS_LEN + 1];
    long len;
    if (identity_file(p, "i2p.dat", keys, sizeof keys, &len) < 0)
        return -1;
    errno = 0;
    if (!i2p_keys_valid(keys, (size_t)len))
        return fail("not an i2pd keys file:", p->pod);
    if (pod_state_parent(p->i2p_keys) < 0)
        return -1;
    if (write_file(p->i2p_keys, keys, (size_t)len, 0600) < 0)
        return -1;
    i2p_address(keys, p->b32);
    return 0;
}

/* "127.0.0.1:18084,32" -> the port "18084" for the onion's virtual port. */
static int inbound_port(const char *inbound, char *port, size_t size)
{
    const char *colon = strchr(inbound, ':'), *comma = strchr(inbound, ',');
    if (!colon || (comma && comma < colon))
        return -1;
    size_t n = comma ? (size_t)(comma - colon - 1) : strlen(colon + 1);
    if (n == 0 || n >= size)
        return -1;
    memcpy(port, colon + 1, n);
    port[n] = '\0';
    return strspn(port, "0123456789") == n ? 0 : -1;
}

static int write_monerod_config(const struct pod_init *p)
{
    static uint8_t peers[MAX_FILE + 1];
    char *text = NULL, port[8];
    size_t len = 0;
    long peers_len = 0;
    if (p->peers && (errno = 0, (peers_len = read_file(p->peers, peers, MAX_FILE)) < 0))
        return fail("cannot read", p->peers);
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return fail("out of memory for", p->monerod_config);
    fwrite(peers, 1, (size_t)peers_len, f);
    if (peers_len > 0 && peers[peers_len - 1] != '\n')
        fputc('\n', f);
    fprintf(f, "# this pod's own addresses, from its keys\n");
    if (p->onion[0] && inbound_port(p->tor_inbound, port, sizeof port) == 0)
        fprintf(f, "anonymous-inbound=%s:%s,%s\n", p->onion, port, p->tor_inbound);
    if (p->b32[0])
        fprintf(f, "anonymous-inbound=%s,%s\n", p->b32, p->i2p_inbound);
    fclose(f);
    int rc = write_file(p->monerod_config, text, len, 0644);
    free(text);
    return rc;
}

static int check_arguments(const struct pod_init *p)
{
    if (!p->pod || !k8s_is_dns1123_label(p->pod) || !p->identities || !p->monerod_config) {
        fprintf(stderr, "monero-operator pod-init: --pod (a pod name), --identities and "
                        "--monerod-config are required\n");
        return -1;
    }
    if ((p->tor_dir && !p->tor_inbound) || (p->i2p_keys && !p->i2p_inbound)) {
        fprintf(stderr, "monero-operator pod-init: --tor-dir needs --tor-inbound, --i2p-keys "
                        "needs --i2p-inbound\n");
        return -1;
    }
    char port[8];
    if (p->tor_inbound && inbound_port(p->tor_inbound, port, sizeof port) < 0) {
        fprintf(stderr, "monero-operator pod-init: --tor-inbound must look like IP:PORT[,MAX]\n");
        return -1;
    }
    return 0;
}

int command_pod_init(int argc, char **argv)
{
    struct pod_init p = {0};
    const struct option_def defs[] = {
        {"pod", 0, NULL, OPT_STRING, &p.pod, 0, "NAME", "this pod's name"},
        {"identities", 0, NULL, OPT_STRING, &p.identities, 0, "DIR", "mounted identities Secret"},
        {"state-dir", 0, NULL, OPT_STRING, &p.state_dir, 0, "DIR",
         "tor and i2pd state on the node's volume (claimed for this pod)"},
        {"tor-dir", 0, NULL, OPT_STRING, &p.tor_dir, 0, "DIR", "tor HiddenServiceDir to fill"},
        {"tor-inbound", 0, NULL, OPT_STRING, &p.tor_inbound, 0, "IP:PORT,MAX",
         "where monerod takes onion peers"},
        {"i2p-keys", 0, NULL, OPT_STRING, &p.i2p_keys, 0, "FILE", "i2pd keys file to write"},
        {"i2p-inbound", 0, NULL, OPT_STRING, &p.i2p_inbound, 0, "IP:PORT,MAX",
         "where monerod takes I2P peers"},
        {"peers", 0, NULL, OPT_STRING, &p.peers, 0, "FILE", "network peer file to include"},
        {"monerod-config", 0, NULL, OPT_STRING, &p.monerod_config, 0, "FILE",
         "monerod configuration file to write"},
    };
    int rc = options_parse("pod-init",
                           "Install this pod's Tor/I2P keys and write monerod's configuration "
                           "(the init container of monerod pods with Tor or I2P).",
                           defs, sizeof defs / sizeof *defs, argc, argv);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (check_arguments(&p) < 0)
        return 2;
    if ((p.state_dir && pod_state_prepare(p.state_dir, p.pod) < 0) ||
        (p.tor_dir && install_tor(&p) < 0) || (p.i2p_keys && install_i2p(&p) < 0) ||
        write_monerod_config(&p) < 0)
        return 1;
    printf("pod-init: %s onion=%s i2p=%s\n", p.pod, p.onion[0] ? p.onion : "-",
           p.b32[0] ? p.b32 : "-");
    return 0;
}
