/*
 * probe_win32.c - probe.h through SSPI (SChannel) and Winsock.
 *
 * MUST: every socket operation is bounded by the caller's timeout (connect
 * through select, send and receive through SO_SNDTIMEO / SO_RCVTIMEO);
 * every byte read from the network goes through clienthello_parse or
 * SChannel itself. MUST NOT validate or trust the server's certificate:
 * the probe asks what is negotiated, not whom to trust
 * (SCH_CRED_MANUAL_CRED_VALIDATION), and sends no application data.
 *
 * Credentials: SCH_CREDENTIALS (dwVersion 5, Windows 10 1809 and later,
 * "SCH_CREDENTIALS structure", Win32 schannel.h docs) with TLS_PARAMETERS'
 * grbitDisabledProtocols, else the older SCHANNEL_CRED with
 * grbitEnabledProtocols ("SCHANNEL_CRED structure"). Nothing newer than
 * Windows 7 is imported: SCH_CREDENTIALS is only a structure that an older
 * SChannel refuses, and then the older one is used.
 */
#define WIN32_LEAN_AND_MEAN
#define SECURITY_WIN32
#define SCHANNEL_USE_BLACKLISTS
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <wincrypt.h>
#include <winternl.h>
#include <bcrypt.h>
#include <schannel.h>
#include <security.h>
#include <sspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "probe_util.h"
#include "tls_names.h"

/*
 * Winsock, SSPI and CryptoAPI are loaded from the system folder when a
 * probe runs, not imported: importing them made every command start 13 ms
 * slower under Wine (42 -> 55 ms for --version), for the one command that
 * uses them. The calls below keep their names; the macros route them
 * through the table (a function-like macro is not expanded again inside
 * its own expansion, so dyn.f(...) is the pointer's call).
 */
#define API(f) __typeof__(&f) f
static struct {
	bool loaded;
	API(WSAStartup);
	API(WSACleanup);
	API(WSAGetLastError);
	API(__WSAFDIsSet);
	API(accept);
	API(bind);
	API(closesocket);
	API(connect);
	API(freeaddrinfo);
	API(getaddrinfo);
	API(getnameinfo);
	API(getsockname);
	API(getsockopt);
	API(htonl);
	API(ioctlsocket);
	API(listen);
	API(recv);
	API(select);
	API(send);
	API(setsockopt);
	API(socket);
	API(CertFreeCertificateContext);
	API(CertNameToStrW);
	PSecurityFunctionTableW sspi;
} dyn;

#define WSAStartup(...)                 dyn.WSAStartup(__VA_ARGS__)
#define WSACleanup(...)                 dyn.WSACleanup(__VA_ARGS__)
#define WSAGetLastError(...)            dyn.WSAGetLastError(__VA_ARGS__)
#define __WSAFDIsSet(...)               dyn.__WSAFDIsSet(__VA_ARGS__)
#define accept(...)                     dyn.accept(__VA_ARGS__)
#define bind(...)                       dyn.bind(__VA_ARGS__)
#define closesocket(...)                dyn.closesocket(__VA_ARGS__)
#define connect(...)                    dyn.connect(__VA_ARGS__)
#define freeaddrinfo(...)               dyn.freeaddrinfo(__VA_ARGS__)
#define getaddrinfo(...)                dyn.getaddrinfo(__VA_ARGS__)
#define getnameinfo(...)                dyn.getnameinfo(__VA_ARGS__)
#define getsockname(...)                dyn.getsockname(__VA_ARGS__)
#define getsockopt(...)                 dyn.getsockopt(__VA_ARGS__)
#define htonl(...)                      dyn.htonl(__VA_ARGS__)
#define ioctlsocket(...)                dyn.ioctlsocket(__VA_ARGS__)
#define listen(...)                     dyn.listen(__VA_ARGS__)
#define recv(...)                       dyn.recv(__VA_ARGS__)
#define select(...)                     dyn.select(__VA_ARGS__)
#define send(...)                       dyn.send(__VA_ARGS__)
#define setsockopt(...)                 dyn.setsockopt(__VA_ARGS__)
#define socket(...)                     dyn.socket(__VA_ARGS__)
#define CertFreeCertificateContext(...) dyn.CertFreeCertificateContext(__VA_ARGS__)
#define CertNameToStrW(...)             dyn.CertNameToStrW(__VA_ARGS__)
#define AcquireCredentialsHandleW(...)  dyn.sspi->AcquireCredentialsHandleW(__VA_ARGS__)
#define DeleteSecurityContext(...)      dyn.sspi->DeleteSecurityContext(__VA_ARGS__)
#define FreeContextBuffer(...)          dyn.sspi->FreeContextBuffer(__VA_ARGS__)
#define FreeCredentialsHandle(...)      dyn.sspi->FreeCredentialsHandle(__VA_ARGS__)
#define InitializeSecurityContextW(...) dyn.sspi->InitializeSecurityContextW(__VA_ARGS__)
#define QueryContextAttributesW(...)    dyn.sspi->QueryContextAttributesW(__VA_ARGS__)

/* A DLL by its full path in the system folder (no search order at all). */
static HMODULE system_dll(const wchar_t *name)
{
	wchar_t path[MAX_PATH];
	UINT n = GetSystemDirectoryW(path, MAX_PATH);

	if (!n || n + wcslen(name) + 2 > MAX_PATH)
		return NULL;
	path[n] = L'\\';
	wcscpy(path + n + 1, name);
	return LoadLibraryW(path);
}

#define LOAD(mod, f) (sym = GetProcAddress(mod, #f), memcpy(&dyn.f, &sym, sizeof(sym)), sym != NULL)

