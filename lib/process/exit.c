/* The exit code table (docs/process.md). */
#include <v/process.h>

int32_t v_process_exit_code(v_status st)
{
    switch (st) {
    case V_OK:
        return V_EXIT_OK;
    case V_ERR_PEER_CLOSED:
        return V_EXIT_PEER_CLOSED;
    case V_ERR_NO_MEMORY:
    case V_ERR_LIMIT:
        return V_EXIT_RESOURCES;
    case V_ERR_BAD_HANDLE:
    case V_ERR_ACCESS_DENIED:
        /* A handle the program relies on is not what its footprint
         * promised: a configuration fault, not a transient one. */
        return V_EXIT_FOOTPRINT;
    case V_ERR_MALFORMED:
        return V_EXIT_CONFIG;
    default:
        return V_EXIT_FAILURE;
    }
}

const char *v_process_exit_name(int32_t code)
{
    switch (code) {
    case V_EXIT_OK: return "OK";
    case V_EXIT_FAILURE: return "FAILURE";
    case V_EXIT_USAGE: return "USAGE";
    case V_EXIT_FOOTPRINT: return "FOOTPRINT";
    case V_EXIT_START: return "START";
    case V_EXIT_PEER_CLOSED: return "PEER_CLOSED";
    case V_EXIT_RESOURCES: return "RESOURCES";
    case V_EXIT_CONFIG: return "CONFIG";
    case V_EXIT_SOFTWARE: return "SOFTWARE";
    case V_EXIT_EXEC: return "EXEC";
    default: return "UNKNOWN";
    }
}

bool v_process_exit_restartable(int32_t code)
{
    switch (code) {
    case V_EXIT_OK:
    case V_EXIT_USAGE:
    case V_EXIT_FOOTPRINT:
    case V_EXIT_START:
    case V_EXIT_CONFIG:
    case V_EXIT_EXEC:
        return false;
    default:
        return true;
    }
}
