/*
 * fuzz_multipart.c - multipart/form-data parsing of photo uploads: the first
 * line is the Content-Type header, the rest the body, parsed with the limits
 * the upload route uses (scaled down, so that the size checks are reached).
 */
#include "http/multipart.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct multipart_limits lim = { 10, 4096, 512 };
	const uint8_t *nl = memchr(data, '\n', size);
	char ctype[512], boundary[128];
	struct multipart mp;
	size_t clen;

	if (!nl || size > 65536)
		return 0;
	clen = (size_t)(nl - data);
	if (clen >= sizeof(ctype))
		return 0;
	memcpy(ctype, data, clen);
	ctype[clen] = '\0';
	if (multipart_boundary(ctype, boundary, sizeof(boundary)) < 0)
		return 0;
	/* A copy of exactly the body's bytes: reads past it are ASan's to catch. */
	{
		size_t blen = size - clen - 1;
		char *body = malloc(blen ? blen : 1);

		memcpy(body, nl + 1, blen);
		if (multipart_parse(&mp, body, blen, boundary, &lim) == 0) {
			size_t i;
			volatile size_t sum = 0;

			for (i = 0; i < mp.n; i++)
				sum += mp.parts[i].len ? (unsigned char)mp.parts[i].data[mp.parts[i].len - 1] : 0;
		}
		multipart_release(&mp);
		free(body);
	}
	return 0;
}