static int load_api(struct sc_err *err)
{
	HMODULE ws2 = system_dll(L"ws2_32.dll"), c32 = system_dll(L"crypt32.dll");
	HMODULE sec = system_dll(L"secur32.dll");
	INIT_SECURITY_INTERFACE_W init;
	FARPROC sym;
	bool ok;

	if (dyn.loaded)
		return SC_OK;
	if (!ws2 || !c32 || !sec)
		return sc_err_set(err,
		                  "cannot load ws2_32.dll, crypt32.dll and secur32.dll from the "
		                  "system folder");
	ok = LOAD(ws2, WSAStartup) && LOAD(ws2, WSACleanup) && LOAD(ws2, WSAGetLastError) &&
	     LOAD(ws2, __WSAFDIsSet) && LOAD(ws2, accept) && LOAD(ws2, bind) &&
	     LOAD(ws2, closesocket) && LOAD(ws2, connect) && LOAD(ws2, freeaddrinfo) &&
	     LOAD(ws2, getaddrinfo) && LOAD(ws2, getnameinfo) && LOAD(ws2, getsockname) &&
	     LOAD(ws2, getsockopt) && LOAD(ws2, htonl) && LOAD(ws2, ioctlsocket) &&
	     LOAD(ws2, listen) && LOAD(ws2, recv) && LOAD(ws2, select) && LOAD(ws2, send) &&
	     LOAD(ws2, setsockopt) && LOAD(ws2, socket) && LOAD(c32, CertFreeCertificateContext) &&
	     LOAD(c32, CertNameToStrW);
	sym = GetProcAddress(sec, "InitSecurityInterfaceW");
	memcpy(&init, &sym, sizeof(sym));
	dyn.sspi = sym ? init() : NULL;
	if (!ok || !dyn.sspi)
		return sc_err_set(err, "a Winsock, SSPI or CryptoAPI function is missing");
	dyn.loaded = true;
	return SC_OK;
}

#define IN_MAX (5 * 8 + 4 + CLIENTHELLO_MAX + 16 * 1024)

static const DWORD proto_bits[PP_COUNT] = {SP_PROT_SSL3_CLIENT, SP_PROT_TLS1_0_CLIENT,
                                           SP_PROT_TLS1_1_CLIENT, SP_PROT_TLS1_2_CLIENT,
                                           SP_PROT_TLS1_3_CLIENT};
#define ALL_CLIENT_BITS                                                                            \
	(SP_PROT_SSL2_CLIENT | SP_PROT_SSL3_CLIENT | SP_PROT_TLS1_0_CLIENT |                       \
	 SP_PROT_TLS1_1_CLIENT | SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT)

static const struct {
	SECURITY_STATUS st;
	const char *name;
} statuses[] = {
    {SEC_E_ALGORITHM_MISMATCH, "SEC_E_ALGORITHM_MISMATCH"},
    {SEC_E_INTERNAL_ERROR, "SEC_E_INTERNAL_ERROR"},
    {SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION"},
    {SEC_E_ILLEGAL_MESSAGE, "SEC_E_ILLEGAL_MESSAGE"},
    {SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN"},
    {SEC_E_NO_CREDENTIALS, "SEC_E_NO_CREDENTIALS"},
    {SEC_E_UNKNOWN_CREDENTIALS, "SEC_E_UNKNOWN_CREDENTIALS"},
    {SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED"},
    {SEC_E_DECRYPT_FAILURE, "SEC_E_DECRYPT_FAILURE"},
    {SEC_E_INCOMPLETE_MESSAGE, "SEC_E_INCOMPLETE_MESSAGE"},
    {SEC_E_INVALID_PARAMETER, "SEC_E_INVALID_PARAMETER"},
    {SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE"},
    {SEC_E_WRONG_PRINCIPAL, "SEC_E_WRONG_PRINCIPAL"},
    {SEC_E_CERT_UNKNOWN, "SEC_E_CERT_UNKNOWN"},
    {SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL"},
    {SEC_I_CONTEXT_EXPIRED, "SEC_I_CONTEXT_EXPIRED"},
    {SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY"},
    {SEC_E_NO_AUTHENTICATING_AUTHORITY, "SEC_E_NO_AUTHENTICATING_AUTHORITY"},
};

static void set_status(struct probe_proto_result *pr, SECURITY_STATUS st)
{
	size_t i;

	pr->status = (uint32_t)st;
	for (i = 0; i < ARRAY_SIZE(statuses); i++)
		if (statuses[i].st == st)
			snprintf(pr->status_name, sizeof(pr->status_name), "%s", statuses[i].name);
}

static void runtime_of(char *out, size_t n)
{
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	FARPROC f = ntdll ? GetProcAddress(ntdll, "wine_get_version") : NULL;
	const char *(*wine_version)(void);

	out[0] = '\0';
	if (!f)
		return;
	memcpy(&wine_version, &f, sizeof(f));
	snprintf(out, n, "Wine %s", wine_version());
}

/* ---- sockets ---- */

static void set_timeouts(SOCKET s, unsigned ms)
{
	DWORD t = ms;

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&t, sizeof(t));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&t, sizeof(t));
}

/* A connected socket, or INVALID_SOCKET with why filled. */
static SOCKET net_connect(const struct sockaddr *sa, int salen, unsigned ms, char *why, size_t n)
{
	SOCKET s = socket(sa->sa_family, SOCK_STREAM, IPPROTO_TCP);
	u_long nb = 1;
	fd_set wr, ex;
	struct timeval tv = {(long)(ms / 1000), (long)(ms % 1000) * 1000};
	int e = 0, elen = sizeof(e);

	if (s == INVALID_SOCKET) {
		snprintf(why, n, "socket failed: WSA error %d", WSAGetLastError());
		return s;
	}
	ioctlsocket(s, FIONBIO, &nb);
	if (connect(s, sa, salen) == SOCKET_ERROR && WSAGetLastError() != WSAEWOULDBLOCK) {
		e = WSAGetLastError();
	} else {
		FD_ZERO(&wr);
		FD_ZERO(&ex);
		FD_SET(s, &wr);
		FD_SET(s, &ex);
		if (select(0, NULL, &wr, &ex, &tv) <= 0)
			e = WSAETIMEDOUT;
		else if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&e, &elen) ||
		         !FD_ISSET(s, &wr))
			e = e ? e : WSAECONNREFUSED;
	}
	if (e) {
		snprintf(why, n, "connect failed: %s (WSA error %d)",
		         e == WSAETIMEDOUT      ? "timed out"
		         : e == WSAECONNREFUSED ? "connection refused"
		                                : "network error",
		         e);
		closesocket(s);
		return INVALID_SOCKET;
	}
	nb = 0;
	ioctlsocket(s, FIONBIO, &nb);
	set_timeouts(s, ms);
	return s;
}

/* Bounds the next receive by what is left until deadline; false when
 * nothing is left. A peer sending a byte at a time cannot stretch a
 * handshake past its timeout. */
static bool time_left(SOCKET s, ULONGLONG deadline)
{
	ULONGLONG now = GetTickCount64();

	if (now >= deadline)
		return false;
	set_timeouts(s, (unsigned)(deadline - now));
	return true;
}

static int send_all(SOCKET s, const void *data, size_t size)
{
	const char *p = data;

	while (size) {
		int k = send(s, p, size > 65536 ? 65536 : (int)size, 0);

		if (k == SOCKET_ERROR || k == 0)
			return -1;
		p += k;
		size -= (size_t)k;
	}
	return 0;
}

/* ---- credentials ---- */

/* What a credential may use: protocols (0: the system's defaults) and,
 * for suite enumeration, algorithms turned off. */
struct cred_req {
	DWORD protocols;
	CRYPTO_SETTINGS *disabled; /* SCH_CREDENTIALS */
	DWORD ndisabled;
	ALG_ID *algs; /* SCHANNEL_CRED palgSupportedAlgs */
	DWORD nalgs;
	bool legacy_only; /* skip SCH_CREDENTIALS */
};

static SECURITY_STATUS acquire(const struct cred_req *q, CredHandle *cred, char api[24])
{
	SCH_CREDENTIALS sc = {0};
	TLS_PARAMETERS tp = {0};
	SCHANNEL_CRED old = {0};
	SECURITY_STATUS st = SEC_E_UNKNOWN_CREDENTIALS;
	DWORD flags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;

	if (!q->legacy_only && !q->algs) {
		sc.dwVersion = SCH_CREDENTIALS_VERSION;
		sc.dwFlags = flags;
		tp.grbitDisabledProtocols = q->protocols ? ALL_CLIENT_BITS & ~q->protocols : 0;
		tp.cDisabledCrypto = q->ndisabled;
		tp.pDisabledCrypto = q->disabled;
		if (q->protocols || q->ndisabled) {
			sc.cTlsParameters = 1;
			sc.pTlsParameters = &tp;
		}
		st =
		    AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND,
		                              NULL, &sc, NULL, NULL, cred, NULL);
		if (st == SEC_E_OK) {
			snprintf(api, 24, "SCH_CREDENTIALS");
			return st;
		}
		if (q->ndisabled)
			return st; /* no CRYPTO_SETTINGS without SCH_CREDENTIALS */
	}
	old.dwVersion = SCHANNEL_CRED_VERSION;
	old.dwFlags = flags;
	old.grbitEnabledProtocols = q->protocols;
	old.cSupportedAlgs = q->nalgs;
	old.palgSupportedAlgs = q->algs;
	st = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL,
	                               &old, NULL, NULL, cred, NULL);
	if (st == SEC_E_OK)
		snprintf(api, 24, "SCHANNEL_CRED");
	return st;
}

