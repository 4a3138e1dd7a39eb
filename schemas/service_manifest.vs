/// The manifest of one service: an entry `svc/<name>.json` of the boot
/// Bundle, read by initd (docs/services.md). JSON on disk; this schema is
/// its shape. Everything a service may do comes from `footprint`.
schema vectra.service;

/// What initd does when the service's Task ends.
enum Restart {
    /// Restart whatever the exit (within the give-up threshold).
    always = 0;
    /// Restart after a crash, a kill or a restartable non-zero exit code.
    on_failure = 1;
    /// Never restart; the ended state is recorded.
    never = 2;
}

/// Kinds of named initial handles a manifest can ask for.
enum GrantKind {
    /// A TX of the inbox of the service named `target`, badged for this one.
    inbox = 0;
    /// A fresh zero-filled Region of `size` bytes.
    region = 1;
    /// A copy of the verified Bundle entry named `target`, as a Region.
    entry = 2;
    /// A TX of initd's control inbox (console, administration).
    control = 3;
    /// A duplicate of initd's own initial handle named `target` (natively
    /// the devices the kernel gives the first Task: `com1`, `com1.irq`).
    held = 4;
}

struct Grant {
    /// The handle's name in the Task's footprint.
    name: string<31> = 1;
    kind: GrantKind = 2;
    optional target: string<255> = 3;
    optional size: u64 = 4;
}

/// The service's own inbox Ring, created and kept by initd.
struct Inbox {
    /// Schema id of the inbox's messages (vschema id of its protocol).
    schema_id: u64 = 1;
    slot_size: u32 = 2;
    slot_count: u32 = 3;
}

struct Manifest {
    name: string<31> = 1;
    /// Bundle entry holding the image (an ELF for the backend).
    image: string<255> = 2;
    optional inbox: Inbox = 3;
    footprint: list<Grant, 12> = 4;
    restart: Restart = 5;
    backoff_min_ms: u32 = 6;
    backoff_max_ms: u32 = 7;
    /// Give up (state FAILED) after this many restarts within the window.
    give_up_restarts: u32 = 8;
    give_up_window_ms: u32 = 9;
    /// Start order: lower first; equal orders start in name order.
    order: u32 = 10;
    quota_bytes: u64 = 11;
    handle_limit: u32 = 12;
    args: list<string<128>, 8> = 13;
}
