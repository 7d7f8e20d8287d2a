/*
 * tlsclient - a handshake-only Windows TLS client for the end-to-end tests
 * (tests/e2e/test_tls_wine.sh). Not shipped.
 *
 *   tlsclient.exe PORT [TIMEOUT_MS]
 *
 * Connects to 127.0.0.1:PORT over Winsock and runs a TLS client handshake
 * through SSPI (SChannel): AcquireCredentialsHandle with
 * grbitEnabledProtocols = 0, so the protocols are the system's defaults,
 * which SChannel reads from
 *   HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\
 *     Protocols\<P>\Client  Enabled / DisabledByDefault
 * once per process. Then the InitializeSecurityContext loop until the
 * handshake completes or fails. The server's certificate is not validated
 * (SCH_CRED_MANUAL_CRED_VALIDATION, ISC_REQ_MANUAL_CRED_VALIDATION): the
 * test server's certificate is self-signed, and what is under test is the
 * protocol version only. No application data is sent.
 *
 * Output: one line on stdout,
 *   negotiated TLS 1.2 (protocol 0x00000800, cipher 0x0000660e, 128 bits)
 * or one line on stderr saying which step failed and with what status.
 *
 * Exit status:
 *   0  the handshake completed
 *   1  the handshake failed (the peer or SChannel refused it)
 *   2  usage error
 *   3  network error (socket, connect, send, receive, peer closed early)
 *   4  timed out (TIMEOUT_MS, default 10000, for the whole run)
 *   5  AcquireCredentialsHandle failed (e.g. no client protocol enabled)
 */
#define WIN32_LEAN_AND_MEAN
#define SECURITY_WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <schannel.h>
#include <security.h>
#include <sspi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

enum {
	EXIT_HANDSHAKE = 1,
	EXIT_USAGE = 2,
	EXIT_NETWORK = 3,
	EXIT_TIMEOUT = 4,
	EXIT_CREDENTIALS = 5,
};

#define IN_BUF_SIZE 65536

static DWORD timeout_ms = 10000;

/* The whole run is bounded: a stuck connect, receive or handshake ends
 * the process here, whatever the thread is doing. */
static DWORD WINAPI watchdog(LPVOID arg)
{
	(void)arg;
	Sleep(timeout_ms);
	fprintf(stderr, "tlsclient: timed out after %lu ms\n", (unsigned long)timeout_ms);
	fflush(stderr);
	ExitProcess(EXIT_TIMEOUT);
	return 0;
}

static const char *protocol_name(DWORD p)
{
	if (p & SP_PROT_SSL2_CLIENT)
		return "SSL 2.0";
	if (p & SP_PROT_SSL3_CLIENT)
		return "SSL 3.0";
	if (p & SP_PROT_TLS1_0_CLIENT)
		return "TLS 1.0";
	if (p & SP_PROT_TLS1_1_CLIENT)
		return "TLS 1.1";
	if (p & SP_PROT_TLS1_2_CLIENT)
		return "TLS 1.2";
#ifdef SP_PROT_TLS1_3_CLIENT
	if (p & SP_PROT_TLS1_3_CLIENT)
		return "TLS 1.3";
#endif
	return "unknown";
}

static int send_all(SOCKET s, const char *data, DWORD size)
{
	while (size) {
		int n = send(s, data, (int)size, 0);

		if (n == SOCKET_ERROR) {
			fprintf(stderr, "tlsclient: send failed: WSA error %d\n",
			        WSAGetLastError());
			return -1;
		}
		data += n;
		size -= (DWORD)n;
	}
	return 0;
}

/* Sends the token ISC produced (if any) and frees it. */
static int send_token(SOCKET s, SecBuffer *out)
{
	int rc = 0;

	if (out->cbBuffer && out->pvBuffer)
		rc = send_all(s, out->pvBuffer, out->cbBuffer);
	if (out->pvBuffer)
		FreeContextBuffer(out->pvBuffer);
	out->pvBuffer = NULL;
	out->cbBuffer = 0;
	return rc;
}