/* ---- the client handshake ---- */

enum hs_result { HS_OK, HS_REFUSED, HS_NETWORK, HS_IGNORED };

struct hs {
	SOCKET s;
	CtxtHandle ctx;
	bool have_ctx;
	bool sent;          /* a ClientHello went out */
	ULONGLONG deadline; /* GetTickCount64: the handshake ends by then */
	SECURITY_STATUS st;
	char why[PROBE_TEXT];
};

#define ISC_FLAGS                                                                                  \
	(ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |               \
	 ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)

/* One InitializeSecurityContext step over in[0..*have); sends what it
 * produced (the next flight or an alert) and keeps unconsumed bytes. */
static SECURITY_STATUS isc_step(struct hs *h, CredHandle *cred, const wchar_t *target, char *in,
                                DWORD *have)
{
	SecBuffer outb[1] = {{0, SECBUFFER_TOKEN, NULL}};
	SecBuffer inb[2] = {{*have, SECBUFFER_TOKEN, in}, {0, SECBUFFER_EMPTY, NULL}};
	SecBufferDesc od = {SECBUFFER_VERSION, 1, outb}, id = {SECBUFFER_VERSION, 2, inb};
	DWORD attrs = 0;
	SECURITY_STATUS st;

	st = InitializeSecurityContextW(cred, h->have_ctx ? &h->ctx : NULL, (SEC_WCHAR *)target,
	                                ISC_FLAGS, 0, 0, h->have_ctx ? &id : NULL, 0,
	                                h->have_ctx ? NULL : &h->ctx, &od, &attrs, NULL);
	if (!h->have_ctx && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED))
		h->have_ctx = true;
	if (outb[0].pvBuffer) {
		if (outb[0].cbBuffer && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED ||
		                         (FAILED(st) && (attrs & ISC_RET_EXTENDED_ERROR)))) {
			if (!send_all(h->s, outb[0].pvBuffer, outb[0].cbBuffer))
				h->sent = true;
		}
		FreeContextBuffer(outb[0].pvBuffer);
	}
	if (st == SEC_I_CONTINUE_NEEDED || st == SEC_E_OK) {
		if (*have && inb[1].BufferType == SECBUFFER_EXTRA && inb[1].cbBuffer) {
			memmove(in, in + (*have - inb[1].cbBuffer), inb[1].cbBuffer);
			*have = inb[1].cbBuffer;
		} else {
			*have = 0;
		}
	}
	return st;
}

static enum hs_result handshake(struct hs *h, CredHandle *cred, const wchar_t *target)
{
	char *in = xmalloc(IN_MAX);
	DWORD have = 0;
	enum hs_result rc = HS_REFUSED;
	bool read_first = false;

	for (;;) {
		if (read_first) {
			int k = have < IN_MAX && time_left(h->s, h->deadline)
			            ? recv(h->s, in + have, (int)(IN_MAX - have), 0)
			            : -1;

			if (k <= 0) {
				snprintf(
				    h->why, sizeof(h->why), "%s",
				    k == 0 ? "the server closed the connection"
				    : have >= IN_MAX
				        ? "the server's handshake is too large"
				        : "no answer from the server in time (or a network error)");
				/* A refused version is often an alert and a close. */
				rc = k == 0 || have >= IN_MAX ? HS_REFUSED : HS_NETWORK;
				break;
			}
			have += (DWORD)k;
		}
		h->st = isc_step(h, cred, target, in, &have);
		if (h->st == SEC_E_OK) {
			rc = HS_OK;
			break;
		}
		if (h->st != SEC_I_CONTINUE_NEEDED && h->st != SEC_E_INCOMPLETE_MESSAGE)
			break;
		/* Continue: read more unless ISC left a whole message to go on with. */
		read_first = h->st == SEC_E_INCOMPLETE_MESSAGE || have == 0;
	}
	free(in);
	return rc;
}

