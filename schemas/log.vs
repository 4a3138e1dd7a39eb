/// Structured log records, as the log service stores and forwards them
/// (the v_log_record of include/v/log.h, given bounds; its message is
/// `text` here, as `message` is a reserved word).
///
/// Every limit is explicit so that a record has a bounded size: a message
/// of at most 4096 bytes, at most 64 fields (V_LOG_MAX_FIELDS), keys of
/// at most 64 bytes, values of at most 1024.
schema vectra.log;

/// Severity, lowest first (v_log_level).
enum Level {
    trace = 0;
    debug = 1;
    info = 2;
    warn = 3;
    /// Something failed and needs a person's attention.
    error = 4;
}

/// The typed value of one key/value field (v_log_kind).
union Value {
    /// UTF-8 text (V_LOG_KIND_STR).
    text: string<1024> = 1;
    /// A signed integer (V_LOG_KIND_I64).
    integer: i64 = 2;
    /// An unsigned integer (V_LOG_KIND_U64).
    natural: u64 = 3;
    flag: bool = 4;
    /// Raw bytes (V_LOG_KIND_HEX: text sinks print them as hex).
    blob: bytes<1024> = 5;
}

struct Field {
    key: string<64> = 1;
    value: Value = 2;
}

struct Record {
    /// Monotonic time of the record in nanoseconds since boot; 0 when the
    /// writer had no clock.
    time_ns: u64 = 1;
    level: Level = 2;
    /// The Task or service that wrote the record (its logger's module).
    task: string<64> = 3;
    text: string<4096> = 4;
    /// In the order they were given; keys need not be unique.
    fields: list<Field, 64> = 5;
    /// Wall-clock time in nanoseconds since 1970, when the writer knew
    /// it with some confidence (see lib/time).
    optional wall_ns: i64 = 6;
}
