/// initd's control inbox: list the services, start, stop, restart them,
/// connect to one, power the machine off (docs/services.md).
schema vectra.initd;

/// Where a service is in its life.
enum State {
    starting = 0;
    running = 1;
    /// Ended; waiting out its backoff before the next start.
    backoff = 2;
    /// Stopped by a request, or ended under restart policy never/on_failure.
    stopped = 3;
    /// Gave up: a crash loop, or an exit code that a restart cannot help.
    failed = 4;
    /// Never started: its manifest or image failed verification.
    refused = 5;
}

struct Empty {}

struct Name {
    name: string<31> = 1;
}

union Call {
    tasks: Empty = 1;
    start: Name = 2;
    stop: Name = 3;
    restart: Name = 4;
    /// A TX of the named service's inbox, in the reply.
    connect: Name = 5;
    poweroff: Empty = 6;
}

message Request {
    /// Where the reply goes (a Ring of this schema); slot 0.
    optional reply: handle<ring_tx, send> = 1;
    id: u64 = 2;
    call: Call = 3;
}

struct TaskInfo {
    name: string<31> = 1;
    state: State = 2;
    restarts: u32 = 3;
    /// Memory quota granted to the Task, in bytes.
    quota_bytes: u64 = 4;
    /// Last exit: the vx task state (1 exited, 2 killed, 3 crashed) or 0.
    last_end: u32 = 5;
    last_code: i32 = 6;
    /// Bytes charged to its quota now (vx_task_status_get's used_bytes):
    /// present while an instance runs.
    optional used_bytes: u64 = 7;
}

message Reply {
    /// V_OK or a v_status; every reply of every service starts this way.
    status: i32 = 1;
    id: u64 = 2;
    optional tasks: list<TaskInfo, 24> = 3;
    optional inbox: handle<ring_tx, send> = 4;
    optional text: string<200> = 5;
}
