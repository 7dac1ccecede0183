/* TLS server verification for SIP over TLS: CA chain and host name, with a readable reason.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define USE_OPENSSL /* declares tls_openssl_context() */
#include <re.h>

#include "call_int.h"

static int app_index = -1;

static bool is_ip_literal(const char *host)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* OpenSSL calls this for every certificate of the chain (call thread, inside the handshake). */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
    SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
    struct call_tls_verify *v = ssl ? SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), app_index) : NULL;

    if (!ok && v && !v->error[0]) {
        int e = X509_STORE_CTX_get_error(xs);
        char subject[96] = "";
        X509 *cert = X509_STORE_CTX_get_current_cert(xs);
        if (cert)
            X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
        snprintf(v->error, sizeof(v->error), "certificate of %.40s did not verify: %.60s (%.60s)",
                 v->host, X509_verify_cert_error_string(e), subject[0] ? subject : "no subject");
    }
    return ok;
}

/* Server Name Indication for host names: set on each connection before its ClientHello. */
static void info_cb(const SSL *ssl, int where, int ret)
{
    if (!(where & SSL_CB_HANDSHAKE_START))
        return;
    struct call_tls_verify *v = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), app_index);
    if (v && v->host[0] && !is_ip_literal(v->host))
        SSL_set_tlsext_host_name((SSL *)ssl, v->host);
}

int call_tls_alloc(struct tls **tp, const char *ca_file, struct call_tls_verify *v, char *err,
                   size_t errlen)
{
    struct tls *t = NULL;
    int rc;

    if (app_index < 0)
        app_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
    rc = tls_alloc(&t, TLS_METHOD_SSLV23, NULL, NULL);
    if (rc) {
        snprintf(err, errlen, "TLS: cannot create a context: %s", strerror(rc));
        goto out;
    }
    rc = tls_add_ca(t, ca_file);
    if (rc) {
        ERR_clear_error();
        snprintf(err, errlen, "TLS: cannot load CA certificates from %s", ca_file);
        goto out;
    }
    SSL_CTX *ctx = tls_openssl_context(t);
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_ex_data(ctx, app_index, v);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
    SSL_CTX_set_info_callback(ctx, info_cb);
    X509_VERIFY_PARAM_set_hostflags(SSL_CTX_get0_param(ctx), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    *tp = t;
    t = NULL;
out:
    mem_deref(t);
    return rc;
}

int call_tls_expect(struct tls *t, struct call_tls_verify *v, const char *host)
{
    X509_VERIFY_PARAM *vp = SSL_CTX_get0_param(tls_openssl_context(t));
    int ok;

    v->error[0] = '\0';
    if (snprintf(v->host, sizeof(v->host), "%s", host) >= (int)sizeof(v->host))
        return ENAMETOOLONG;
    /* Exactly one of host name / IP is checked; clear the other from an earlier call. */
    if (is_ip_literal(host)) {
        ok = X509_VERIFY_PARAM_set1_host(vp, NULL, 0) && X509_VERIFY_PARAM_set1_ip_asc(vp, host);
    } else {
        ok = X509_VERIFY_PARAM_set1_ip(vp, NULL, 0) && X509_VERIFY_PARAM_set1_host(vp, host, 0);
    }
    if (!ok) {
        ERR_clear_error();
        return EINVAL;
    }
    return 0;
}
