/* api_upload.h - photo uploads (api_upload.c): where their files live. */
#ifndef YL_API_UPLOAD_H
#define YL_API_UPLOAD_H

#include <stddef.h>

/*
 * Sets the folder uploads are stored in (the setting upload-dir; created on the
 * first upload).  Refuses, with err filled, a folder that is the web root or
 * inside it: uploads are reached only through the API, which checks who may
 * see them.  Call before the server starts.
 */
int api_upload_configure(const char *upload_dir, const char *web_root, char *err, size_t errlen);

#endif
