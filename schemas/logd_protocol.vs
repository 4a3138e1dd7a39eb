/// logd's inbox: structured log records from every service, and queries
/// over the bounded history (docs/services.md).
schema vectra.logd;

enum Level {
    debug = 0;
    info = 1;
    warn = 2;
    error = 3;
}

struct Record {
    /// Monotonic nanoseconds when the service made it.
    time_ns: u64 = 1;
    level: Level = 2;
    /// The service's own name (as it says; logd also keeps the badge).
    service: string<31> = 3;
    text: string<200> = 4;
    /// Set by logd: position in the history since logd started.
    optional seq: u64 = 5;
    /// Set by logd: the badge of the TX the record came through.
    optional badge: u64 = 6;
}

struct Query {
    optional service: string<31> = 1;
    /// How many of the newest matching records (at most 12 per reply).
    last: u32 = 2;
}

struct Empty {}

union Call {
    append: Record = 1;
    query: Query = 2;
}

message Request {
    optional reply: handle<ring_tx, send> = 1;
    id: u64 = 2;
    call: Call = 3;
}

message Reply {
    status: i32 = 1;
    id: u64 = 2;
    optional records: list<Record, 12> = 3;
    /// Records dropped from the history (oldest first) since logd started.
    optional dropped: u64 = 4;
    /// Records appended since logd started.
    optional total: u64 = 5;
}
