/* The JSON conformance table, shared by the libv conformance test and
 * the cross-check suite. Test code only. */
#ifndef V_ENCODING_JSON_CASES_H
#define V_ENCODING_JSON_CASES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct json_conf_case {
    char cat;           /* 'y' must accept, 'n' must reject, 'i' choice */
    const char *name;
    const char *input;
    size_t len;
    bool accept;        /* what Vectra does */
} json_conf_case;

extern const json_conf_case json_conf_cases[];
extern const size_t json_conf_case_count;

#endif