/* ---- what was negotiated ---- */

static void wide_to(char *out, size_t n, const WCHAR *w)
{
	char *s = w ? utf16_to_utf8((const uint16_t *)w, wcslen(w), NULL) : NULL;

	snprintf(out, n, "%s", s ? s : "");
	free(s);
}

static const char *alg_name(ALG_ID a)
{
	switch (a) {
	case CALG_RSA_KEYX: return "RSA";
	case CALG_DH_EPHEM: return "DHE";
	case CALG_ECDH_EPHEM: return "ECDHE";
	case CALG_ECDH: return "ECDH";
	case CALG_AES_128:
	case CALG_AES_256:
	case CALG_AES: return "AES";
	case CALG_3DES: return "3DES";
	case CALG_RC4: return "RC4";
	case CALG_DES: return "DES";
	case CALG_SHA1: return "SHA1";
	case CALG_SHA_256: return "SHA256";
	case CALG_SHA_384: return "SHA384";
	case CALG_SHA_512: return "SHA512";
	case CALG_MD5: return "MD5";
	default: return "";
	}
}

static const char *sig_name(const char *oid)
{
	static const struct {
		const char *oid, *name;
	} t[] = {
	    {"1.2.840.113549.1.1.4", "md5RSA"},
	    {"1.2.840.113549.1.1.5", "sha1RSA"},
	    {"1.2.840.113549.1.1.11", "sha256RSA"},
	    {"1.2.840.113549.1.1.12", "sha384RSA"},
	    {"1.2.840.113549.1.1.13", "sha512RSA"},
	    {"1.2.840.113549.1.1.10", "RSASSA-PSS"},
	    {"1.2.840.10045.4.1", "sha1ECDSA"},
	    {"1.2.840.10045.4.3.2", "sha256ECDSA"},
	    {"1.2.840.10045.4.3.3", "sha384ECDSA"},
	    {"1.2.840.10045.4.3.4", "sha512ECDSA"},
	    {"1.3.101.112", "Ed25519"},
	};
	size_t i;

	for (i = 0; oid && i < ARRAY_SIZE(t); i++)
		if (!strcmp(t[i].oid, oid))
			return t[i].name;
	return oid ? oid : "";
}

