schema a;
struct A { x: list<handle<task>, 2> = 1; }
