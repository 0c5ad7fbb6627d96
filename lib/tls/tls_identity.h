/*
 * tls_identity: the certificate chain and private key the hook server presents, read from two
 * PEM files and read again when either changes (a renewed certificate needs no restart).
 *
 * libmicrohttpd asks for them at every handshake (MHD_OPTION_HTTPS_CERT_CALLBACK); the files
 * are looked at at most once a second. A changed pair is used only once it loads and the key
 * matches the certificate: halfway through an update (one file new, the other old) the previous
 * pair stays in use. Pairs once handed out are kept until tls_identity_close, since a handshake
 * may still be using one; a certificate is renewed a few times a year, so they are few.
 *
 * One identity per process (the callback has no context argument).
 */
#ifndef MONERO_OPERATOR_TLS_IDENTITY_H
#define MONERO_OPERATOR_TLS_IDENTITY_H

#include <stddef.h>

/* GnuTLS priorities: TLS 1.3 and 1.2 only, AEAD ciphers with forward secrecy. */
#define TLS_PRIORITIES                                                                             \
    "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:"         \
    "+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"

/* Loads the pair. Returns 0, or -1 with a one-line reason in err. */
int tls_identity_open(const char *cert_file, const char *key_file, char *err, size_t err_size);

/* The gnutls_certificate_retrieve_function2 to give libmicrohttpd (as a generic pointer, so that
 * callers need no GnuTLS header). */
void *tls_identity_callback(void);

/* How many times a changed pair was taken into use, and refused, since tls_identity_open. */
unsigned long tls_identity_reloads(void);
unsigned long tls_identity_reload_failures(void);

void tls_identity_close(void);

#endif
