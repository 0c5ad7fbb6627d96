/* tls_identity: the hook server's certificate and key, reloaded on change (see tls_identity.h). */
#include "tls/tls_identity.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_CHAIN 16

struct file_stamp {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct pair {
    gnutls_pcert_st chain[MAX_CHAIN];
    unsigned chain_len;
    gnutls_privkey_t key;
    struct pair *older;
};

static struct {
    pthread_mutex_t lock;
    char *cert_file, *key_file;
    struct file_stamp cert_stamp, key_stamp;
    struct pair *current;
    time_t checked;
    unsigned long reloads, failures;
} identity = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void stamp_of(const char *path, struct file_stamp *out)
{
    struct stat st;
    memset(out, 0, sizeof *out);
    if (stat(path, &st) == 0) { /* follows symlinks: a Secret volume swaps a link on update */
        out->dev = st.st_dev;
        out->ino = st.st_ino;
        out->size = st.st_size;
        out->mtime = st.st_mtim;
    }
}

static void pair_free(struct pair *p)
{
    for (unsigned i = 0; i < p->chain_len; i++)
        gnutls_pcert_deinit(&p->chain[i]);
    if (p->key)
        gnutls_privkey_deinit(p->key);
    free(p);
}

/* The key signs, the certificate's public key verifies: the two halves belong together. */
static int key_matches(struct pair *p)
{
    static const unsigned char probe[] = "monero-operator tls identity check";
    const gnutls_datum_t data = {(unsigned char *)probe, sizeof probe};
    gnutls_datum_t sig = {NULL, 0};
    gnutls_pk_algorithm_t pk = gnutls_pubkey_get_pk_algorithm(p->chain[0].pubkey, NULL);
    gnutls_sign_algorithm_t algo = gnutls_pk_to_sign(pk, GNUTLS_DIG_SHA256);
    if (pk == GNUTLS_PK_EDDSA_ED25519)
        algo = GNUTLS_SIGN_EDDSA_ED25519;
    int ok = gnutls_privkey_sign_data2(p->key, algo, 0, &data, &sig) == 0 &&
             gnutls_pubkey_verify_data2(p->chain[0].pubkey, algo, 0, &data, &sig) >= 0;
    gnutls_free(sig.data);
    return ok ? 0 : -1;
}

static struct pair *pair_load(const char *cert_file, const char *key_file, char *err, size_t n)
{
    gnutls_datum_t cert = {NULL, 0}, key = {NULL, 0};
    struct pair *p = calloc(1, sizeof *p);
    int rc, ok = 0;
    if (!p) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    p->chain_len = MAX_CHAIN;
    if ((rc = gnutls_load_file(cert_file, &cert)) < 0 ||
        (rc = gnutls_pcert_list_import_x509_raw(p->chain, &p->chain_len, &cert, GNUTLS_X509_FMT_PEM,
                                                0)) < 0) {
        p->chain_len = 0;
        snprintf(err, n, "%s: no usable PEM certificate chain (%s)", cert_file,
                 gnutls_strerror(rc));
    } else if ((rc = gnutls_load_file(key_file, &key)) < 0 ||
               (rc = gnutls_privkey_init(&p->key)) < 0 ||
               (rc = gnutls_privkey_import_x509_raw(p->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0)) <
                   0) {
        snprintf(err, n, "%s: no usable PEM private key (%s)", key_file, gnutls_strerror(rc));
    } else if (key_matches(p) < 0) {
        snprintf(err, n, "%s does not belong to the certificate in %s", key_file, cert_file);
    } else {
        ok = 1;
    }
    gnutls_free(cert.data);
    gnutls_free(key.data);
    if (!ok) {
        pair_free(p);
        return NULL;
    }
    return p;
}

/* Under the lock: takes a changed pair into use if it loads. */
static void reload_if_changed(void)
{
    struct file_stamp cert, key;
    char err[512];
    time_t now = time(NULL);
    if (now == identity.checked)
        return;
    identity.checked = now;
    stamp_of(identity.cert_file, &cert);
    stamp_of(identity.key_file, &key);
    if (memcmp(&cert, &identity.cert_stamp, sizeof cert) == 0 &&
        memcmp(&key, &identity.key_stamp, sizeof key) == 0)
        return;
    struct pair *p = pair_load(identity.cert_file, identity.key_file, err, sizeof err);
    if (!p) { /* halfway through an update, or broken: keep serving the previous pair */
        identity.failures++;
        fprintf(stderr, "monero-operator: keeping the current TLS certificate: %s\n", err);
        return;
    }
    identity.cert_stamp = cert;
    identity.key_stamp = key;
    p->older = identity.current;
    identity.current = p;
    identity.reloads++;
}

static int retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *key)
{
    (void)session, (void)req_ca_rdn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
    pthread_mutex_lock(&identity.lock);
    reload_if_changed();
    *pcert = identity.current->chain;
    *pcert_length = identity.current->chain_len;
    *key = identity.current->key;
    pthread_mutex_unlock(&identity.lock);
    return 0;
}

int tls_identity_open(const char *cert_file, const char *key_file, char *err, size_t err_size)
{
    tls_identity_close();
    struct pair *p = pair_load(cert_file, key_file, err, err_size);
    if (!p)
        return -1;
    pthread_mutex_lock(&identity.lock);
    identity.cert_file = strdup(cert_file);
    identity.key_file = strdup(key_file);
    stamp_of(cert_file, &identity.cert_stamp);
    stamp_of(key_file, &identity.key_stamp);
    identity.current = p;
    identity.checked = time(NULL);
    identity.reloads = identity.failures = 0;
    pthread_mutex_unlock(&identity.lock);
    return 0;
}

void *tls_identity_callback(void)
{
    static gnutls_certificate_retrieve_function2 *const fn = retrieve;
    return (void *)fn;
}

unsigned long tls_identity_reloads(void)
{
    pthread_mutex_lock(&identity.lock);
    unsigned long n = identity.reloads;
    pthread_mutex_unlock(&identity.lock);
    return n;
}

unsigned long tls_identity_reload_failures(void)
{
    pthread_mutex_lock(&identity.lock);
    unsigned long n = identity.failures;
    pthread_mutex_unlock(&identity.lock);
    return n;
}

void tls_identity_close(void)
{
    pthread_mutex_lock(&identity.lock);
    while (identity.current) {
        struct pair *older = identity.current->older;
        pair_free(identity.current);
        identity.current = older;
    }
    free(identity.cert_file);
    free(identity.key_file);
    identity.cert_file = identity.key_file = NULL;
    pthread_mutex_unlock(&identity.lock);
}
