/// Imported by all.vs: a type from another schema.
schema vstest.part;

struct Part {
    id: u32 = 1;
    tag: bytes<4> = 2;
}
