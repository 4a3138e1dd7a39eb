#include <v/status.h>

const char *v_status_name(v_status s)
{
    switch (s) {
    case V_OK: return "OK";
    case V_ERR_BAD_HANDLE: return "BAD_HANDLE";
    case V_ERR_ACCESS_DENIED: return "ACCESS_DENIED";
    case V_ERR_INVALID_ARGS: return "INVALID_ARGS";
    case V_ERR_NO_MEMORY: return "NO_MEMORY";
    case V_ERR_SHOULD_WAIT: return "SHOULD_WAIT";
    case V_ERR_PEER_CLOSED: return "PEER_CLOSED";
    case V_ERR_TIMED_OUT: return "TIMED_OUT";
    case V_ERR_BAD_STATE: return "BAD_STATE";
    case V_ERR_OUT_OF_RANGE: return "OUT_OF_RANGE";
    case V_ERR_LIMIT: return "LIMIT";
    case V_ERR_NOT_SUPPORTED: return "NOT_SUPPORTED";
    case V_ERR_END: return "END";
    case V_ERR_MALFORMED: return "MALFORMED";
    case V_ERR_TRUNCATED: return "TRUNCATED";
    case V_ERR_IO: return "IO";
    }
    return "UNKNOWN";
}