static void cert_info(CtxtHandle *ctx, struct probe_proto_result *pr)
{
	PCCERT_CONTEXT cert = NULL;
	SYSTEMTIME t;
	WCHAR subject[PROBE_TEXT];

	if (QueryContextAttributesW(ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert) != SEC_E_OK ||
	    !cert)
		return;
	if (CertNameToStrW(X509_ASN_ENCODING, &cert->pCertInfo->Subject, CERT_X500_NAME_STR,
	                   subject, ARRAY_SIZE(subject)) > 1)
		wide_to(pr->cert_subject, sizeof(pr->cert_subject), subject);
	if (FileTimeToSystemTime(&cert->pCertInfo->NotAfter, &t))
		snprintf(pr->cert_expiry, sizeof(pr->cert_expiry), "%04u-%02u-%02uT%02u:%02u:%02uZ",
		         t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
	snprintf(pr->cert_signature, sizeof(pr->cert_signature), "%s",
	         sig_name(cert->pCertInfo->SignatureAlgorithm.pszObjId));
	CertFreeCertificateContext(cert);
}

static const char *proto_of_bits(DWORD p)
{
	int i;

	for (i = 0; i < PP_COUNT; i++)
		if (p & proto_bits[i])
			return probe_proto_name((enum probe_proto)i);
	return "";
}

/* SChannel's own suite name, where it gives no IANA code. Wine's names the
 * MAC of an AEAD suite "<unknown>": IANA names such a suite after its
 * hash, which the connection info has; a result that is not an IANA name
 * is kept as SChannel wrote it. */
static void suite_from_name(const WCHAR *w, const char *hash, char *out, size_t n)
{
	char name[64], *u;
	uint16_t code;

	char fixed[64];
	size_t k = 0;
	const char *p;

	wide_to(name, sizeof(name), w);
	/* "TLS_<unknown>_RSA_WITH_": RSA key exchange has no exchange name */
	for (p = name; *p && k + 1 < sizeof(fixed);) {
		if (!strncmp(p, "<unknown>_", 10)) {
			p += 10;
		} else if (!strcmp(p, "<unknown>") && hash[0]) {
			k += (size_t)snprintf(fixed + k, sizeof(fixed) - k, "%s", hash);
			break;
		} else {
			fixed[k++] = *p++;
		}
	}
	fixed[k < sizeof(fixed) ? k : sizeof(fixed) - 1] = '\0';
	u = strstr(name, "<unknown>");
	snprintf(out, n, "%s", u && tls_suite_code(fixed, &code) ? fixed : name);
}

/* Fills what was negotiated; the suite's IANA name where SChannel says its
 * code (SECPKG_ATTR_CIPHER_INFO, Vista and later), else its own name. */
static void negotiated(CtxtHandle *ctx, struct probe_proto_result *pr)
{
	SecPkgContext_ConnectionInfo ci;
	SecPkgContext_CipherInfo cinfo;
	char hex[TLS_HEX_SIZE];

	if (QueryContextAttributesW(ctx, SECPKG_ATTR_CONNECTION_INFO, &ci) == SEC_E_OK) {
		snprintf(pr->negotiated, sizeof(pr->negotiated), "%s",
		         proto_of_bits(ci.dwProtocol));
		snprintf(pr->cipher, sizeof(pr->cipher), "%s", alg_name(ci.aiCipher));
		pr->cipher_bits = ci.dwCipherStrength;
		snprintf(pr->hash, sizeof(pr->hash), "%s", ci.aiHash ? alg_name(ci.aiHash) : "");
		snprintf(pr->key_exchange, sizeof(pr->key_exchange), "%s", alg_name(ci.aiExch));
		pr->key_exchange_bits = ci.dwExchStrength;
	}
	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
	if (QueryContextAttributesW(ctx, SECPKG_ATTR_CIPHER_INFO, &cinfo) == SEC_E_OK) {
		uint16_t code = (uint16_t)cinfo.dwCipherSuite;

		if (cinfo.dwCipherSuite)
			snprintf(pr->cipher_suite, sizeof(pr->cipher_suite), "%s",
			         tls_name_or_hex(tls_suite_name(code), code, hex));
		else
			suite_from_name(cinfo.szCipherSuite, pr->hash, pr->cipher_suite,
			                sizeof(pr->cipher_suite));
	}
	cert_info(ctx, pr);
}

/* ---- probe_host ---- */

struct target {
	struct sockaddr_storage sa;
	int salen;
	wchar_t *name;
	unsigned ms;
};

static void hs_end(struct hs *h)
{
	if (h->have_ctx)
		DeleteSecurityContext(&h->ctx);
	if (h->s != INVALID_SOCKET)
		closesocket(h->s);
	h->have_ctx = false;
	h->s = INVALID_SOCKET;
}

/* Whether a credential's first ClientHello (made, parsed and dropped: no
 * byte is sent) lists `version` in supported_versions. */
static bool hello_offers(CredHandle *cred, const wchar_t *target, uint16_t version)
{
	SecBuffer outb[1] = {{0, SECBUFFER_TOKEN, NULL}};
	SecBufferDesc od = {SECBUFFER_VERSION, 1, outb};
	struct sc_err err = {{0}};
	struct clienthello ch;
	CtxtHandle ctx;
	DWORD attrs = 0;
	bool found = false;
	size_t i;
	SECURITY_STATUS st = InitializeSecurityContextW(cred, NULL, (SEC_WCHAR *)target, ISC_FLAGS,
	                                                0, 0, NULL, 0, &ctx, &od, &attrs, NULL);

	if (st != SEC_I_CONTINUE_NEEDED && st != SEC_E_OK)
		return false;
	if (outb[0].pvBuffer &&
	    clienthello_parse(outb[0].pvBuffer, outb[0].cbBuffer, &ch, &err) == CH_OK) {
		for (i = 0; ch.has_versions && i < ch.versions.n; i++)
			found |= ch.versions.v[i] == version;
		clienthello_free(&ch);
	}
	if (outb[0].pvBuffer)
		FreeContextBuffer(outb[0].pvBuffer);
	DeleteSecurityContext(&ctx);
	return found;
}

static DWORD proto_bits_of(const char *name)
{
	int i;

	for (i = 0; i < PP_COUNT; i++)
		if (!strcmp(name, probe_proto_name((enum probe_proto)i)))
			return proto_bits[i];
	return 0;
}

/* One handshake with credentials q. HS_OK fills pr's negotiated fields;
 * HS_IGNORED: it completed, but at a protocol q did not allow. */
static enum hs_result try_once(const struct target *t, const struct cred_req *q,
                               struct probe_proto_result *pr, bool *connected)
{
	struct hs h = {.s = INVALID_SOCKET};
	CredHandle cred;
	enum hs_result rc;
	SECURITY_STATUS st = acquire(q, &cred, pr->api);

	if (st != SEC_E_OK) {
		pr->client_refused = true;
		set_status(pr, st);
		snprintf(pr->error, sizeof(pr->error),
		         "this machine's SChannel refused the credentials (0x%08lx)", (long)st);
		return HS_REFUSED;
	}
	if ((q->protocols & SP_PROT_TLS1_3_CLIENT) && !hello_offers(&cred, t->name, 0x0304)) {
		pr->client_refused = true;
		snprintf(pr->error, sizeof(pr->error),
		         "this machine's SChannel does not offer TLS 1.3 (%s: its ClientHello has "
		         "no TLS 1.3 in supported_versions)",
		         pr->api);
		FreeCredentialsHandle(&cred);
		return HS_REFUSED;
	}
	h.s = net_connect((const struct sockaddr *)&t->sa, t->salen, t->ms, pr->error,
	                  sizeof(pr->error));
	if (h.s == INVALID_SOCKET) {
		FreeCredentialsHandle(&cred);
		return HS_NETWORK;
	}
	*connected = true;
	h.deadline = GetTickCount64() + t->ms;
	rc = handshake(&h, &cred, t->name);
	if (rc == HS_OK) {
		negotiated(&h.ctx, pr);
		if (!(q->protocols & proto_bits_of(pr->negotiated))) {
			snprintf(pr->error, sizeof(pr->error),
			         "this machine's SChannel negotiated %s instead: it ignored the "
			         "protocol restriction",
			         pr->negotiated[0] ? pr->negotiated : "another protocol");
			pr->client_refused = true;
			rc = HS_IGNORED;
		}
	} else if (rc == HS_REFUSED) {
		set_status(pr, h.st);
		pr->client_refused = !h.sent;
		snprintf(pr->error, sizeof(pr->error), "%s",
		         h.why[0]  ? h.why
		         : !h.sent ? "this machine's SChannel would not start the handshake"
		                   : "the handshake failed");
	} else {
		snprintf(pr->error, sizeof(pr->error), "%s", h.why);
	}
	hs_end(&h);
	FreeCredentialsHandle(&cred);
	return rc;
}

/* ---- suite enumeration ----
 *
 * By exclusion: after each accepted handshake the negotiated cipher (its
 * algorithm, key length and chaining mode) is turned off in the client's
 * own credentials and the server asked again, until it refuses. That
 * finds one suite per cipher (the server's pick of key exchange and hash
 * for it): CRYPTO_SETTINGS (SCH_CREDENTIALS) can turn off a cipher, not a
 * suite; palgSupportedAlgs (SCHANNEL_CRED) only whole algorithms. A
 * handshake that negotiates a cipher the client turned off proves the
 * restriction was ignored: then nothing is claimed.
 */
#define ENUM_MAX 12

struct excluded {
	ALG_ID alg;
	unsigned bits;
	char mode[8]; /* "GCM", "CBC", "CCM", "" */
};

static const ALG_ID legacy_algs[] = {CALG_RSA_KEYX, CALG_DH_EPHEM, CALG_ECDH_EPHEM, CALG_ECDH,
                                     CALG_ECDSA,    CALG_RSA_SIGN, CALG_DSS_SIGN,   CALG_SHA1,
                                     CALG_SHA_256,  CALG_SHA_384,  CALG_SHA_512,    CALG_MD5};
static const ALG_ID legacy_ciphers[] = {CALG_AES_128, CALG_AES_256, CALG_3DES,
                                        CALG_RC4,     CALG_DES,     CALG_RC2};

static const WCHAR *cng_name(ALG_ID a)
{
	switch (a) {
	case CALG_AES_128:
	case CALG_AES_256:
	case CALG_AES: return L"AES";
	case CALG_3DES: return L"3DES";
	case CALG_RC4: return L"RC4";
	case CALG_DES: return L"DES";
	default: return NULL;
	}
}

static void mode_of(const char *suite, char mode[8])
{
	mode[0] = '\0';
	if (strstr(suite, "_GCM"))
		snprintf(mode, 8, "GCM");
	else if (strstr(suite, "_CCM"))
		snprintf(mode, 8, "CCM");
	else if (strstr(suite, "_CBC"))
		snprintf(mode, 8, "CBC");
}

static void ustr(UNICODE_STRING *u, const WCHAR *w)
{
	u->Buffer = (PWSTR)w;
	u->Length = (USHORT)(wcslen(w) * sizeof(WCHAR));
	u->MaximumLength = u->Length;
}

static bool build_crypto(const struct excluded *ex, size_t n, CRYPTO_SETTINGS *cs,
                         UNICODE_STRING *modes, DWORD *count)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const WCHAR *name = cng_name(ex[i].alg);
		const WCHAR *mode = !strcmp(ex[i].mode, "GCM")   ? BCRYPT_CHAIN_MODE_GCM
		                    : !strcmp(ex[i].mode, "CCM") ? BCRYPT_CHAIN_MODE_CCM
		                    : !strcmp(ex[i].mode, "CBC") ? BCRYPT_CHAIN_MODE_CBC
		                                                 : NULL;

		if (!name)
			return false;
		memset(&cs[i], 0, sizeof(cs[i]));
		cs[i].eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
		ustr(&cs[i].strCngAlgId, name);
		if (mode) {
			ustr(&modes[i], mode);
			cs[i].cChainingModes = 1;
			cs[i].rgstrChainingModes = &modes[i];
		}
		cs[i].dwMinBitLength = ex[i].bits;
		cs[i].dwMaxBitLength = ex[i].bits;
	}
	*count = (DWORD)n;
	return true;
}

