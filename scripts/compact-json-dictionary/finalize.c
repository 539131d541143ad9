// Builds version 2 of CompactJSONCodec's dictionary: version 1's content with Zstandard's entropy
// tables (literals' Huffman table, the sequences' FSE tables) computed from sample contacts.
// Reads the samples, one JSON per line, on stdin; writes DictionaryV2.h on stdout.
// Run by make-dictionary.py; the header it wrote is committed and never regenerated.
#define ZDICT_STATIC_LINKING_ONLY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>

#include "../../Sources/CompactJSONCodec/DictionaryV1.h"

int main(void) {
    size_t capacity = 1 << 24, used = 0, count = 0, lengths[1 << 16];
    char *samples = malloc(capacity), line[1 << 16];
    while (count < sizeof lengths / sizeof *lengths && fgets(line, sizeof line, stdin)) {
        size_t length = strcspn(line, "\n");
        if (used + length > capacity) break;
        memcpy(samples + used, line, length);
        used += length;
        lengths[count++] = length;
    }
    unsigned char dictionary[1 << 14];
    ZDICT_params_t parameters = {.compressionLevel = 1, .dictID = 2};
    size_t size = ZDICT_finalizeDictionary(dictionary, sizeof dictionary, dictionaryV1, sizeof dictionaryV1 - 1,
                                           samples, lengths, (unsigned)count, parameters);
    if (ZDICT_isError(size)) {
        fprintf(stderr, "finalize: %s\n", ZDICT_getErrorName(size));
        return 1;
    }
    printf("#ifndef COMPACT_JSON_DICTIONARY_V2_H\n#define COMPACT_JSON_DICTIONARY_V2_H\n\n");
    printf("/// Version 2 of the dictionary: version 1's content (DictionaryV1.h) behind Zstandard's entropy\n");
    printf("/// tables, computed from %zu sample contacts by scripts/compact-json-dictionary. Changing one\n", count);
    printf("/// byte would misread every contact stored with it.\n");
    printf("static const unsigned char dictionaryV2[%zu] = {", size);
    for (size_t i = 0; i < size; i++) printf("%s0x%02x,", i % 16 ? " " : "\n    ", dictionary[i]);
    printf("\n};\n\n#endif\n");
    return 0;
}
