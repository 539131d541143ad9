#define _GNU_SOURCE  // memmem
#include "FreshDatabaseTemplate.h"

#include <string.h>

#include <zstd.h>

// `packedTemplate` and `templateSize`, written by FreshDatabaseTemplateTests.
#include "Template.inc"

size_t fresh_database_template_size(void) { return templateSize; }

int fresh_database_template_unpack(uint8_t *destination, size_t capacity) {
    if (templateSize == 0 || capacity < templateSize) return 0;
    size_t written = ZSTD_decompress(destination, capacity, packedTemplate, sizeof packedTemplate);
    return !ZSTD_isError(written) && written == templateSize;
}

int fresh_database_template_replace(
    uint8_t *bytes, size_t size, const uint8_t *placeholder, const uint8_t *replacement, size_t length) {
    if (length == 0) return 0;
    uint8_t *found = memmem(bytes, size, placeholder, length);
    if (found == NULL) return 0;
    size_t after = (size_t)(found - bytes) + length;
    if (memmem(bytes + after, size - after, placeholder, length) != NULL) return 0;
    memcpy(found, replacement, length);
    return 1;
}