static DWORD build_algs(const struct excluded *ex, size_t n, ALG_ID *algs)
{
	DWORD k = 0;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(legacy_algs); i++)
		algs[k++] = legacy_algs[i];
	for (i = 0; i < ARRAY_SIZE(legacy_ciphers); i++) {
		bool out = false;

		for (j = 0; j < n; j++)
			out |= ex[j].alg == legacy_ciphers[i];
		if (!out)
			algs[k++] = legacy_ciphers[i];
	}
	return k;
}

static ALG_ID cipher_alg(const struct probe_proto_result *r)
{
	if (!strcmp(r->cipher, "AES"))
		return r->cipher_bits == 256 ? CALG_AES_256 : CALG_AES_128;
	if (!strcmp(r->cipher, "3DES"))
		return CALG_3DES;
	if (!strcmp(r->cipher, "RC4"))
		return CALG_RC4;
	if (!strcmp(r->cipher, "DES"))
		return CALG_DES;
	return 0;
}

static bool is_excluded(const struct excluded *ex, size_t n, const struct excluded *e, bool by_mode)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ex[i].alg == e->alg && ex[i].bits == e->bits &&
		    (!by_mode || !strcmp(ex[i].mode, e->mode)))
			return true;
	return false;
}

static void add_suite(struct probe_proto_result *pr, const char *name)
{
	pr->suites = xrealloc(pr->suites, (pr->nsuites + 1) * sizeof(*pr->suites));
	snprintf(pr->suites[pr->nsuites++], sizeof(*pr->suites), "%s", name);
}

static void clear_suites(struct probe_proto_result *pr)
{
	free(pr->suites);
	pr->suites = NULL;
	pr->nsuites = 0;
}

/* Credentials for one enumeration step: the protocol, and ex[0..n) off. */
struct enum_creds {
	CRYPTO_SETTINGS cs[ENUM_MAX];
	UNICODE_STRING modes[ENUM_MAX];
	ALG_ID algs[ARRAY_SIZE(legacy_algs) + ARRAY_SIZE(legacy_ciphers)];
};

static bool enum_request(bool modern, const struct excluded *ex, size_t n, struct enum_creds *ec,
                         struct cred_req *q)
{
	if (!modern) {
		q->nalgs = build_algs(ex, n, ec->algs);
		q->algs = ec->algs;
		q->legacy_only = true;
		return true;
	}
	q->disabled = ec->cs;
	return build_crypto(ex, n, ec->cs, ec->modes, &q->ndisabled);
}

/*
 * Enumerates with one method (modern: SCH_CREDENTIALS + CRYPTO_SETTINGS,
 * "CRYPTO_SETTINGS structure", Windows 10 1809 and later; else
 * SCHANNEL_CRED + palgSupportedAlgs). false, with why, when the method is
 * not available or proves ignored: then nothing it saw is kept.
 */
static bool enumerate_with(const struct target *t, enum probe_proto p, bool modern,
                           struct probe_proto_result *pr, char *why, size_t why_size)
{
	const char *name = modern ? "CRYPTO_SETTINGS" : "palgSupportedAlgs";
	struct excluded ex[ENUM_MAX];
	struct enum_creds ec;
	struct probe_proto_result cur = *pr;
	size_t n = 0;
	bool connected;
	enum hs_result hr;

	clear_suites(pr);
	add_suite(pr, pr->cipher_suite);
	while (n < ENUM_MAX) {
		struct cred_req q = {.protocols = proto_bits[p]};
		struct excluded e = {cipher_alg(&cur), cur.cipher_bits, ""};

		mode_of(cur.cipher_suite, e.mode);
		if (!e.alg || !cng_name(e.alg)) {
			snprintf(
			    pr->enum_note, sizeof(pr->enum_note),
			    "stopped at %s: its cipher (%s) cannot be turned off by the client",
			    cur.cipher_suite, cur.cipher[0] ? cur.cipher : "unknown");
			return true;
		}
		ex[n++] = e;
		if (!enum_request(modern, ex, n, &ec, &q))
			return true;
		memset(&cur, 0, sizeof(cur));
		connected = false;
		hr = try_once(t, &q, &cur, &connected);
		if (hr == HS_REFUSED && !cur.client_refused)
			return pr->enumerated = true; /* every cipher it takes was seen */
		if (hr == HS_REFUSED && n > 1) {
			snprintf(pr->enum_note, sizeof(pr->enum_note),
			         "the client has no other cipher to offer");
			return pr->enumerated = true;
		}
		if (hr == HS_NETWORK) {
			snprintf(pr->enum_note, sizeof(pr->enum_note), "stopped: %s", cur.error);
			return true;
		}
		e = (struct excluded){cipher_alg(&cur), cur.cipher_bits, ""};
		mode_of(cur.cipher_suite, e.mode);
		if (hr != HS_OK || is_excluded(ex, n, &e, modern)) {
			snprintf(why, why_size, "%s: %s", name,
			         hr != HS_OK ? cur.error
			                     : "ignored (a cipher turned off was negotiated)");
			clear_suites(pr);
			return false;
		}
		add_suite(pr, cur.cipher_suite);
	}
	snprintf(pr->enum_note, sizeof(pr->enum_note), "stopped after %d ciphers", ENUM_MAX);
	return pr->enumerated = true;
}

