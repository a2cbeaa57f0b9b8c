/*
 * pii.h - personal data at rest and on the wire.
 *
 * Phones, ID numbers and sensitive fields are stored encrypted with libsodium
 * secretbox (XSalsa20-Poly1305) under a key derived from the key file, which
 * lives outside the database: a copied database file reveals none of them.
 * Exact lookup uses a keyed hash (BLAKE2b under a second derived key), so equal
 * values can be found without decrypting every row.  Masking is for output.
 *
 * pii_init() must run once before the other functions (serve and every CLI
 * command that touches persons call it); the key stays in locked memory.
 */
#ifndef YL_PII_H
#define YL_PII_H

#include <stddef.h>

/* Loads the 32-byte key file; -1 with err when missing, of the wrong size or readable by others. */
int pii_init(const char *key_file, char *err, size_t errlen);
/* For tests: a fixed key. */
void pii_init_with_key(const unsigned char key[32]);
int pii_ready(void);

/* Encrypts text into base64 "nonce|ciphertext" (caller frees); NULL in, NULL out. */
char *pii_encrypt(const char *plain);
/* Decrypts what pii_encrypt made; NULL (and no crash) when the text was altered or the key is wrong. */
char *pii_decrypt(const char *sealed);
/* Keyed hash for exact lookup, 64 hex characters (caller frees); NULL in, NULL out. */
char *pii_lookup_hash(const char *plain);

/* 13812341234 -> 138****1234; 0531-88881234 -> 0531****1234 (keep 3-4 leading, 4 trailing). */
char *pii_mask_phone(const char *phone);
/* 370102199001011234 -> 3701**********1234. */
char *pii_mask_id(const char *id_number);
/* 张三 -> 张*, 欧阳娜娜 -> 欧*** : the first character only. */
char *pii_mask_name(const char *name);

/* 18-character resident ID (GB 11643): digits, region, birth date and the check character. */
int pii_id_number_valid(const char *id);

#endif
