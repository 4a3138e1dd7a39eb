/// The manifest of a Bundle (docs/bundle.md, DESIGN.md §5): what its
/// signature covers, written as a schema.
///
/// NOTE: a Bundle does NOT store its manifest as the canonical binary of
/// this schema. On disk the manifest is the fixed-layout format of
/// docs/bundle.md version 1 (a 64-byte header, 64-byte entry records and
/// a packed name table, little-endian), which lib/bundle reads and writes
/// and the signature covers byte for byte; page alignment lets entries be
/// mapped in place. This schema describes the same logical content,
/// faithfully: every field that is not a constant or derived from the
/// others. Left out, because each is a function of what is here:
/// magic, names_size, manifest_size, data_offset, total_size, the
/// records' name_offset and offset, and the zero reserved fields.
/// It exists so tools can show and exchange manifests (vcodec convert
/// --type Manifest ... --to json) and so later messages can carry one.
schema vectra.bundle;

/// One named entry of verified bytes.
struct Entry {
    /// 1..255 bytes: components joined by single '/', each a valid path
    /// component (UTF-8, no NUL, never "" or "." or ".."). Entries are
    /// sorted by name, bytewise, strictly ascending (no duplicates).
    name: string<255> = 1;
    /// Bytes of data; the whole bundle is at most 2^40 bytes.
    size: u64 = 2;
    /// BLAKE3-256 (unkeyed, 32-byte output) of the data.
    hash: array<u8, 32> = 3;
}

struct Manifest {
    /// Format version; 1 is the only one defined.
    version: u32 = 1;
    /// 0: no flags are defined yet.
    flags: u32 = 2;
    /// The first 8 bytes of the signer's Ed25519 public key: lets a
    /// verifier say "signed by another key"; not trusted for anything.
    key_id: array<u8, 8> = 3;
    /// At most 65535 entries, in name order.
    entries: list<Entry, 65535> = 4;
}

/// A manifest with the Ed25519 signature that follows it in the bundle.
/// The signature is over the manifest's docs/bundle.md bytes, not over
/// this schema's encoding of it.
struct Signed {
    manifest: Manifest = 1;
    signature: array<u8, 64> = 2;
}
