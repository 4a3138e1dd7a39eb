/// Every type vschema knows, for the round-trip and rejection tests.
/// Not a real format: see schemas/ for those.
schema vstest.all;

import "b.vs";

/// A small enum with a gap.
enum Color {
    red = 0;
    green = 1;
    /// Not 2: gaps are allowed.
    blue = 7;
}

struct Point {
    x: i32 = 1;
    y: i32 = 2;
}

/// An empty struct still has an encoding (no bytes).
struct Nothing {
}

union Shape {
    /// The centre only.
    dot: Point = 1;
    radius: f64 = 2;
    label: string<16> = 3;
    corners: array<Point, 2> = 4;
    many: list<u16, 4> = 5;
    none: Nothing = 6;
}

struct Scalars {
    flag: bool = 1;
    a: u8 = 2;
    b: u16 = 3;
    c: u32 = 4;
    d: u64 = 5;
    e: i8 = 6;
    f: i16 = 7;
    g: i32 = 8;
    h: i64 = 9;
    r: f64 = 10;
    color: Color = 11;
}

struct All {
    scalars: Scalars = 1;
    name: string<32> = 2;
    blob: bytes<8> = 3;
    fixed: array<u8, 3> = 4;
    words: list<string<5>, 4> = 5;
    points: list<Point, 3> = 6;
    optional note: string<10> = 7;
    optional maybe: i64 = 9;
    shape: Shape = 10;
    shapes: list<Shape, 2> = 11;
    colors: array<Color, 2> = 12;
    part: b.T = 13;
    optional sub: Point = 14;
    reals: list<f64, 2> = 15;
    flags: list<bool, 3> = 16;
    reserved 8, 20;
    big: u64 = 536870911;
}

/// Handles ride beside the bytes: slots 0, 1, ... in encoding order.
message Transfer {
    ring: handle<ring_tx, send|transfer> = 1;
    optional region: handle<region, read|map> = 2;
    more: list<handle<timer>, 3> = 3;
    data: All = 4;
}