/* CRYPTO_SETTINGS first (newer Windows), palgSupportedAlgs next (older);
 * where neither works, the note says why. */
static void enumerate(const struct target *t, enum probe_proto p, struct probe_proto_result *pr)
{
	char why1[PROBE_TEXT / 2] = "", why2[PROBE_TEXT / 2] = "";

	snprintf(pr->enum_method, sizeof(pr->enum_method), "SCH_CREDENTIALS CRYPTO_SETTINGS");
	if (enumerate_with(t, p, true, pr, why1, sizeof(why1)))
		return;
	snprintf(pr->enum_method, sizeof(pr->enum_method), "SCHANNEL_CRED palgSupportedAlgs");
	if (enumerate_with(t, p, false, pr, why2, sizeof(why2)))
		return;
	pr->enum_method[0] = '\0';
	snprintf(pr->enum_note, sizeof(pr->enum_note),
	         "not possible with this SChannel: %.100s; %.100s", why1, why2);
}

/* One handshake per protocol: SCHANNEL_CRED up to TLS 1.2 (every release
 * has it, and it is what Wine 8 honours: it takes SCH_CREDENTIALS but
 * ignores grbitDisabledProtocols), SCH_CREDENTIALS for TLS 1.3 (Microsoft:
 * TLS 1.3 needs it), whose ClientHello is checked first (hello_offers). */
static int probe_pass(const struct target *t, struct probe_report *r, struct sc_err *err)
{
	bool connected = false;
	int i;

	for (i = 0; i < PP_COUNT; i++) {
		struct probe_proto_result *pr = &r->protos[i];
		struct cred_req q = {.protocols = proto_bits[i], .legacy_only = i != PP_TLS13};
		enum hs_result hr = try_once(t, &q, pr, &connected);

		pr->tried = true;
		pr->accepted = hr == HS_OK;
		if (hr == HS_NETWORK && !connected)
			/* Not one connection made yet: a network failure before any
			 * handshake, not a refusal. */
			return sc_err_set(err, "%s", pr->error), PROBE_NETWORK;
		if (pr->accepted)
			enumerate(t, (enum probe_proto)i, pr);
	}
	return SC_OK;
}

static int resolve(const char *host, unsigned port, struct target *t, char *address, size_t n,
                   struct sc_err *err)
{
	struct addrinfo hints = {0}, *ai = NULL;
	char portstr[8];
	int e;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	snprintf(portstr, sizeof(portstr), "%u", port);
	e = getaddrinfo(host, portstr, &hints, &ai);
	if (e || !ai)
		return sc_err_set(err, "cannot resolve host '%s' (error %d)", host, e);
	memcpy(&t->sa, ai->ai_addr, ai->ai_addrlen);
	t->salen = (int)ai->ai_addrlen;
	if (getnameinfo(ai->ai_addr, (socklen_t)ai->ai_addrlen, address, (DWORD)n, NULL, 0,
	                NI_NUMERICHOST))
		snprintf(address, n, "%s", host);
	freeaddrinfo(ai);
	return SC_OK;
}

/* What both probes do first: the DLLs, Winsock, and where they run. */
static int start(char runtime[64], struct sc_err *err)
{
	WSADATA wsa;

	runtime_of(runtime, 64);
	if (load_api(err) != SC_OK)
		return PROBE_UNAVAILABLE;
	if (WSAStartup(MAKEWORD(2, 2), &wsa))
		return sc_err_set(err, "Winsock failed to start"), PROBE_NETWORK;
	return SC_OK;
}

int probe_host(const char *host, unsigned port, unsigned timeout_ms, struct probe_report *r,
               struct sc_err *err)
{
	struct target t = {.ms = timeout_ms};
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = start(r->runtime, err)) != SC_OK)
		return rc;
	if (resolve(host, port, &t, r->address, sizeof(r->address), err) != SC_OK) {
		WSACleanup();
		return SC_ERROR;
	}
	t.name = (wchar_t *)utf8_to_utf16(host, strlen(host), NULL);
	rc = probe_pass(&t, r, err);
	if (rc == PROBE_NETWORK)
		sc_err_prefix(err, "%s:%u", host, port);
	free(t.name);
	WSACleanup();
	if (rc != SC_OK)
		probe_report_free(r);
	return rc;
}

/* ---- probe_offer ---- */

struct loop {
	SOCKET listener;
	struct sockaddr_in addr;
	unsigned ms;
	CredHandle cred;
};

static SOCKET accept_one(struct loop *l)
{
	fd_set rd;
	struct timeval tv = {(long)(l->ms / 1000), (long)(l->ms % 1000) * 1000};
	SOCKET s;

	FD_ZERO(&rd);
	FD_SET(l->listener, &rd);
	if (select(0, &rd, NULL, NULL, &tv) <= 0)
		return INVALID_SOCKET;
	s = accept(l->listener, NULL, NULL);
	if (s != INVALID_SOCKET)
		set_timeouts(s, l->ms);
	return s;
}

