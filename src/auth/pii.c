/*
 * pii.c - encryption, keyed hashing and masking of personal data.
 */
#include "auth/pii.h"
#include "util/check.h"
#include "util/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32

static unsigned char *enc_key;	/* secretbox key, in sodium_malloc'd memory */
static unsigned char *hash_key;	/* generichash key */

static void derive(const unsigned char master[KEY_BYTES])
{
	if (!enc_key) {
		enc_key = sodium_malloc(crypto_secretbox_KEYBYTES);
		hash_key = sodium_malloc(crypto_generichash_KEYBYTES);
		if (!enc_key || !hash_key)
			fatal("cannot allocate locked memory for keys");
	}
	crypto_kdf_derive_from_key(enc_key, crypto_secretbox_KEYBYTES, 1, "YLpiienc", master);
	crypto_kdf_derive_from_key(hash_key, crypto_generichash_KEYBYTES, 2, "YLpiihsh", master);
}

void pii_init_with_key(const unsigned char key[32])
{
	if (sodium_init() < 0)
		fatal("libsodium cannot start");
	derive(key);
}

int pii_init(const char *key_file, char *err, size_t errlen)
{
	unsigned char key[KEY_BYTES];
	struct stat sb;
	size_t got = 0;
	int fd;

	if (sodium_init() < 0)
		return set_error(err, errlen, "libsodium cannot start");
	fd = open(key_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return set_error(err, errlen, "cannot open key file '%s' (run 'yuanluo init' to create it)", key_file);
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size != KEY_BYTES) {
		close(fd);
		return set_error(err, errlen, "key file '%s' is not a %d-byte file", key_file, KEY_BYTES);
	}
	if (sb.st_mode & 077) {
		close(fd);
		return set_error(err, errlen, "key file '%s' is readable by others: chmod 600 it", key_file);
	}
	while (got < KEY_BYTES) {
		ssize_t n = read(fd, key + got, KEY_BYTES - got);
		if (n <= 0) {
			close(fd);
			return set_error(err, errlen, "cannot read key file '%s'", key_file);
		}
		got += (size_t)n;
	}
	close(fd);
	derive(key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

int pii_ready(void)
{
	return enc_key != NULL;
}

static void need_key(void)
{
	if (!enc_key)
		fatal("personal data used before the key was loaded (pii_init)");
}

char *pii_encrypt(const char *plain)
{
	size_t n, clen, b64len;
	unsigned char *box;
	char *out;

	if (!plain)
		return NULL;
	need_key();
	n = strlen(plain);
	clen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	box = xmalloc(clen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, box, enc_key);
	b64len = sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out = xmalloc(b64len + 3);
	memcpy(out, "v1:", 3);
	sodium_bin2base64(out + 3, b64len, box, clen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(box);
	return out;
}

char *pii_decrypt(const char *sealed)
{
	size_t len, binlen;
	unsigned char *bin;
	char *plain;

	if (!sealed)
		return NULL;
	need_key();
	if (strncmp(sealed, "v1:", 3) != 0)
		return NULL;
	len = strlen(sealed + 3);
	bin = xmalloc(len + 1);
	if (sodium_base642bin(bin, len + 1, sealed + 3, len, NULL, &binlen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    binlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		free(bin);
		return NULL;
	}
	plain = xmalloc(binlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain, bin + crypto_secretbox_NONCEBYTES,
				       binlen - crypto_secretbox_NONCEBYTES, bin, enc_key) != 0) {
		free(bin);
		free(plain);
		return NULL;
	}
	plain[binlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES] = '\0';
	free(bin);
	return plain;
}

char *pii_lookup_hash(const char *plain)
{
	unsigned char h[32];
	char *hex;

	if (!plain)
		return NULL;
	need_key();
	crypto_generichash(h, sizeof(h), (const unsigned char *)plain, strlen(plain), hash_key,
			   crypto_generichash_KEYBYTES);
	hex = xmalloc(sizeof(h) * 2 + 1);
	sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
	return hex;
}

/* Keeps `head` leading and 4 trailing digits; everything between becomes four stars. */
static char *mask_digits(const char *s, size_t head, size_t stars_min)
{
	size_t n = strlen(s), i;
	struct buf b = BUF_INIT;

	if (n <= head + 4) {
		/* Too short to show anything safely. */
		buf_init(&b);
		for (i = 0; i < n; i++)
			buf_addch(&b, '*');
		return buf_detach(&b, NULL);
	}
	buf_add(&b, s, head);
	for (i = 0; i < (stars_min ? n - head - 4 : 4); i++)
		buf_addch(&b, '*');
	buf_add(&b, s + n - 4, 4);
	return buf_detach(&b, NULL);
}

char *pii_mask_phone(const char *phone)
{
	const char *dash;

	if (!phone)
		return NULL;
	dash = strchr(phone, '-');
	if (dash && dash - phone <= 4)
		return mask_digits(phone, (size_t)(dash - phone), 0);
	return mask_digits(phone, 3, 0);
}

char *pii_mask_id(const char *id_number)
{
	if (!id_number)
		return NULL;
	return mask_digits(id_number, 4, 1);
}

char *pii_mask_name(const char *name)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)name;
	size_t first = 1, i, rest;

	if (!name)
		return NULL;
	if (!*p)
		return xstrdup("");
	while (p[first] && (p[first] & 0xc0) == 0x80)
		first++;
	buf_add(&b, name, first);
	rest = utf8_length(name + first);
	for (i = 0; i < (rest ? rest : 0); i++)
		buf_addch(&b, '*');
	return buf_detach(&b, NULL);
}

int pii_id_number_valid(const char *id)
{
	return idno_valid(id);
}
