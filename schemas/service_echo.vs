/// The test service's inbox (services/testsvc): echo, fault on request,
/// probe the footprint. Used by the service skeleton's tests and the
/// supervision tests (docs/services.md).
schema vectra.echo;

struct Empty {}

struct Echo {
    value: u64 = 1;
    optional text: string<64> = 2;
}

struct Name {
    name: string<31> = 1;
}

struct Code {
    code: i32 = 1;
}

union Call {
    echo: Echo = 1;
    /// Ends the Task with a fault (a bad memory access).
    crash: Empty = 2;
    /// Looks up footprint handle `name` as a Ring TX and, when it holds
    /// one, sends that Ring an echo request and waits for the answer.
    probe: Name = 3;
    /// Ends the Task with vx_task_exit(code).
    exit: Code = 4;
    /// Takes the Region in handle slot 1 and answers with its size.
    region: Empty = 5;
}

message Request {
    optional reply: handle<ring_tx, send> = 1;
    id: u64 = 2;
    call: Call = 3;
    optional region: handle<region, read> = 4;
}

message Reply {
    status: i32 = 1;
    id: u64 = 2;
    optional value: u64 = 3;
    optional text: string<64> = 4;
    /// Which instance answered (counts starts since initd began).
    optional instance: u64 = 5;
}