/* Reads one ClientHello from s: bounded by IN_MAX bytes and the timeout. */
static int read_hello(SOCKET s, unsigned ms, struct clienthello *ch, struct sc_err *err)
{
	uint8_t *buf = xmalloc(IN_MAX);
	ULONGLONG deadline = GetTickCount64() + ms;
	size_t have = 0;
	int rc = CH_INCOMPLETE;

	while (rc == CH_INCOMPLETE) {
		int k = have < IN_MAX && time_left(s, deadline)
		            ? recv(s, (char *)buf + have, (int)(IN_MAX - have), 0)
		            : -1;

		if (k <= 0) {
			sc_err_set(err, "the ClientHello did not arrive whole (%zu bytes read)",
			           have);
			break;
		}
		have += (size_t)k;
		rc = clienthello_parse(buf, have, ch, err);
	}
	free(buf);
	return rc == CH_OK ? SC_OK : SC_ERROR;
}

/*
 * One client connection into the listener: SChannel's ClientHello is read
 * into *ch; with version != 0 the listener answers with a ServerHello of
 * that version and *accepted says whether the client went on (it waits for
 * the certificate) rather than refusing (an error, an alert).
 */
static int one_hello(struct loop *l, uint16_t version, struct clienthello *ch, bool *accepted,
                     SECURITY_STATUS *st, struct sc_err *err)
{
	struct hs h = {.s = INVALID_SOCKET};
	SOCKET srv = INVALID_SOCKET;
	char *in = NULL;
	uint8_t sh[128];
	DWORD have = 0;
	size_t shlen;
	int rc = SC_ERROR, k;

	h.s = net_connect((const struct sockaddr *)&l->addr, sizeof(l->addr), l->ms, h.why,
	                  sizeof(h.why));
	if (h.s == INVALID_SOCKET)
		return sc_err_set(err, "loopback: %s", h.why), PROBE_NETWORK;
	*st = isc_step(&h, &l->cred, L"localhost", NULL, &have);
	if (*st != SEC_I_CONTINUE_NEEDED || !h.sent) {
		sc_err_set(err, "SChannel produced no ClientHello (0x%08lx)", (long)*st);
		goto out;
	}
	srv = accept_one(l);
	if (srv == INVALID_SOCKET) {
		sc_err_set(err, "loopback: the listener accepted nothing in time");
		rc = PROBE_NETWORK;
		goto out;
	}
	if (read_hello(srv, l->ms, ch, err) != SC_OK || !version) {
		rc = version ? SC_ERROR : SC_OK;
		goto out;
	}
	shlen = probe_server_hello(ch, version, sh, sizeof(sh));
	*accepted = false;
	rc = SC_OK;
	if (!shlen || send_all(srv, sh, shlen))
		goto out; /* no suite usable at that version: not offered */
	in = xmalloc(IN_MAX);
	k = recv(h.s, in, IN_MAX, 0);
	if (k > 0) {
		have = (DWORD)k;
		*st = isc_step(&h, &l->cred, L"localhost", in, &have);
		*accepted = *st == SEC_I_CONTINUE_NEEDED || *st == SEC_E_INCOMPLETE_MESSAGE;
	}
out:
	free(in);
	if (srv != INVALID_SOCKET)
		closesocket(srv);
	hs_end(&h);
	return rc;
}

static int listen_loopback(struct loop *l, struct sc_err *err)
{
	int len = sizeof(l->addr);

	l->listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	memset(&l->addr, 0, sizeof(l->addr));
	l->addr.sin_family = AF_INET;
	l->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l->addr.sin_port = 0; /* an ephemeral port */
	if (l->listener == INVALID_SOCKET ||
	    bind(l->listener, (struct sockaddr *)&l->addr, sizeof(l->addr)) ||
	    listen(l->listener, 4) || getsockname(l->listener, (struct sockaddr *)&l->addr, &len))
		return sc_err_set(err, "cannot listen on 127.0.0.1: WSA error %d",
		                  WSAGetLastError()),
		       PROBE_NETWORK;
	return SC_OK;
}

/* Versions below the hello's own: one ServerHello each. */
static int test_versions(struct loop *l, struct offer_report *r, struct sc_err *err)
{
	int i, rc;

	for (i = 0; i < PP_COUNT; i++) {
		struct offer_version *v = &r->versions[i];
		uint16_t code = probe_proto_code((enum probe_proto)i);
		struct clienthello again;
		SECURITY_STATUS st = 0;
		bool ok = false;

		if (code >= r->ch.legacy_version) {
			v->offered = code == r->ch.legacy_version;
			snprintf(v->note, sizeof(v->note), "%s",
			         v->offered ? "the ClientHello's version"
			                    : "above the ClientHello's version");
			continue;
		}
		rc = one_hello(l, code, &again, &ok, &st, err);
		clienthello_free(&again);
		if (rc != SC_OK)
			return rc;
		v->tested = true;
		v->offered = ok;
		v->status = ok ? 0 : (uint32_t)st;
		snprintf(v->note, sizeof(v->note), "ServerHello at %s: %s", probe_proto_name(i),
		         ok ? "the client went on" : "the client refused it");
	}
	return SC_OK;
}

int probe_offer(unsigned timeout_ms, struct offer_report *r, struct sc_err *err)
{
	struct loop l = {.listener = INVALID_SOCKET, .ms = timeout_ms};
	struct cred_req q = {0};
	SECURITY_STATUS st;
	bool ignored;
	int rc, i;

	memset(r, 0, sizeof(*r));
	if ((rc = start(r->runtime, err)) != SC_OK)
		return rc;
	rc = listen_loopback(&l, err);
	if (rc == SC_OK && (st = acquire(&q, &l.cred, r->api)) != SEC_E_OK)
		rc = sc_err_set(err, "SChannel refused its default client credentials (0x%08lx)",
		                (long)st);
	else if (rc == SC_OK) {
		rc = one_hello(&l, 0, &r->ch, &ignored, &st, err);
		if (rc == SC_OK && !r->ch.has_versions)
			rc = test_versions(&l, r, err);
		else if (rc == SC_OK)
			for (i = 0; i < PP_COUNT; i++) {
				uint16_t v[16];
				size_t n = clienthello_versions(&r->ch, v, 16), k;

				for (k = 0; k < n; k++)
					if (v[k] == probe_proto_code((enum probe_proto)i))
						r->versions[i].offered = true;
				snprintf(r->versions[i].note, sizeof(r->versions[i].note), "%s",
				         "supported_versions");
			}
		FreeCredentialsHandle(&l.cred);
	}
	if (l.listener != INVALID_SOCKET)
		closesocket(l.listener);
	WSACleanup();
	if (rc != SC_OK)
		offer_report_free(r);
	return rc;
}