static int handshake(SOCKET s, CredHandle *cred, CtxtHandle *ctx, const wchar_t *target)
{
	DWORD req = ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |
	            ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION;
	char *in = malloc(IN_BUF_SIZE);
	DWORD have = 0, attrs = 0;
	SecBuffer outb[1], inb[2];
	SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, outb};
	SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, inb};
	SECURITY_STATUS st;
	BOOL first = TRUE, need_read = FALSE;

	if (!in) {
		fprintf(stderr, "tlsclient: out of memory\n");
		return EXIT_NETWORK;
	}
	for (;;) {
		if (need_read) {
			int n;

			if (have == IN_BUF_SIZE) {
				fprintf(stderr, "tlsclient: handshake message too large\n");
				free(in);
				return EXIT_HANDSHAKE;
			}
			n = recv(s, in + have, (int)(IN_BUF_SIZE - have), 0);
			if (n == SOCKET_ERROR || n == 0) {
				if (n == 0)
					fprintf(stderr, "tlsclient: handshake failed: the server "
					                "closed the connection\n");
				else
					fprintf(stderr, "tlsclient: recv failed: WSA error %d\n",
					        WSAGetLastError());
				free(in);
				/* A server that refuses the version sends an alert and
				 * closes; Wine may report that as a close before ISC sees
				 * the alert. Either way the handshake did not complete. */
				return n == 0 ? EXIT_HANDSHAKE : EXIT_NETWORK;
			}
			have += (DWORD)n;
		}
		outb[0] = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
		inb[0] = (SecBuffer){have, SECBUFFER_TOKEN, in};
		inb[1] = (SecBuffer){0, SECBUFFER_EMPTY, NULL};
		st = InitializeSecurityContextW(cred, first ? NULL : ctx, (SEC_WCHAR *)target, req,
		                                0, 0, first ? NULL : &in_desc, 0,
		                                first ? ctx : NULL, &out_desc, &attrs, NULL);
		first = FALSE;
		if (st == SEC_E_INCOMPLETE_MESSAGE) {
			need_read = TRUE;
			continue;
		}
		if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED ||
		    (FAILED(st) && (attrs & ISC_RET_EXTENDED_ERROR))) {
			/* A token to send: the next flight, or an alert. */
			if (send_token(s, &outb[0])) {
				free(in);
				return EXIT_NETWORK;
			}
		} else if (outb[0].pvBuffer) {
			FreeContextBuffer(outb[0].pvBuffer);
		}
		if (st == SEC_E_OK) {
			free(in);
			return 0;
		}
		if (st != SEC_I_CONTINUE_NEEDED) {
			fprintf(stderr,
			        "tlsclient: handshake failed: InitializeSecurityContext "
			        "returned 0x%08lx\n",
			        (unsigned long)st);
			free(in);
			return EXIT_HANDSHAKE;
		}
		/* Keep the bytes ISC did not consume (the next message). */
		if (have && inb[1].BufferType == SECBUFFER_EXTRA && inb[1].cbBuffer) {
			memmove(in, in + (have - inb[1].cbBuffer), inb[1].cbBuffer);
			have = inb[1].cbBuffer;
			need_read = FALSE;
		} else {
			have = 0;
			need_read = TRUE;
		}
	}
}

static int parse_number(const wchar_t *s, unsigned long max, unsigned long *out)
{
	wchar_t *end;
	unsigned long v;

	if (!*s || *s == L'-' || *s == L'+')
		return -1;
	v = wcstoul(s, &end, 10);
	if (*end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int wmain(int argc, wchar_t **argv);

int wmain(int argc, wchar_t **argv)
{
	SCHANNEL_CRED sc = {0};
	CredHandle cred;
	CtxtHandle ctx;
	SecPkgContext_ConnectionInfo info;
	SECURITY_STATUS st;
	struct sockaddr_in addr = {0};
	unsigned long port, t;
	WSADATA wsa;
	SOCKET s;
	DWORD tmo;
	int rc;

	if (argc < 2 || argc > 3 || parse_number(argv[1], 65535, &port) ||
	    (argc == 3 && parse_number(argv[2], 600000, &t))) {
		fprintf(stderr, "usage: tlsclient PORT [TIMEOUT_MS]\n");
		return EXIT_USAGE;
	}
	if (argc == 3)
		timeout_ms = (DWORD)t;
	if (!CreateThread(NULL, 0, watchdog, NULL, 0, NULL)) {
		fprintf(stderr, "tlsclient: cannot start the watchdog thread\n");
		return EXIT_NETWORK;
	}

	sc.dwVersion = SCHANNEL_CRED_VERSION;
	sc.grbitEnabledProtocols = 0; /* the system's defaults: what the registry says */
	sc.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
	st = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL,
	                               &sc, NULL, NULL, &cred, NULL);
	if (st != SEC_E_OK) {
		fprintf(stderr, "tlsclient: AcquireCredentialsHandle returned 0x%08lx\n",
		        (unsigned long)st);
		return EXIT_CREDENTIALS;
	}

	if (WSAStartup(MAKEWORD(2, 2), &wsa)) {
		fprintf(stderr, "tlsclient: WSAStartup failed\n");
		return EXIT_NETWORK;
	}
	s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	if (s == INVALID_SOCKET) {
		fprintf(stderr, "tlsclient: socket failed: WSA error %d\n", WSAGetLastError());
		return EXIT_NETWORK;
	}
	tmo = timeout_ms;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&tmo, sizeof(tmo));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&tmo, sizeof(tmo));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((u_short)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR) {
		fprintf(stderr, "tlsclient: connect to 127.0.0.1:%lu failed: WSA error %d\n", port,
		        WSAGetLastError());
		return EXIT_NETWORK;
	}

	rc = handshake(s, &cred, &ctx, L"localhost");
	if (rc == 0) {
		st = QueryContextAttributesW(&ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
		if (st != SEC_E_OK) {
			fprintf(stderr,
			        "tlsclient: QueryContextAttributes(CONNECTION_INFO) "
			        "returned 0x%08lx\n",
			        (unsigned long)st);
			rc = EXIT_HANDSHAKE;
		} else {
			printf("negotiated %s (protocol 0x%08lx, cipher 0x%08lx, %lu bits)\n",
			       protocol_name(info.dwProtocol), (unsigned long)info.dwProtocol,
			       (unsigned long)info.aiCipher, (unsigned long)info.dwCipherStrength);
		}
		DeleteSecurityContext(&ctx);
	}
	closesocket(s);
	FreeCredentialsHandle(&cred);
	WSACleanup();
	fflush(stdout);
	return rc;
}
